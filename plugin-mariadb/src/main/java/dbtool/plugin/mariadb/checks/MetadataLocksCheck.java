package dbtool.plugin.mariadb.checks;

import static dbtool.toolkit.Format.duration;

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
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Metadata lock waits: a DDL statement (ALTER, TRUNCATE, DROP, RENAME) waiting for a transaction
 * that touched the table, and every later statement on that table queueing behind the DDL. From
 * performance_schema.metadata_locks when the server records them (MySQL 8 by default; MariaDB
 * with performance_schema=ON and the wait/lock/metadata/sql/mdl instrument); otherwise from the
 * processlist's "Waiting for table metadata lock", with the holders inferred from open
 * transactions and running statements older than the wait.
 */
final class MetadataLocksCheck extends MariaDbCheck {

    @Override
    public List<Threshold> thresholds() {
        return List.of(MariaDbThresholds.BLOCKED_SESSIONS_CRITICAL, MariaDbThresholds.LOCK_WAIT_CRITICAL);
    }

    static final String INSTRUMENT = """
            SELECT ENABLED AS mdl FROM performance_schema.setup_instruments WHERE NAME = 'wait/lock/metadata/sql/mdl'
            """;
    // MySQL 8.0-8.4, MariaDB 10.5-11.4 (performance_schema.metadata_locks has the same columns on both).
    static final String LOCKS = """
            SELECT t.PROCESSLIST_ID AS id, m.OBJECT_TYPE AS object_type, m.OBJECT_SCHEMA AS object_schema,
                   m.OBJECT_NAME AS object_name, m.LOCK_TYPE AS lock_type, m.LOCK_STATUS AS lock_status
            FROM performance_schema.metadata_locks m
            JOIN performance_schema.threads t ON t.THREAD_ID = m.OWNER_THREAD_ID
            WHERE t.PROCESSLIST_ID IS NOT NULL AND t.PROCESSLIST_ID <> CONNECTION_ID()
            """;

    MetadataLocksCheck() {
        super("metadata-locks", Category.LOCKS,
                "metadata lock waits (DDL behind open transactions, queries behind DDL), from performance_schema or the processlist");
    }

    @Override
    public Set<String> findingCodes() {
        return Set.of("MARIADB_METADATA_LOCK_WAIT");
    }

    @Override
    protected CheckResult check(MariaDbSession session, CheckContext context) throws Exception {
        boolean recorded = recorded(session, context);
        Map<Long, Map<String, Object>> sessions = Sessions.read(session, context);
        double criticalWaiters = MariaDbThresholds.BLOCKED_SESSIONS_CRITICAL.value(context);
        double criticalSeconds = MariaDbThresholds.LOCK_WAIT_CRITICAL.value(context);
        if (recorded) {
            return fromPerformanceSchema(session.query(LOCKS, context), sessions, criticalWaiters, criticalSeconds).build();
        }
        if (hasUnexplainedWaiter(sessions) && context.remaining().toMillis() > 1000) {
            // InnoDB serves INNODB_TRX from a cache that it refreshes only after 100 ms without readers:
            // read once more after that, before saying that a holder cannot be seen.
            Thread.sleep(150);
            sessions = Sessions.read(session, context);
        }
        return fromProcesslist(sessions, criticalWaiters, criticalSeconds).build();
    }

