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

    /*
     * Active client backends in scope whose statement started at least {@code warning} seconds ago, the oldest
     * first, at most 20, from the run's pg_stat_activity snapshot (blocked_by only for lock waiters, see
     * BlockingChainCheck). The exact age decides the threshold, as "query_start <= now() - interval" did.
     */
    static List<Map<String, Object>> running(ActivitySnapshot snapshot, double warning, boolean clusterWide) {
        List<Map<String, Object>> running = snapshot.inScope(clusterWide, row -> ActivitySnapshot.clientBackend(row)
                && "active".equals(row.get("state")) && row.get("query_age") instanceof Number age && age.doubleValue() >= warning);
        return ActivitySnapshot.oldestFirst(running, "query_age", 20).stream().map(row -> {
            Map<String, Object> projected = ActivitySnapshot.project(row, 300, "pid", "pid", "user", "user",
                    "application", "application", "client", "client", "seconds", "query_seconds");
            // wait_event_type || coalesce(':' || wait_event, ''): NULL without a wait event type.
            Object type = row.get("wait_event_type");
            Object event = row.get("wait_event");
            projected.put("wait", type == null ? null : type + (event == null ? "" : ":" + event));
            projected.putAll(ActivitySnapshot.project(row, 300, "blocked_by", "blocked_by", "query", "query", "trace_comment", "trace_comment"));
            return projected;
        }).toList();
    }

    LongQueriesCheck() {
        super("long-queries", Category.QUERIES, "statements running longer than long_query_seconds, with wait event and blockers");
    }

    @Override
    public Set<String> findingCodes() {
        return Set.of("PG_LONG_QUERY");
    }

    @Override
    protected CheckResult check(PostgresSession session, CheckContext context) throws Exception {
        List<Map<String, Object>> rows = running(ActivitySnapshot.of(session, context), WARNING_AGE.value(context), clusterWide(session, context));
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
