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
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Lock requests not granted, grouped by the object and mode they wait for. */
final class LockWaitsCheck extends PostgresCheck {

    static final Threshold WARNING_WAIT = Threshold.number("lock_wait_warning_seconds", 5, "s",
            "lock waits are WARNING from this long (INFO below)");

    @Override
    public List<Threshold> thresholds() {
        return List.of(SESSION_SCOPE, WARNING_WAIT);
    }

    // relation::regclass reads the catalog cache only: it takes no lock on the relation. PostgreSQL 12-17.
    private static final String WAITS = """
            SELECT coalesce(l.relation::regclass::text, l.locktype) AS object, l.mode,
                   count(*) AS waiting,
                   max(EXTRACT(EPOCH FROM now() - a.query_start))::bigint AS longest_wait_seconds
            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE NOT l.granted AND (? OR a.datname = current_database())
            GROUP BY 1, 2
            ORDER BY 3 DESC, 4 DESC
            LIMIT 20
            """;

    /*
     * Who waits for whom, for the head blockers (the toolkit's blocking forest reads them as the blocking check
     * does): the lock waiters in scope, of any backend type, from the run's pg_stat_activity snapshot.
     */
    static List<Map<String, Object>> edges(ActivitySnapshot snapshot, boolean clusterWide) {
        return snapshot.inScope(clusterWide, ActivitySnapshot::waitsOnLock).stream().limit(JdbcSession.MAX_ROWS)
                .map(row -> ActivitySnapshot.project(row, 0, "pid", "pid", "blocked_by", "blocked_by")).toList();
    }

    LockWaitsCheck() {
        super("lock-waits", Category.LOCKS, "lock requests waiting, by relation (or lock type) and mode");
    }

    @Override
    public Set<String> findingCodes() {
        return Set.of("PG_LOCK_WAITS");
    }

    @Override
    protected CheckResult check(PostgresSession session, CheckContext context) throws Exception {
        boolean clusterWide = clusterWide(session, context);
        List<Map<String, Object>> waits = session.query(WAITS, context, clusterWide);
        // The edges are read only when something waits: a healthy server gets one query.
        List<Map<String, Object>> edges = waits.isEmpty() ? List.of() : edges(ActivitySnapshot.of(session, context), clusterWide);
        return interpret(waits, edges, context);
    }

    /** What the rows of {@link #WAITS} and {@link #edges} say, apart from the server: fixture rows in the tests take the queries' place. */
    static CheckResult interpret(List<Map<String, Object>> waits, List<Map<String, Object>> edgeRows, CheckContext context) {
        long total = waits.stream().mapToLong(r -> Values.longValue(r, "waiting")).sum();
        long longest = waits.stream().mapToLong(r -> Values.longValue(r, "longest_wait_seconds")).max().orElse(0);
        CheckResult.Builder result = CheckResult.builder().metric("lock_waits", total).metric("longest_wait_seconds", longest);
        if (waits.isEmpty()) {
            return result.build();
        }
        Severity severity = longest >= WARNING_WAIT.value(context) ? Severity.WARNING : Severity.INFO;
        Map<String, Object> top = waits.getFirst();
        List<Map.Entry<Long, Long>> edges = new ArrayList<>();
        for (Map<String, Object> row : edgeRows) {
            Values.longs(row, "blocked_by").forEach(blocker -> edges.add(BlockingForest.edge(Values.longValue(row, "pid"), blocker)));
        }
        List<Long> heads = BlockingForest.of(edges).headBlockers().stream().sorted().toList();
        return result.add(Finding.of("PG_LOCK_WAITS", severity,
                        total + " lock " + (total == 1 ? "request waits" : "requests wait") + ", most on " + Values.text(top, "object")
                                + " (" + Values.text(top, "mode") + "); the longest for " + Format.duration(longest))
                .detail("Lock waits by object and requested mode. The blocking check shows who holds them.")
                .evidence("headBlockers", heads)
                .evidence("waits", waits)
                .recommendation("Follow the blocking check's head blockers; long waits on one table often come from DDL or an idle transaction.")
                .playbook(playbook("pg-lock-waits")).build()).build();
    }
}
