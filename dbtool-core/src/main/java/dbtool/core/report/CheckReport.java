package dbtool.core.report;

import dbtool.spi.Finding;
import dbtool.spi.Redaction;
import dbtool.spi.Severity;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One check's entry in the report.
 *
 * @param error    why the check could not tell (its status is then UNKNOWN), or null
 * @param counters which of the metrics the server counts up ({@link dbtool.spi.Check#counters()});
 *                 kept in memory for monitoring, not written to the JSON report
 */
public record CheckReport(String id, String category, Severity status, long durationMs, String error,
                          Map<String, Object> metrics, List<Finding> findings, Set<String> counters) {

    public CheckReport {
        // A reason may quote the statement that failed.
        error = Redaction.redactSql(error);
        metrics = metrics == null ? Map.of() : metrics;
        counters = counters == null ? Set.of() : Set.copyOf(counters);
        // Worst first; the order of equally severe findings is the check's own.
        findings = findings == null ? List.of()
                : findings.stream().sorted(Comparator.comparingInt((Finding f) -> -f.severity().rank())).toList();
    }

    /** An entry whose metrics are all values read now (gauges). */
    public CheckReport(String id, String category, Severity status, long durationMs, String error,
                       Map<String, Object> metrics, List<Finding> findings) {
        this(id, category, status, durationMs, error, metrics, findings, Set.of());
    }

    /** A check that could not tell. */
    public static CheckReport unknown(String id, String category, long durationMs, String reason) {
        return new CheckReport(id, category, Severity.UNKNOWN, durationMs, reason, Map.of(), List.of());
    }
}
