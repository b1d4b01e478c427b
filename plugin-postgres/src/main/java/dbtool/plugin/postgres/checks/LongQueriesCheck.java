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

/** Statements running longer than a threshold, with what they wait for and who blocks them. */
final class LongQueriesCheck extends PostgresCheck {

    static final Threshold WARNING_AGE = Threshold.number("long_query_seconds", 60, "s",
            "report statements running this long (WARNING)");

    static final Threshold CRITICAL_AGE = Threshold.number("long_query_critical_seconds", 900, "s",
            "statements running this long are CRITICAL");

    @Override
    public List<Threshold> thresholds() {
        return List.of(SESSION_SCOPE, WARNING_AGE, CRITICAL_AGE);
    }

    // PostgreSQL 12-17. pg_blocking_pids() only for lock waiters (see BlockingChainCheck).
    private static final String RUNNING = """
            SELECT a.pid, a.usename AS user, a.application_name AS application, a.client_addr::text AS client,
                   EXTRACT(EPOCH FROM now() - a.query_start)::bigint AS seconds,
                   a.wait_event_type || coalesce(':' || a.wait_event, '') AS wait,
                   CASE WHEN a.wait_event_type = 'Lock' THEN pg_blocking_pids(a.pid) ELSE '{}'::int[] END AS blocked_by,
                   left(regexp_replace(a.query, '\\s+', ' ', 'g'), 300) AS query, %s
            FROM pg_stat_activity a
            WHERE a.state = 'active' AND a.pid <> pg_backend_pid() AND a.backend_type = 'client backend'
              AND a.query_start <= now() - make_interval(secs => ?)
              AND (? OR a.datname = current_database())
            ORDER BY a.query_start
            LIMIT 20
            """.formatted(TRACE_COMMENT);

    LongQueriesCheck() {
        super("long-queries", Category.QUERIES, "statements running longer than long_query_seconds, with wait event and blockers");
    }

    @Override
    public Set<String> findingCodes() {
        return Set.of("PG_LONG_QUERY");
    }

    @Override
    protected CheckResult check(PostgresSession session, CheckContext context) throws Exception {
        List<Map<String, Object>> rows = session.query(RUNNING, context, WARNING_AGE.value(context), clusterWide(session, context));
        return interpret(rows, context);
    }

    /** What the rows say, apart from the server: fixture rows in the tests take the query's place. */
    static CheckResult interpret(List<Map<String, Object>> sessionRows, CheckContext context) {
        List<Map<String, Object>> rows = withTraces(sessionRows, "query");
        double warning = WARNING_AGE.value(context);
        double critical = CRITICAL_AGE.value(context);
        CheckResult.Builder result = CheckResult.builder().metric("long_queries", rows.size());
        if (rows.isEmpty()) {
            return result.build();
        }
        long longest = Values.longValue(rows.getFirst(), "seconds");
        result.metric("longest_query_seconds", longest);
        Map<String, Object> first = rows.getFirst();
        return result.add(Finding.of("PG_LONG_QUERY", longest >= critical ? Severity.CRITICAL : Severity.WARNING,
                        rows.size() + (rows.size() == 1 ? " statement has" : " statements have") + " run longer than " + Format.duration((long) warning)
                                + "; the longest for " + Format.duration(longest) + " (pid " + Values.longValue(first, "pid") + ", "
                                + Values.text(first, "application") + ")")
                .detail("Long statements hold locks and snapshots and compete for CPU and I/O. Waits of type Lock are blocked by "
                        + "the sessions in blocked_by.")
                .evidence("pids", rows.stream().map(r -> Values.longValue(r, "pid")).toList())
                .evidence("queries", rows)
                .recommendation("If a statement should not run this long, cancel it (its transaction rolls back): "
                        + rows.stream().limit(5).map(r -> "SELECT pg_cancel_backend(" + Values.longValue(r, "pid") + ");")
                        .collect(Collectors.joining(" ")) + "\nSee its plan with EXPLAIN before it runs again; set statement_timeout for its role.")
                .playbook(playbook("pg-long-query")).build()).build();
    }
}