    private static boolean hasUnexplainedWaiter(Map<Long, Map<String, Object>> sessions) {
        for (Map.Entry<Long, Map<String, Object>> waiter : sessions.entrySet()) {
            if (waitingForMetadataLock(waiter.getValue()) && sessions.entrySet().stream().noneMatch(other ->
                    !waitingForMetadataLock(other.getValue()) && holdsSince(other.getValue(), Values.longValue(waiter.getValue(), "seconds")))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether performance_schema records metadata locks and this account may read them (SELECT on
     * performance_schema; error 1142 otherwise, and the processlist is the way left).
     */
    private static boolean recorded(MariaDbSession session, CheckContext context) throws SQLException {
        if (Values.longValue(session.queryOne("SELECT @@performance_schema AS enabled", context), "enabled") == 0) {
            return false;
        }
        try {
            return "YES".equalsIgnoreCase(Values.text(session.queryOne(INSTRUMENT, context), "mdl"));
        } catch (SQLException e) {
            if (e.getErrorCode() == 1142) {
                return false;
            }
            throw e;
        }
    }

    /** From performance_schema.metadata_locks rows: exact edges after the server's compatibility tables. */
    static CheckResult.Builder fromPerformanceSchema(List<Map<String, Object>> locks, Map<Long, Map<String, Object>> sessions,
                                                     double criticalWaiters, double criticalSeconds) {
        Map<String, List<Map<String, Object>>> byObject = new LinkedHashMap<>();
        for (Map<String, Object> lock : locks) {
            String key = Values.text(lock, "object_type") + "\u0000" + Values.text(lock, "object_schema") + "\u0000" + Values.text(lock, "object_name");
            byObject.computeIfAbsent(key, k -> new ArrayList<>()).add(lock);
        }
        List<Map.Entry<Long, Long>> edges = new ArrayList<>();
        Map<Long, String> objectOf = new LinkedHashMap<>();
        for (List<Map<String, Object>> onObject : byObject.values()) {
            for (Map<String, Object> request : onObject) {
                if (!"PENDING".equalsIgnoreCase(Values.text(request, "lock_status"))) {
                    continue;
                }
                long waiter = Values.longValue(request, "id");
                objectOf.putIfAbsent(waiter, object(request));
                for (Map<String, Object> other : onObject) {
                    long holder = Values.longValue(other, "id");
                    if (holder == waiter) {
                        continue;
                    }
                    boolean granted = "GRANTED".equalsIgnoreCase(Values.text(other, "lock_status"));
                    boolean waits = granted
                            ? MetadataLockConflicts.waitsForGranted(Values.text(request, "lock_type"), Values.text(other, "lock_type"))
                            : MetadataLockConflicts.queuesBehindPending(Values.text(request, "lock_type"), Values.text(other, "lock_type"));
                    if (waits) {
                        edges.add(BlockingForest.edge(waiter, holder));
                    }
                }
            }
        }
        return finding(BlockingForest.of(edges), objectOf, sessions, "performance_schema.metadata_locks", criticalWaiters, criticalSeconds);
    }

    /**
     * From the processlist alone: the waiters are exact, the holders are inferred (sessions with
     * a transaction or statement that began before the wait and are not waiting themselves).
     */
    static CheckResult.Builder fromProcesslist(Map<Long, Map<String, Object>> sessions, double criticalWaiters, double criticalSeconds) {
        Map<Long, Map<String, Object>> waiters = new LinkedHashMap<>();
        sessions.forEach((id, row) -> {
            if (waitingForMetadataLock(row)) {
                waiters.put(id, row);
            }
        });
        List<Map.Entry<Long, Long>> edges = new ArrayList<>();
        Map<Long, String> objectOf = new LinkedHashMap<>();
        List<Long> unexplained = new ArrayList<>();
        waiters.forEach((waiter, row) -> {
            long waited = Values.longValue(row, "seconds");
            objectOf.put(waiter, Format.printable(Values.get(row, "state"), 80).replaceFirst("^Waiting for ", "").replace(" metadata lock", ""));
            boolean found = false;
            for (Map.Entry<Long, Map<String, Object>> candidate : sessions.entrySet()) {
                Map<String, Object> other = candidate.getValue();
                if (waiters.containsKey(candidate.getKey()) || !holdsSince(other, waited)) {
                    continue;
                }
                edges.add(BlockingForest.edge(waiter, candidate.getKey()));
                found = true;
            }
            if (!found) {
                unexplained.add(waiter);
            }
        });
        CheckResult.Builder result = finding(BlockingForest.of(edges), objectOf, sessions, "processlist (holders inferred)",
                criticalWaiters, criticalSeconds);
        if (!unexplained.isEmpty()) {
            List<Map<String, Object>> rows = unexplained.stream().map(id -> Sessions.node(id, sessions.get(id))).toList();
            long longest = unexplained.stream().mapToLong(id -> Values.longValue(sessions.get(id), "seconds")).max().orElse(0);
            result.add(Finding.of("MARIADB_METADATA_LOCK_WAIT", severity(unexplained.size(), longest, false, criticalWaiters, criticalSeconds),
                            unexplained.size() + (unexplained.size() == 1 ? " session waits" : " sessions wait")
                                    + " for a metadata lock held by a session dbtool cannot see")
                    .detail("No session with an open transaction or a statement older than the wait: the holder may use LOCK TABLES,"
                            + " a non-InnoDB table, or run as an account whose sessions this login cannot see (PROCESS privilege).")
                    .evidence("headBlockers", List.of())
                    .evidence("waiters", rows)
                    .evidence("source", "processlist")
                    .recommendation(enableInstrument())
                    .playbook(playbook("mariadb-metadata-locks")).build());
        }
        return result;
    }

    private static CheckResult.Builder finding(BlockingForest<Long> forest, Map<Long, String> objectOf, Map<Long, Map<String, Object>> sessions,
                                               String source, double criticalWaiters, double criticalSeconds) {
        CheckResult.Builder result = CheckResult.builder().metric("metadata_lock_waiters", objectOf.size());
        if (forest.isEmpty()) {
            return result;
        }
        boolean inferred = !source.startsWith("performance_schema");
        List<Long> heads = forest.headBlockers();
        long longest = forest.waiters().stream().mapToLong(id -> Values.longValue(sessions.getOrDefault(id, Map.of()), "seconds")).max().orElse(0);
        boolean idleHead = heads.stream().anyMatch(id -> Sessions.idleInTransaction(sessions.get(id)));
        List<Map<String, Object>> trees = forest.trees(place -> {
            Map<String, Object> node = Sessions.node(place.session(), sessions.get(place.session()));
            String object = objectOf.get(place.session());
            if (object != null) {
                node.put("waitingFor", object);
            }
            return node;
        }).nodes();
        List<String> objects = objectOf.values().stream().distinct().limit(5).toList();
        String title = forest.waiters().size() + (forest.waiters().size() == 1 ? " session waits" : " sessions wait")
                + " for a metadata lock on " + String.join(", ", objects)
                + (heads.size() == 1 ? (inferred ? ", probably" : ",") + " behind session " + heads.getFirst()
                + (Sessions.idleInTransaction(sessions.get(heads.getFirst())) ? " (idle in transaction)" : "")
                : (inferred ? ", probably" : ",") + " behind sessions " + heads.stream().map(String::valueOf).collect(Collectors.joining(", ")));
        List<String> lines = new ArrayList<>();
        heads.forEach(id -> lines.add(Sessions.kill(id, sessions.get(id))));
        lines.add("Or stop the DDL instead (KILL QUERY on the waiting ALTER/TRUNCATE/DROP), which releases the statements queued behind it.");
        if (inferred) {
            lines.add(enableInstrument());
        }
        lines.add("Check with the owner of the application first; dbtool runs none of this.");
        return result.metric("metadata_lock_head_blockers", heads.size()).metric("longest_metadata_lock_wait_seconds", longest)
                .add(Finding.of("MARIADB_METADATA_LOCK_WAIT", severity(forest.waiters().size(), longest, idleHead, criticalWaiters, criticalSeconds), title)
                        .detail("A statement that changes a table's definition waits until every transaction that used the table ends,"
                                + " and every later statement on the table queues behind it (lock_wait_timeout, a year by default,"
                                + " bounds the wait). The longest wait is " + duration(longest) + "."
                                + (inferred ? " The server does not record metadata locks, so the holders are inferred: sessions with a"
                                + " transaction or statement older than the wait." : "")
                                + (idleHead ? " A head blocker is idle in transaction: it will not finish by itself." : ""))
                        .evidence("headBlockers", heads)
                        .evidence("source", source)
                        .evidence("objects", objects)
                        .evidence("blockedSessions", forest.waiters().size())
                        .evidence("longestWaitSeconds", longest)
                        .evidence("blockingTree", trees)
                        .recommendation(String.join("\n", lines))
                        .playbook(playbook("mariadb-metadata-locks")).build());
    }

    private static Severity severity(int waiters, long longest, boolean idleHead, double criticalWaiters, double criticalSeconds) {
        return idleHead || waiters >= criticalWaiters || longest >= criticalSeconds ? Severity.CRITICAL : Severity.WARNING;
    }

    static boolean waitingForMetadataLock(Map<String, Object> row) {
        String state = Values.text(row, "state").toLowerCase(Locale.ROOT);
        return state.startsWith("waiting for") && state.endsWith("metadata lock");
    }

    /**
     * A transaction open, or a statement running, since before a wait of {@code waited} seconds
     * began. Both ages are whole seconds cut from different clocks (trx_started, the processlist's
     * TIME), so a second of slack: a holder that began in the same second as the wait is kept.
     */
    private static boolean holdsSince(Map<String, Object> row, long waited) {
        Long trx = Values.longOrNull(row, "trx_seconds");
        if (trx != null && trx + 1 >= waited) {
            return true;
        }
        String command = Values.text(row, "command");
        return (command.equalsIgnoreCase("Query") || command.equalsIgnoreCase("Execute"))
                && Values.longValue(row, "seconds") + 1 >= waited && !Values.text(row, "query").isEmpty()
                && !Objects.equals(Values.text(row, "user"), "system user");
    }

    private static String object(Map<String, Object> lock) {
        String schema = Values.text(lock, "object_schema");
        String name = Values.text(lock, "object_name");
        String type = Values.text(lock, "object_type").toLowerCase(Locale.ROOT);
        if (schema.isEmpty() && name.isEmpty()) {
            return type;
        }
        return (type.equals("table") ? "" : type + " ") + Format.printable(schema.isEmpty() ? name : name.isEmpty() ? schema : schema + "." + name, 120);
    }

    private static String enableInstrument() {
        return "To see the holders exactly, record metadata locks (performance_schema=ON in the server's configuration, then):"
                + " UPDATE performance_schema.setup_instruments SET ENABLED = 'YES', TIMED = 'YES'"
                + " WHERE NAME = 'wait/lock/metadata/sql/mdl'; and let dbtool's account read them: GRANT SELECT ON"
                + " performance_schema.* TO ...;";
    }
}
