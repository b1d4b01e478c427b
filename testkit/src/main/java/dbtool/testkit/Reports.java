package dbtool.testkit;

import dbtool.core.report.CheckReport;
import dbtool.core.report.JsonReportWriter;
import dbtool.core.report.Report;
import dbtool.core.report.Style;
import dbtool.core.report.TextReportRenderer;
import dbtool.spi.Finding;
import java.util.Optional;

/**
 * Reads a troubleshooting {@link Report} in tests: its findings and checks, failing with the whole
 * report described when something expected is missing, and its renderings as a user sees them.
 * Failures are {@link AssertionError}s (as JUnit's), so testkit needs no JUnit at compile time.
 */
@SuppressWarnings("exports") // core's report package is exported to testkit and its users at compile time only
public final class Reports {

    private Reports() {
    }

    public static Optional<Finding> finding(Report report, String code) {
        return report.checks().stream().flatMap(c -> c.findings().stream()).filter(f -> f.code().equals(code)).findFirst();
    }

    /** The finding with this code, or an assertion failure that lists what the report holds. */
    public static Finding require(Report report, String code) {
        return finding(report, code).orElseThrow(() -> new AssertionError("no " + code + " in the report:\n" + describe(report)));
    }

    public static CheckReport check(Report report, String id) {
        return report.checks().stream().filter(c -> c.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no check " + id));
    }

    /** Fails when a check could not run (its status UNKNOWN, with an error). */
    public static void assertNoUnknown(Report report) {
        for (CheckReport check : report.checks()) {
            if (check.error() != null) {
                throw new AssertionError("check " + check.id() + " failed: " + check.error() + "\n" + describe(report));
            }
        }
    }

    /** The text report as `dbtool troubleshoot` prints it, without colours. */
    public static String text(Report report) {
        return new TextReportRenderer(Style.PLAIN).render(report);
    }

    /** Everything a user or a script could see of the report: its JSON and its text. */
    public static String everything(Report report) {
        return JsonReportWriter.toJson(report) + text(report);
    }

    /** A one-line-per-check summary for assertion messages. */
    public static String describe(Report report) {
        StringBuilder out = new StringBuilder("status " + report.status() + "\n");
        for (CheckReport check : report.checks()) {
            out.append(check.id()).append(' ').append(check.status()).append(check.error() == null ? "" : " " + check.error()).append('\n');
            check.findings().forEach(f -> out.append("  ").append(f.severity()).append(' ').append(f.code()).append(": ")
                    .append(f.title()).append('\n'));
        }
        return out.toString();
    }
}
