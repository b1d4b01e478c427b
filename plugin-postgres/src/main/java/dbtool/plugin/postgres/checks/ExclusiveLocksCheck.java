package dbtool.plugin.postgres.checks;

import dbtool.plugin.postgres.PostgresSession;
import dbtool.spi.Category;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.spi.Threshold;
import dbtool.toolkit.Format;
import dbtool.toolkit.Values;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * ACCESS EXCLUSIVE locks held on tables of this database (DDL, LOCK TABLE, VACUUM FULL): while
 * held, even a plain SELECT on the table waits.
 */
final class ExclusiveLocksCheck extends PostgresCheck {

    static final Threshold WARNING_AGE = Threshold.number("access_exclusive_warning_seconds", 10, "s",
            "ACCESS EXCLUSIVE held in a transaction this old is WARNING (INFO below)");

    @Override
    public List<Threshold> thresholds() {
        return List.of(WARNING_AGE);
    }

    // Only granted locks of the current database; regclass output takes no lock. PostgreSQL 12-17.
    private static final String HELD = """
            SELECT l.pid, l.relation::regclass::text AS relation, a.state, a.usename AS user,
                   a.application_name AS application,
                   EXTRACT(EPOCH FROM now() - a.xact_start)::bigint AS xact_seconds,
                   left(regexp_replace(a.query, '\\s+', ' ', 'g'), 120) AS query
            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.granted AND l.locktype = 'relation' AND l.mode = 'AccessExclusiveLock'
              AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND l.pid <> pg_backend_pid()
              AND a.backend_type = 'client backend'
            ORDER BY a.xact_start
            LIMIT 20
            """;

    ExclusiveLocksCheck() {
        super("exclusive-locks", Category.LOCKS, "ACCESS EXCLUSIVE locks held on tables (DDL, LOCK TABLE), which block every reader");
    }

    @Override
    public Set<String> findingCodes() {
        return Set.of("PG_ACCESS_EXCLUSIVE_HELD");
    }

    @Override
    protected CheckResult check(PostgresSession session, CheckContext context) throws Exception {
        List<Map<String, Object>> held = session.query(HELD, context);
        return interpret(held, context);
    }

    /** What the rows say, apart from the server: fixture rows in the tests take the query's place. */
    static CheckResult interpret(List<Map<String, Object>> held, CheckContext context) {
        CheckResult.Builder result = CheckResult.builder().metric("access_exclusive_locks", held.size());
        if (held.isEmpty()) {
            return result.build();
        }
        long longest = held.stream().mapToLong(r -> Values.longValue(r, "xact_seconds")).max().orElse(0);
        Severity severity = longest >= WARNING_AGE.value(context) ? Severity.WARNING : Severity.INFO;
        String relations = held.stream().map(r -> Values.text(r, "relation")).distinct().limit(5).collect(Collectors.joining(", "));
        return result.add(Finding.of("PG_ACCESS_EXCLUSIVE_HELD", severity,
                        "ACCESS EXCLUSIVE held on " + relations + " for up to " + Format.duration(longest))
                .detail("Every query on these tables, including plain SELECTs, waits until the holding transaction ends.")
                .evidence("headBlockers", held.stream().map(r -> Values.longValue(r, "pid")).distinct().toList())
                .evidence("pids", held.stream().map(r -> Values.longValue(r, "pid")).distinct().toList())
                .evidence("locks", held)
                .recommendation("If this is a migration, let it finish or cancel it: "
                        + held.stream().map(r -> Values.longValue(r, "pid")).distinct()
                        .map(pid -> "SELECT pg_cancel_backend(" + pid + ");").collect(Collectors.joining(" "))
                        + "\nRun DDL with a short lock_timeout (SET lock_timeout = '2s') so it gives up instead of stalling traffic.")
                .playbook(playbook("pg-lock-waits")).build()).build();
    }
}
