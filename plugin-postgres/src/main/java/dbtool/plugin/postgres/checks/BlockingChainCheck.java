package dbtool.plugin.postgres.checks;

import dbtool.plugin.postgres.PostgresSession;
import dbtool.spi.Category;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.spi.Threshold;
import dbtool.toolkit.BlockingForest;
import dbtool.toolkit.Format;
import dbtool.toolkit.Values;
import dbtool.toolkit.jdbc.JdbcSession;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The blocking forest: who waits for whom, and which sessions sit at the root of each tree
 * (head blockers). Killing a head blocker releases its whole tree; killing a waiter does not.
 */
final class BlockingChainCheck extends PostgresCheck {

    static final Threshold CRITICAL_WAITERS = Threshold.number("blocked_sessions_critical", 5, "sessions",
            "a blocking chain is CRITICAL from this many blocked sessions (otherwise WARNING, unless a head blocker is idle in transaction or the wait is long)");

    static final Threshold CRITICAL_WAIT = Threshold.number("lock_wait_critical_seconds", 60, "s",
            "a blocking chain is CRITICAL when the longest wait reaches this");

    @Override
    public List<Threshold> thresholds() {
        return List.of(SESSION_SCOPE, CRITICAL_WAITERS, CRITICAL_WAIT);
    }

    /*
     * Client backends in scope, from the run's pg_stat_activity snapshot (pg_blocking_pids() only for
     * sessions that wait on a heavyweight lock: it briefly locks the lock manager's shared state). A
     * blocker of 0 is a prepared transaction (it has no backend). The columns its own statement had.
     */
    static List<Map<String, Object>> sessions(ActivitySnapshot snapshot, boolean clusterWide) {
        return snapshot.inScope(clusterWide, ActivitySnapshot::clientBackend).stream().limit(JdbcSession.MAX_ROWS)
                .map(row -> ActivitySnapshot.project(row, 200, "pid", "pid", "blocked_by", "blocked_by", "user", "user",
                        "application", "application", "client", "client", "state", "state", "wait_event_type", "wait_event_type",
                        "wait_event", "wait_event", "xact_seconds", "xact_seconds", "state_seconds", "state_seconds",
                        "query_seconds", "query_seconds", "query", "query", "trace_comment", "trace_comment"))
                .toList();
    }

    BlockingChainCheck() {
        super("blocking", Category.LOCKS, "blocking trees from pg_blocking_pids: head blockers, their state, transaction age and query");
    }

    @Override
    public Set<String> findingCodes() {
        return Set.of("PG_BLOCKING_CHAIN");
    }

    @Override
    protected CheckResult check(PostgresSession session, CheckContext context) throws Exception {
        List<Map<String, Object>> rows = sessions(ActivitySnapshot.of(session, context), clusterWide(session, context));
        return interpret(rows, scope(session, context), context);
    }

    /**
     * What the rows of {@link #sessions} say, apart from the server: fixture rows in the tests take
     * the query's place. {@code scope} is the evidence naming whose sessions these are.
     */
    static CheckResult interpret(List<Map<String, Object>> rows, String scope, CheckContext context) {
        Map<Long, Map<String, Object>> byPid = new LinkedHashMap<>();
        List<Map.Entry<Long, Long>> edges = new ArrayList<>();
        long longestWait = 0;
        for (Map<String, Object> row : rows) {
            long pid = Values.longValue(row, "pid");
            byPid.put(pid, row);
            List<Long> blockers = Values.longs(row, "blocked_by");
            if (!blockers.isEmpty()) {
                longestWait = Math.max(longestWait, Values.longValue(row, "query_seconds"));
                blockers.forEach(blocker -> edges.add(BlockingForest.edge(pid, blocker)));
            }
        }
        BlockingForest<Long> blocking = BlockingForest.of(edges);
        Set<Long> waiting = blocking.waiters();
        CheckResult.Builder result = CheckResult.builder().metric("blocked_sessions", waiting.size());
        if (waiting.isEmpty()) {
            return result.metric("head_blockers", 0).build();
        }
        // Heads block others and wait for nobody (pid 0: a prepared transaction, which never waits).
        List<Long> heads = blocking.headBlockers();
        BlockingForest.Trees forest = blocking.trees(place -> node(place.session(), byPid));
        boolean idleHead = heads.stream().anyMatch(pid -> isIdleInTransaction(byPid.get(pid)));
        double criticalWaiters = CRITICAL_WAITERS.value(context);
        double criticalSeconds = CRITICAL_WAIT.value(context);
        Severity severity = idleHead || !blocking.deadlocks().isEmpty() || waiting.size() >= criticalWaiters || longestWait >= criticalSeconds
                ? Severity.CRITICAL : Severity.WARNING;

        long firstHead = heads.getFirst();
        Map<String, Object> headRow = byPid.get(firstHead);
        String title = waiting.size() + (waiting.size() == 1 ? " session is" : " sessions are") + " blocked"
                + (heads.size() == 1 ? " behind " + describeHead(firstHead, headRow)
                : " behind " + heads.size() + " head blockers (pids " + heads.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")");
        result.metric("head_blockers", heads.size()).metric("longest_wait_seconds", longestWait);
        Finding.Builder finding = Finding.of("PG_BLOCKING_CHAIN", severity, title)
                .detail("The longest wait is " + Format.duration(longestWait) + ". Waiters queue behind the head blocker; ending it releases its whole tree."
                        + (idleHead ? " A head blocker is idle in transaction: it is not working, and it will not finish by itself." : "")
                        + (blocking.deadlocks().isEmpty() ? "" : " Sessions wait for each other in a ring (a deadlock in progress): "
                        + "the server cancels one of them after deadlock_timeout, unless lock_timeout ends the wait first."))
                .evidence("headBlockers", heads)
                .evidence("scope", scope)
                .evidence("blockedSessions", waiting.size())
                .evidence("longestWaitSeconds", longestWait)
                .evidence("blockingTree", forest.nodes())
                .evidence(BlockingForest.cutAndRings(forest, blocking.deadlocks()));
        return result.add(finding
                .recommendation(recommendation(heads, byPid))
                .playbook(playbook("pg-blocking-chain")).build()).build();
    }

