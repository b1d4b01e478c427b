package dbtool.plugin.mariadb.checks;

import static dbtool.toolkit.Format.duration;

import dbtool.plugin.mariadb.Flavour;
import dbtool.plugin.mariadb.MariaDbSession;
import dbtool.spi.Category;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.spi.Threshold;
import dbtool.toolkit.BlockingForest;
import dbtool.toolkit.Format;
import dbtool.toolkit.Values;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * InnoDB row lock waits as blocking trees: who waits for whom, and the head blockers at the root
 * of each tree. Each query returns one row per wait edge, with the same column names on every
 * server, so {@link #interpret} does not care which one answered.
 */
final class RowLockWaitsCheck extends MariaDbCheck {

    @Override
    public List<Threshold> thresholds() {
        return List.of(MariaDbThresholds.BLOCKED_SESSIONS_CRITICAL, MariaDbThresholds.LOCK_WAIT_CRITICAL);
    }

    // MariaDB 10.5-11.4: INNODB_LOCK_WAITS and INNODB_LOCKS (information_schema, from memory).
    static final String MARIADB = """
            SELECT r.trx_mysql_thread_id AS waiting_id, b.trx_mysql_thread_id AS blocking_id,
                   TIMESTAMPDIFF(SECOND, r.trx_wait_started, NOW()) AS wait_seconds,
                   l.lock_table AS locked_table, l.lock_index AS locked_index, l.lock_mode AS lock_mode
            FROM information_schema.INNODB_LOCK_WAITS w
            JOIN information_schema.INNODB_TRX r ON r.trx_id = w.requesting_trx_id
            JOIN information_schema.INNODB_TRX b ON b.trx_id = w.blocking_trx_id
            LEFT JOIN information_schema.INNODB_LOCKS l ON l.lock_id = w.requested_lock_id
            """;
    // MySQL 8.0-8.4: the sys schema's view over performance_schema.data_lock_waits.
    static final String MYSQL_SYS = """
            SELECT waiting_pid AS waiting_id, blocking_pid AS blocking_id, wait_age_secs AS wait_seconds,
                   locked_table, locked_index, locked_type AS lock_mode
            FROM sys.innodb_lock_waits
            """;
    // MySQL 8.0-8.4 without the sys schema: performance_schema.data_lock_waits itself.
    static final String MYSQL_PERFORMANCE_SCHEMA = """
            SELECT r.trx_mysql_thread_id AS waiting_id, b.trx_mysql_thread_id AS blocking_id,
                   TIMESTAMPDIFF(SECOND, r.trx_wait_started, NOW()) AS wait_seconds,
                   CONCAT('`', dl.OBJECT_SCHEMA, '`.`', dl.OBJECT_NAME, '`') AS locked_table, dl.INDEX_NAME AS locked_index,
                   dl.LOCK_MODE AS lock_mode
            FROM performance_schema.data_lock_waits w
            JOIN information_schema.INNODB_TRX r ON r.trx_id = w.REQUESTING_ENGINE_TRANSACTION_ID
            JOIN information_schema.INNODB_TRX b ON b.trx_id = w.BLOCKING_ENGINE_TRANSACTION_ID
            LEFT JOIN performance_schema.data_locks dl ON dl.ENGINE_LOCK_ID = w.REQUESTING_ENGINE_LOCK_ID
            """;

    RowLockWaitsCheck() {
        super("blocking", Category.LOCKS,
                "InnoDB row lock waits as blocking trees: head blockers, their state, transaction age and query");
    }

    @Override
    public Set<String> findingCodes() {
        return Set.of("MARIADB_BLOCKING_CHAIN");
    }

    @Override
    protected CheckResult check(MariaDbSession session, CheckContext context) throws Exception {
        List<Map<String, Object>> waits = waits(session, context);
        Map<Long, Map<String, Object>> sessions = waits.isEmpty() ? Map.of() : Sessions.read(session, context);
        return interpret(waits, sessions, MariaDbThresholds.BLOCKED_SESSIONS_CRITICAL.value(context),
                MariaDbThresholds.LOCK_WAIT_CRITICAL.value(context)).build();
    }

    private static List<Map<String, Object>> waits(MariaDbSession session, CheckContext context) throws SQLException {
        if (session.flavour() == Flavour.MARIADB) {
            return session.query(MARIADB, context);
        }
        try {
            return session.query(MYSQL_SYS, context);
        } catch (SQLException e) {
            // 1049 unknown database / 1146 no such table: a server without the sys schema.
            if (e.getErrorCode() == 1049 || e.getErrorCode() == 1146 || e.getErrorCode() == 1356) {
                return session.query(MYSQL_PERFORMANCE_SCHEMA, context);
            }
            throw e;
        }
    }

    /** The finding from the wait edges and the sessions; thresholds as numbers so fixtures can drive it. */
    static CheckResult.Builder interpret(List<Map<String, Object>> waits, Map<Long, Map<String, Object>> sessions,
                                         double criticalWaiters, double criticalSeconds) {
        List<Map.Entry<Long, Long>> edges = new ArrayList<>();
        Map<Long, Map<String, Object>> waitOf = new LinkedHashMap<>();
        long longestWait = 0;
        for (Map<String, Object> wait : waits) {
            long waiter = Values.longValue(wait, "waiting_id");
            edges.add(BlockingForest.edge(waiter, Values.longValue(wait, "blocking_id")));
            waitOf.putIfAbsent(waiter, wait);
            longestWait = Math.max(longestWait, Values.longValue(wait, "wait_seconds"));
        }
        BlockingForest<Long> forest = BlockingForest.of(edges);
        CheckResult.Builder result = CheckResult.builder().metric("blocked_sessions", forest.waiters().size());
        if (forest.isEmpty()) {
            return result.metric("head_blockers", 0);
        }
        List<Long> heads = forest.headBlockers();
        List<Map<String, Object>> trees = forest.trees(place -> {
            long id = place.session();
            Map<String, Object> node = Sessions.node(id, sessions.get(id));
            Map<String, Object> wait = waitOf.get(id);
            if (wait != null) {
                node.put("waitSeconds", Values.longValue(wait, "wait_seconds"));
                node.put("lockedTable", Format.printable(Values.get(wait, "locked_table"), 200));
                node.put("lockedIndex", Format.printable(Values.get(wait, "locked_index"), 100));
                node.put("lockMode", Format.printable(Values.get(wait, "lock_mode"), 40));
                node.put("label", node.get("label") + ", waiting " + duration(Values.longValue(wait, "wait_seconds"))
                        + " for a " + Format.printable(Values.get(wait, "lock_mode"), 40) + " lock on " + Format.printable(Values.get(wait, "locked_table"), 120));
            }
            return node;
        }).nodes();
        boolean idleHead = heads.stream().anyMatch(id -> Sessions.idleInTransaction(sessions.get(id)));
        int waiting = forest.waiters().size();
        Severity severity = idleHead || waiting >= criticalWaiters || longestWait >= criticalSeconds ? Severity.CRITICAL : Severity.WARNING;
        long first = heads.getFirst();
        String title = waiting + (waiting == 1 ? " session waits" : " sessions wait") + " for InnoDB row locks"
                + (heads.size() == 1 ? " behind session " + first + (Sessions.idleInTransaction(sessions.get(first)) ? " (idle in transaction)" : "")
                : " behind " + heads.size() + " head blockers (sessions " + heads.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")");
        List<String> lines = new ArrayList<>();
        heads.forEach(id -> lines.add(Sessions.kill(id, sessions.get(id))));
        lines.add("Check with the owner of the application first; dbtool runs none of this.");
        return result.metric("head_blockers", heads.size()).metric("longest_wait_seconds", longestWait)
                .add(Finding.of("MARIADB_BLOCKING_CHAIN", severity, title)
                        .detail("The longest wait is " + duration(longestWait) + " (innodb_lock_wait_timeout ends a wait with error 1205;"
                                + " the head keeps its locks until its transaction ends). Ending a head blocker releases its whole tree."
                                + (idleHead ? " A head blocker is idle in transaction: it is not working, and it will not finish by itself." : ""))
                        .evidence("headBlockers", heads)
                        .evidence("blockedSessions", waiting)
                        .evidence("longestWaitSeconds", longestWait)
                        .evidence("blockingTree", trees)
                        .recommendation(String.join("\n", lines))
                        .playbook(playbook("mariadb-blocking-chain")).build());
    }
}
