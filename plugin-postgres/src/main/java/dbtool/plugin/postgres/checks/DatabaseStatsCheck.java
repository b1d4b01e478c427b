package dbtool.plugin.postgres.checks;

import dbtool.plugin.postgres.PostgresSession;
import dbtool.spi.Category;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.toolkit.Values;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SequencedSet;
import java.util.Set;

/**
 * The throughput and error counters of the target's database (pg_stat_database): commits,
 * rollbacks, deadlocks, recovery conflicts, temp bytes, block hits and reads, and on PostgreSQL 14+
 * sessions and their time. A single reading of a counter since the last statistics reset says
 * little, so this check judges nothing: {@code dbtool serve} exports the numbers as counters, and
 * their rates are the golden signals (commits per second, rollback and deadlock rates, cache misses).
 */
final class DatabaseStatsCheck extends PostgresCheck {

    // The report's metric names, in report order; the SQL aliases its columns to them.
    private static final SequencedSet<String> COUNTERS = new LinkedHashSet<>(List.of(
            "xact_commit", "xact_rollback", "deadlocks", "conflicts", "temp_bytes", "blks_hit", "blks_read",
            "sessions", "sessions_abandoned", "sessions_fatal", "sessions_killed",
            "session_time_ms", "active_time_ms", "idle_in_transaction_time_ms"));

    // PostgreSQL 12-13.
    private static final String BEFORE_14 = """
            SELECT xact_commit, xact_rollback, deadlocks, conflicts, temp_bytes, blks_hit, blks_read
            FROM pg_stat_database
            WHERE datname = current_database()
            """;
    // PostgreSQL 14 added the session counters; its times are milliseconds (double precision).
    private static final String SINCE_14 = """
            SELECT xact_commit, xact_rollback, deadlocks, conflicts, temp_bytes, blks_hit, blks_read,
                   sessions, sessions_abandoned, sessions_fatal, sessions_killed,
                   session_time AS session_time_ms, active_time AS active_time_ms,
                   idle_in_transaction_time AS idle_in_transaction_time_ms
            FROM pg_stat_database
            WHERE datname = current_database()
            """;

    DatabaseStatsCheck() {
        super("database-stats", Category.RESOURCES,
                "commits, rollbacks, deadlocks, conflicts, temp bytes, block reads and sessions of the target's database, as counters");
    }

    @Override
    public Set<String> counters() {
        return COUNTERS;
    }

    @Override
    protected CheckResult check(PostgresSession session, CheckContext context) throws Exception {
        Map<String, Object> row = session.queryOne(session.serverVersion() >= 140000 ? SINCE_14 : BEFORE_14, context);
        return interpret(row);
    }

    /**
     * What the row says, apart from the server: fixture rows in the tests take the query's place.
     * A counter the server does not have (sessions before 14) is left out rather than reported as 0.
     */
    static CheckResult interpret(Map<String, Object> row) {
        CheckResult.Builder result = CheckResult.builder();
        for (String name : COUNTERS) {
            Long value = Values.longOrNull(row, name);
            if (value != null) {
                result.metric(name, value);
            }
        }
        return result.build();
    }
}
