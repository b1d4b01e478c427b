package dbtool.core.report;

import dbtool.spi.Severity;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * The result of one troubleshoot over many targets: one entry per target, worst first.
 *
 * @param status worst status over all targets
 */
public record FleetReport(int schemaVersion, String toolVersion, Severity status, Instant startedAt, long durationMs,
                          int parallel, List<Entry> targets) {

    /**
     * One target's outcome: its full report, or why none could be made (unknown target, bad URL,
     * credentials), in which case its status is UNKNOWN.
     */
    public record Entry(String name, Severity status, String error, Report report) {
    }

    public FleetReport {
        targets = targets.stream()
                .sorted(Comparator.comparingInt((Entry e) -> -e.status().rank()).thenComparing(Entry::name))
                .toList();
    }

    public static FleetReport of(String toolVersion, Instant startedAt, long durationMs, int parallel, List<Entry> entries) {
        Severity status = entries.isEmpty() ? Severity.UNKNOWN : Severity.OK;
        for (Entry entry : entries) {
            status = status.worst(entry.status());
        }
        return new FleetReport(Report.SCHEMA_VERSION, toolVersion, status, startedAt, durationMs, parallel, entries);
    }

    public int exitCode() {
        return status.exitCode();
    }
}