    private static Map<String, Object> node(long pid, Map<Long, Map<String, Object>> byPid) {
        Map<String, Object> row = byPid.get(pid);
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("pid", pid);
        if (pid == 0 || row == null) {
            node.put("label", pid == 0 ? "a prepared transaction (see the prepared-transactions check)" : "pid " + pid + " (ended)");
        } else {
            node.put("label", label(pid, row));
            node.put("state", row.get("state"));
            node.put("user", row.get("user"));
            node.put("application", row.get("application"));
            node.put("client", row.get("client"));
            node.put("xactSeconds", row.get("xact_seconds"));
            node.put("waitEvent", row.get("wait_event_type") == null ? null : row.get("wait_event_type") + ":" + row.get("wait_event"));
            node.put("query", row.get("query"));
            addTrace(node, row, "query");
        }
        return node;
    }

    private static String label(long pid, Map<String, Object> row) {
        String state = Values.text(row, "state");
        StringBuilder label = new StringBuilder("pid ").append(pid).append(' ').append(state);
        if (isIdleInTransaction(row)) {
            label.append(" for ").append(Format.duration(Values.longValue(row, "state_seconds")));
        } else if (row.get("wait_event_type") != null && "Lock".equals(row.get("wait_event_type"))) {
            label.append(", waiting ").append(Format.duration(Values.longValue(row, "query_seconds"))).append(" on ").append(Values.text(row, "wait_event"));
        }
        label.append(", xact ").append(Format.duration(Values.longValue(row, "xact_seconds")));
        if (!Values.text(row, "application").isEmpty()) {
            label.append(", app ").append(Values.text(row, "application"));
        }
        label.append(", user ").append(Values.text(row, "user"));
        String query = Values.text(row, "query");
        if (!query.isEmpty()) {
            label.append(": ").append(query.length() > 80 ? query.substring(0, 79) + "…" : query);
        }
        return label.toString();
    }

    private static String describeHead(long pid, Map<String, Object> row) {
        if (pid == 0 || row == null) {
            return "a prepared transaction";
        }
        return "pid " + pid + " (" + Values.text(row, "state")
                + (isIdleInTransaction(row) ? " for " + Format.duration(Values.longValue(row, "state_seconds")) : "")
                + (Values.text(row, "application").isEmpty() ? "" : ", " + Values.text(row, "application")) + ")";
    }

    static boolean isIdleInTransaction(Map<String, Object> row) {
        return row != null && Values.text(row, "state").startsWith("idle in transaction");
    }

    private static String recommendation(List<Long> heads, Map<Long, Map<String, Object>> byPid) {
        List<String> lines = new ArrayList<>();
        for (long pid : heads) {
            Map<String, Object> row = byPid.get(pid);
            if (pid == 0 || row == null) {
                lines.add("A prepared transaction holds the lock: resolve it with COMMIT PREPARED or ROLLBACK PREPARED (see the prepared-transactions check).");
            } else if (isIdleInTransaction(row)) {
                lines.add("SELECT pg_terminate_backend(" + pid + ");  -- idle in transaction: cancelling has no effect; "
                        + "terminating rolls back its work");
            } else {
                lines.add("SELECT pg_cancel_backend(" + pid + ");  -- cancels its statement; if the lock stays, "
                        + "SELECT pg_terminate_backend(" + pid + ");");
            }
        }
        lines.add("Check with the owner of the application first; dbtool runs none of this.");
        return String.join("\n", lines);
    }
}
