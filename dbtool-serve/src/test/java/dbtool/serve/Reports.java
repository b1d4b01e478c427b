package dbtool.serve;

import dbtool.core.report.CheckReport;
import dbtool.core.report.Report;
import dbtool.core.report.TargetInfo;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Reports as a PostgreSQL target's run produces them, for the tests that need one without a server. */
public final class Reports {

    private Reports() {
    }

    /** A target with a blocking chain: locks CRITICAL (3 blocked, 1 head blocker), temp files counted, connections OK. */
    public static Report blocked(String target) {
        Finding chain = Finding.of("PG_BLOCKING_CHAIN", Severity.CRITICAL, "3 sessions blocked behind pid 4242").build();
        Finding idle = Finding.of("PG_IDLE_IN_TRANSACTION", Severity.WARNING, "pid 4242 idle in transaction").build();
        return Report.of("test", new TargetInfo(target, "postgresql", "127.0.0.1", 5432, "postgres"), Instant.parse("2026-12-07T10:00:00Z"), 120,
                List.of(new CheckReport("blocking", "locks", Severity.CRITICAL, 35, null,
                                Map.of("blocked_sessions", 3, "head_blockers", 1, "chains", "text is not a metric"), List.of(chain, idle)),
                        new CheckReport("temp_files", "queries", Severity.OK, 4, null, Map.of("temp_files", 12L, "temp_bytes", 4096L), List.of()),
                        new CheckReport("connections", "resources", Severity.OK, 3, null,
                                Map.of("connections", 7, "max_connections", 100, "in_recovery", false), List.of())));
    }

    public static Report healthy(String target) {
        return Report.of("test", new TargetInfo(target, "postgresql", "127.0.0.1", 5432, "postgres"), Instant.parse("2026-12-07T10:00:00Z"), 80,
                List.of(new CheckReport("connections", "resources", Severity.OK, 3, null, Map.of("connections", 2), List.of())));
    }
}
