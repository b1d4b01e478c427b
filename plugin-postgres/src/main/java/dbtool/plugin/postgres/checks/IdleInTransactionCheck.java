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

/** Sessions that opened a transaction and went quiet: they hold locks and the xmin horizon. */
final class IdleInTransactionCheck extends PostgresCheck {

    static final Threshold WARNING_AGE = Threshold.number("idle_in_transaction_seconds", 60, "s",
            "report sessions idle in a transaction this long (WARNING)");

    static final Threshold CRITICAL_AGE = Threshold.number("idle_in_transaction_critical_seconds", 900, "s",
            "sessions idle in a transaction this long are CRITICAL");

    @Override
    public List<Threshold> thresholds() {
        return List.of(SESSION_SCOPE, WARNING_AGE, CRITICAL_AGE);
    }

    /*
     * Sessions idle in a transaction (state 'idle in transaction' or '... (aborted)'), in scope, the longest
     * idle first, at most 20, from the run's pg_stat_activity snapshot: the locks each holds, and whether it
     * is among the blockers of a session waiting on a lock (pg_blocking_pids() of any lock waiter).
     */
    static List<Map<String, Object>> idle(ActivitySnapshot snapshot, boolean clusterWide) {
        Set<Long> blocking = snapshot.rows().stream().filter(ActivitySnapshot::waitsOnLock)
                .flatMap(row -> Values.longs(row, "blocked_by").stream()).collect(Collectors.toSet());
        return ActivitySnapshot.oldestFirst(snapshot.inScope(clusterWide, ActivitySnapshot::idleInTransaction), "state_age", 20).stream()
                .map(row -> {
                    Map<String, Object> projected = ActivitySnapshot.project(row, 120, "pid", "pid", "user", "user",
                            "application", "application", "client", "client", "state", "state", "idle_seconds", "state_seconds",
                            "xact_seconds", "xact_seconds", "locks_held", "locks_held");
                    projected.put("blocking_others", blocking.contains(Values.longValue(row, "pid")));
                    projected.putAll(ActivitySnapshot.project(row, 120, "last_query", "query", "trace_comment", "trace_comment"));
                    return projected;
                }).toList();
    }

    IdleInTransactionCheck() {
        super("idle-in-transaction", Category.LOCKS, "sessions idle inside an open transaction, holding locks and the xmin horizon");
    }

    @Override
    public Set<String> findingCodes() {
        return Set.of("PG_IDLE_IN_TRANSACTION");
    }

    @Override
    protected CheckResult check(PostgresSession session, CheckContext context) throws Exception {
        List<Map<String, Object>> rows = idle(ActivitySnapshot.of(session, context), clusterWide(session, context));
        return interpret(rows, context);
    }

    /** What the rows say, apart from the server: fixture rows in the tests take the query's place. */
    static CheckResult interpret(List<Map<String, Object>> sessionRows, CheckContext context) {
        List<Map<String, Object>> rows = withTraces(sessionRows, "last_query");
        double warning = WARNING_AGE.value(context);
        double critical = CRITICAL_AGE.value(context);
        List<Map<String, Object>> over = rows.stream().filter(r -> Values.longValue(r, "idle_seconds") >= warning).toList();
        CheckResult.Builder result = CheckResult.builder()
                .metric("idle_in_transaction", rows.size())
                .metric("longest_idle_seconds", rows.stream().mapToLong(r -> Values.longValue(r, "idle_seconds")).max().orElse(0));
        if (over.isEmpty()) {
            return result.build();
        }
        long longest = Values.longValue(over.getFirst(), "idle_seconds");
        long locks = over.stream().mapToLong(r -> Values.longValue(r, "locks_held")).sum();
        String pids = over.stream().map(r -> String.valueOf(Values.longValue(r, "pid"))).collect(Collectors.joining(", "));
        return result.add(Finding.of("PG_IDLE_IN_TRANSACTION", longest >= critical ? Severity.CRITICAL : Severity.WARNING,
                        over.size() + (over.size() == 1 ? " session has" : " sessions have") + " been idle in a transaction for up to "
                                + Format.duration(longest) + ", holding " + locks + " locks")
                .detail("An idle transaction keeps its row and table locks and holds back vacuum until it ends. "
                        + "Usually an application that forgot to commit, or a client that hung.")
                .evidence("headBlockers", over.stream().filter(r -> Values.bool(r, "blocking_others")).map(r -> Values.longValue(r, "pid")).toList())
                .evidence("pids", over.stream().map(r -> Values.longValue(r, "pid")).toList())
                .evidence("sessions", over)
                .recommendation("Ask the owning application to commit or roll back; to end them: "
                        + over.stream().map(r -> "SELECT pg_terminate_backend(" + Values.longValue(r, "pid") + ");").collect(Collectors.joining(" "))
                        + "\nPrevent it with idle_in_transaction_session_timeout (e.g. ALTER ROLE app SET idle_in_transaction_session_timeout = '5min';).")
                .playbook(playbook("pg-idle-in-transaction")).build())
                .metric("pids_over_threshold", pids)
                .build();
    }
}
