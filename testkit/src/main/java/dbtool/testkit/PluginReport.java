package dbtool.testkit;

import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code dbtool troubleshoot} made of a plugin's checks, in SPI types only, for plugin tests
 * written outside this repository: they see {@code dbtool.spi} and this class, never core's
 * internal report types. {@link PluginRun#troubleshoot} makes one.
 *
 * @param status the report's overall status (its exit code is {@code status.exitCode()})
 * @param checks every check that ran or was skipped, in report order
 * @param json   the report as {@code --format json} prints it (the documented report contract)
 * @param text   the report as {@code dbtool troubleshoot} prints it on a terminal, without colours
 */
public record PluginReport(Severity status, List<CheckOutcome> checks, String json, String text) {

    /** A report; the list of checks is copied. */
    public PluginReport {
        checks = List.copyOf(checks);
    }

    /**
     * One check's part of the report.
     *
     * @param id       the check's id
     * @param category the check's category
     * @param status   the check's status: its worst finding, or UNKNOWN when it could not tell
     * @param error    why the check could not give an answer (its status is then UNKNOWN), or null
     * @param findings the check's findings, worst first
     * @param metrics  the numbers the check measured, by name
     */
    public record CheckOutcome(String id, String category, Severity status, String error, List<Finding> findings,
                               Map<String, Object> metrics) {
    }

    /**
     * The first finding with this code, in report order.
     *
     * @param code a finding code such as {@code PG_BLOCKING_CHAIN}
     * @return the finding, or empty when no check reported it
     */
    public Optional<Finding> finding(String code) {
        return checks.stream().flatMap(c -> c.findings().stream()).filter(f -> f.code().equals(code)).findFirst();
    }

    /**
     * The finding with this code, for a test that expects it.
     *
     * @param code a finding code such as {@code PG_BLOCKING_CHAIN}
     * @return the finding
     * @throws AssertionError when no check reported it, with the whole report as text
     */
    public Finding require(String code) {
        return finding(code).orElseThrow(() -> new AssertionError("no " + code + " in the report:\n" + text));
    }

    /**
     * The outcome of the check with this id, for a test that expects it to have run.
     *
     * @param id a check id such as {@code blocking}
     * @return the check's outcome
     * @throws AssertionError when the report has no such check, with the whole report as text
     */
    public CheckOutcome check(String id) {
        return checks.stream().filter(c -> c.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no check " + id + " in the report:\n" + text));
    }
}
