package dbtool.core.report;

import dbtool.spi.Severity;
import java.time.Instant;
import java.util.List;

/**
 * The result of one troubleshoot: the report contract of DESIGN.md section 8.
 *
 * @param status worst status of all checks; UNKNOWN when no check ran
 */
public record Report(int schemaVersion, String toolVersion, TargetInfo target, Severity status,
                     Instant startedAt, long durationMs, List<CheckReport> checks) {

    public static final int SCHEMA_VERSION = 1;

    public Report {
        checks = List.copyOf(checks);
    }

    /** Builds a report whose status is derived from its checks. */
    public static Report of(String toolVersion, TargetInfo target, Instant startedAt, long durationMs,
                            List<CheckReport> checks) {
        Severity status = checks.isEmpty() ? Severity.UNKNOWN : Severity.OK;
        for (CheckReport check : checks) {
            status = status.worst(check.status());
        }
        return new Report(SCHEMA_VERSION, toolVersion, target, status, startedAt, durationMs, checks);
    }

    /** The monitoring-plugin exit code of this report. */
    public int exitCode() {
        return status.exitCode();
    }
}
