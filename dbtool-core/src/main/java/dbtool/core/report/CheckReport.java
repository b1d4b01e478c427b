package dbtool.core.report;

import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * One check's entry in the report.
 *
 * @param error why the check could not tell (its status is then UNKNOWN), or null
 */
public record CheckReport(String id, String category, Severity status, long durationMs, String error,
                          Map<String, Object> metrics, List<Finding> findings) {

    public CheckReport {
        metrics = metrics == null ? Map.of() : metrics;
        // Worst first; the order of equally severe findings is the check's own.
        findings = findings == null ? List.of()
                : findings.stream().sorted(Comparator.comparingInt((Finding f) -> -f.severity().rank())).toList();
    }

    /** A check that could not tell. */
    public static CheckReport unknown(String id, String category, long durationMs, String reason) {
        return new CheckReport(id, category, Severity.UNKNOWN, durationMs, reason, Map.of(), List.of());
    }
}
