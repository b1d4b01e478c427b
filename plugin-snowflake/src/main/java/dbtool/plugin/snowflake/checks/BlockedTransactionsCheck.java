package dbtool.plugin.snowflake.checks;

import dbtool.plugin.snowflake.SnowflakeErrors;
import dbtool.plugin.snowflake.SnowflakeSession;
import dbtool.spi.Category;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.spi.Threshold;
import dbtool.spi.TraceContext;
import dbtool.toolkit.BlockingForest;
import dbtool.toolkit.Format;
import dbtool.toolkit.Values;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Transactions blocked on locks, as a forest: the transactions holding a lock others wait for,
 * those waiting, and which holders wait for nobody (head blockers). Aborting a head blocker
 * releases its whole tree. Snowflake locks tables (or their partitions) for DML, so the blocked
 * work is DML, and a forgotten open transaction (an explicit BEGIN in a tool or notebook) is the
 * usual head blocker.
 */
final class BlockedTransactionsCheck extends SnowflakeCheck {

    static final Threshold CRITICAL_WAITERS = Threshold.number("blocked_sessions_critical", 5, "transactions",
            "CRITICAL from this many blocked transactions or statements");

    static final Threshold CRITICAL_WAIT = Threshold.number("lock_wait_critical_seconds", 60, "s",
            "CRITICAL when the longest lock wait reaches this");

    static final Threshold LONG_TRANSACTION = Threshold.number("long_transaction_seconds", 3600, "s",
            "an open transaction this old is SF_LONG_TRANSACTION");

    @Override
    public List<Threshold> thresholds() {
        return List.of(CRITICAL_WAITERS, CRITICAL_WAIT, LONG_TRANSACTION);
    }

    /*
     * SHOW LOCKS / SHOW TRANSACTIONS IN ACCOUNT need ACCOUNTADMIN; without it the plain forms show
     * the current user's own, which is better than nothing (columns per the SHOW LOCKS reference:
     * resource, type, transaction, transaction_started_on, status HOLDING|WAITING, acquired_on,
     * query_id; SHOW TRANSACTIONS: id, user, session, name, started_on, state, scope; 2026-11).
     */
    static final String LOCKS_IN_ACCOUNT = "SHOW LOCKS IN ACCOUNT";
    static final String LOCKS_OWN = "SHOW LOCKS";
    static final String TRANSACTIONS_IN_ACCOUNT = "SHOW TRANSACTIONS IN ACCOUNT";
    static final String TRANSACTIONS_OWN = "SHOW TRANSACTIONS";

    /*
     * Statements waiting on a lock right now (INFORMATION_SCHEMA.QUERY_HISTORY, documented columns;
     * the table function returns the most recent RESULT_LIMIT queries the role may see, then the
     * filter applies). EXECUTION_STATUS is compared upper-cased: the documentation spells the
     * values in lower case, the views return them in upper case.
     */
    static final String BLOCKED_QUERIES = """
            SELECT QUERY_ID, SESSION_ID, USER_NAME, WAREHOUSE_NAME, EXECUTION_STATUS, START_TIME,
                   DATEDIFF('second', START_TIME, CURRENT_TIMESTAMP()) AS ELAPSED_SECONDS,
                   LEFT(QUERY_TEXT, 300) AS QUERY_TEXT, QUERY_TAG
            FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY(RESULT_LIMIT => 1000))
            WHERE UPPER(EXECUTION_STATUS) = 'BLOCKED'
            ORDER BY START_TIME
            LIMIT 100
            """;

    BlockedTransactionsCheck() {
        super("blocked-transactions", Category.LOCKS, "transactions waiting on locks (SHOW LOCKS, SHOW TRANSACTIONS, QUERY_HISTORY "
                + "BLOCKED): head blockers with their age, and SYSTEM$ABORT_TRANSACTION to release them");
    }

    /** What the check read; {@code accountWide} is false when the role could see only its own locks. */
    record Snapshot(List<Map<String, Object>> locks, List<Map<String, Object>> transactions,
                    List<Map<String, Object>> blockedQueries, boolean accountWide, String queryHistoryError) {
    }

    @Override
    public Set<String> findingCodes() {
        return Set.of("SF_BLOCKED_TRANSACTIONS", "SF_LONG_TRANSACTION");
    }

    @Override
    protected CheckResult check(SnowflakeSession session, CheckContext context) throws Exception {
        boolean accountWide = true;
        List<Map<String, Object>> locks;
        List<Map<String, Object>> transactions;
        try {
            locks = session.query(LOCKS_IN_ACCOUNT, context);
            transactions = session.query(TRANSACTIONS_IN_ACCOUNT, context);
        } catch (SQLException e) {
            if (!accessDenied(e)) {
                throw e;
            }
            accountWide = false;
            locks = session.query(LOCKS_OWN, context);
            transactions = session.query(TRANSACTIONS_OWN, context);
        }
        List<Map<String, Object>> blocked = List.of();
        String historyError = null;
        try {
            blocked = session.query(BLOCKED_QUERIES, context);
        } catch (SQLException e) {
            historyError = SnowflakeErrors.describe(e);
        }
        return interpret(new Snapshot(locks, transactions, blocked, accountWide, historyError), context, Instant.now());
    }

    static CheckResult interpret(Snapshot snapshot, CheckContext context, Instant now) {
        Map<Long, Map<String, Object>> transactions = new LinkedHashMap<>();
        for (Map<String, Object> row : snapshot.transactions()) {
            transactions.put(Values.longValue(row, "id"), row);
        }
        Map<String, List<Map<String, Object>>> byResource = new LinkedHashMap<>();
        for (Map<String, Object> lock : snapshot.locks()) {
            byResource.computeIfAbsent(Values.text(lock, "resource"), k -> new ArrayList<>()).add(lock);
        }
        // Edges: every holder of a resource blocks every waiter for it.
        List<Map.Entry<Long, Long>> edges = new ArrayList<>();
        Map<Long, String> waitingFor = new HashMap<>();
        Map<Long, List<String>> holding = new HashMap<>();
        Map<Long, Map<String, Object>> lockOf = new HashMap<>();
        for (Map.Entry<String, List<Map<String, Object>>> entry : byResource.entrySet()) {
            List<Long> holders = new ArrayList<>();
            List<Long> waiters = new ArrayList<>();
            for (Map<String, Object> lock : entry.getValue()) {
                long txn = Values.longValue(lock, "transaction");
                lockOf.putIfAbsent(txn, lock);
                if ("WAITING".equalsIgnoreCase(Values.text(lock, "status"))) {
                    waiters.add(txn);
                    waitingFor.put(txn, entry.getKey());
                    lockOf.put(txn, lock);
                } else {
                    holders.add(txn);
                    holding.computeIfAbsent(txn, k -> new ArrayList<>()).add(entry.getKey());
                }
            }
            for (long holder : holders) {
                for (long waiter : waiters) {
                    edges.add(BlockingForest.edge(waiter, holder));
                }
            }
        }
        BlockingForest<Long> blocking = BlockingForest.of(edges);
        Set<Long> waiting = waitingFor.keySet();
        List<Map<String, Object>> blockedQueries = snapshot.blockedQueries().stream().map(BlockedTransactionsCheck::queryRow).toList();
        long longestQueryWait = snapshot.blockedQueries().stream().mapToLong(r -> Values.longValue(r, "ELAPSED_SECONDS")).max().orElse(0);
        long longestLockWait = waiting.stream().mapToLong(txn -> seconds(Values.instant(lockOf.get(txn), "acquired_on") != null
                ? Values.instant(lockOf.get(txn), "acquired_on") : Values.instant(lockOf.get(txn), "transaction_started_on"), now)).max().orElse(0);
        long longestWait = Math.max(longestQueryWait, longestLockWait);
        int blockedCount = Math.max(waiting.size(), blockedQueries.size());

        CheckResult.Builder result = CheckResult.builder()
                .metric("blocked_transactions", waiting.size())
                .metric("blocked_queries", blockedQueries.size())
                .metric("open_transactions", transactions.size())
                .metric("lock_visibility", snapshot.accountWide() ? "account" : "own sessions");
        String visibility = snapshot.accountWide() ? "" : " The role sees only its own locks (SHOW LOCKS IN ACCOUNT needs ACCOUNTADMIN), "
                + "so holders in other users' sessions may be missing.";
        String history = snapshot.queryHistoryError() == null ? "" : " QUERY_HISTORY could not be read: " + snapshot.queryHistoryError();

        if (!blocking.isEmpty()) {
            List<Long> heads = blocking.headBlockers();
            BlockingForest.Trees forest = blocking.trees(place -> node(place.session(), transactions, waitingFor, holding, lockOf, now));
            double criticalCount = CRITICAL_WAITERS.value(context);
            double criticalSeconds = CRITICAL_WAIT.value(context);
            Severity severity = !blocking.deadlocks().isEmpty() || blockedCount >= criticalCount || longestWait >= criticalSeconds
                    ? Severity.CRITICAL : Severity.WARNING;
            long firstHead = heads.getFirst();
            String title = waiting.size() + (waiting.size() == 1 ? " transaction is" : " transactions are") + " blocked"
                    + (heads.size() == 1 ? " behind " + describe(firstHead, transactions, now)
                    : " behind " + heads.size() + " head blockers (transactions " + heads.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")");
            result.metric("head_blockers", heads.size()).metric("longest_wait_seconds", longestWait);
            return result.add(Finding.of("SF_BLOCKED_TRANSACTIONS", severity, title)
                    .detail("The longest wait is " + Format.duration(longestWait) + ". Waiters queue behind the head blocker; aborting it rolls "
                            + "back its work and releases its whole tree."
                            + (blocking.deadlocks().isEmpty() ? "" : " Transactions wait for each other in a ring (a deadlock in progress): "
                            + "Snowflake aborts one of them, or LOCK_TIMEOUT ends a wait.") + visibility + history)
                    .evidence("headBlockers", heads)
                    .evidence("blockedTransactions", waiting.size())
                    .evidence("longestWaitSeconds", longestWait)
                    .evidence("blockingTree", forest.nodes())
                    .evidence(BlockingForest.cutAndRings(forest, blocking.deadlocks()))
                    .evidence("blockedQueries", blockedQueries)
                    .recommendation(recommendation(heads, transactions, now))
                    .playbook(playbook("sf-blocked-transactions")).build()).build();
        }
        if (!blockedQueries.isEmpty()) {
            // Blocked statements, but the holders are not visible to this role.
            Severity severity = blockedQueries.size() >= CRITICAL_WAITERS.value(context)
                    || longestWait >= CRITICAL_WAIT.value(context) ? Severity.CRITICAL : Severity.WARNING;
            result.metric("head_blockers", 0).metric("longest_wait_seconds", longestWait);
            return result.add(Finding.of("SF_BLOCKED_TRANSACTIONS", severity, blockedQueries.size()
                            + (blockedQueries.size() == 1 ? " statement is" : " statements are") + " blocked on locks held by transactions this role cannot see")
                    .detail("The longest wait is " + Format.duration(longestWait) + "." + visibility + history)
                    .evidence("headBlockers", List.of())
                    .evidence("blockedTransactions", 0)
                    .evidence("longestWaitSeconds", longestWait)
                    .evidence("blockingTree", List.of())
                    .evidence("blockedQueries", blockedQueries)
                    .recommendation("Run the diagnosis with a role that can see every lock (ACCOUNTADMIN: SHOW LOCKS IN ACCOUNT), "
                            + "then abort the holding transaction with SELECT SYSTEM$ABORT_TRANSACTION(<transaction id>);")
                    .playbook(playbook("sf-blocked-transactions")).build()).build();
        }
        result.metric("head_blockers", 0);
        double longTransaction = LONG_TRANSACTION.value(context);
        List<Map<String, Object>> old = transactions.values().stream()
                .filter(t -> seconds(Values.instant(t, "started_on"), now) >= longTransaction)
                .map(t -> transactionRow(t, holding, now))
                .sorted(Comparator.comparingLong((Map<String, Object> t) -> (Long) t.get("ageSeconds")).reversed()).toList();
        if (!old.isEmpty()) {
            result.add(Finding.of("SF_LONG_TRANSACTION", Severity.WARNING, old.size() + (old.size() == 1 ? " transaction has" : " transactions have")
                            + " been open longer than " + Format.duration((long) longTransaction) + " (the oldest " + Format.duration((Long) old.getFirst().get("ageSeconds")) + ")")
                    .detail("An open transaction keeps its table locks until it commits or rolls back; the next DML on those tables "
                            + "will queue behind it." + visibility)
                    .evidence("headBlockers", List.of())
                    .evidence("transactions", old)
                    .recommendation("Ask the owner to commit or roll back; if it is abandoned: "
                            + old.stream().limit(5).map(t -> "SELECT SYSTEM$ABORT_TRANSACTION(" + t.get("transaction") + ");").collect(Collectors.joining(" ")))
                    .playbook(playbook("sf-blocked-transactions")).build());
        }
        return result.build();
    }

    private static Map<String, Object> node(long txn, Map<Long, Map<String, Object>> transactions, Map<Long, String> waitingFor,
                                            Map<Long, List<String>> holding, Map<Long, Map<String, Object>> lockOf, Instant now) {
        Map<String, Object> transaction = transactions.get(txn);
        Map<String, Object> lock = lockOf.get(txn);
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("transaction", txn);
        StringBuilder label = new StringBuilder("txn ").append(txn);
        Instant started = transaction != null ? Values.instant(transaction, "started_on") : lock == null ? null : Values.instant(lock, "transaction_started_on");
        long age = seconds(started, now);
        if (transaction != null) {
            label.append(' ').append(Values.text(transaction, "state").toLowerCase(Locale.ROOT));
            node.put("user", Values.text(transaction, "user"));
            node.put("session", Values.longValue(transaction, "session"));
            node.put("state", Values.text(transaction, "state"));
        }
        label.append(", open ").append(Format.duration(age));
        node.put("ageSeconds", age);
        if (waitingFor.containsKey(txn)) {
            long waited = seconds(lock == null ? null : Values.instant(lock, "acquired_on"), now);
            label.append(", waiting");
            if (waited > 0) {
                label.append(' ').append(Format.duration(waited));
            }
            label.append(" for ").append(waitingFor.get(txn));
            node.put("waitingFor", waitingFor.get(txn));
        } else if (holding.containsKey(txn)) {
            label.append(", holds ").append(String.join(", ", holding.get(txn)));
            node.put("holds", holding.get(txn));
        }
        if (transaction != null) {
            label.append(", user ").append(Values.text(transaction, "user")).append(", session ").append(Values.longValue(transaction, "session"));
        }
        if (lock != null && !Values.text(lock, "query_id").isEmpty()) {
            label.append(", query ").append(Values.text(lock, "query_id"));
            node.put("queryId", Values.text(lock, "query_id"));
        }
        node.put("label", label.toString());
        return node;
    }

    private static String describe(long txn, Map<Long, Map<String, Object>> transactions, Instant now) {
        Map<String, Object> transaction = transactions.get(txn);
        if (transaction == null) {
            return "transaction " + txn;
        }
        return "transaction " + txn + " (user " + Values.text(transaction, "user") + ", open "
                + Format.duration(seconds(Values.instant(transaction, "started_on"), now)) + ")";
    }

    private static String recommendation(List<Long> heads, Map<Long, Map<String, Object>> transactions, Instant now) {
        List<String> lines = new ArrayList<>();
        for (long txn : heads) {
            Map<String, Object> transaction = transactions.get(txn);
            lines.add("SELECT SYSTEM$ABORT_TRANSACTION(" + txn + ");  -- rolls back the head blocker"
                    + (transaction == null ? "" : " (user " + Values.text(transaction, "user") + ", session " + Values.longValue(transaction, "session")
                    + ", open " + Format.duration(seconds(Values.instant(transaction, "started_on"), now)) + ")"));
        }
        lines.add("Check with the owner of the transaction first; dbtool runs none of this.");
        return String.join("\n", lines);
    }

    private static Map<String, Object> queryRow(Map<String, Object> row) {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("queryId", Values.text(row, "QUERY_ID"));
        query.put("user", Values.text(row, "USER_NAME"));
        query.put("warehouse", Values.text(row, "WAREHOUSE_NAME"));
        query.put("blockedSeconds", Values.longValue(row, "ELAPSED_SECONDS"));
        query.put("query", Format.oneLine(Values.text(row, "QUERY_TEXT"), 120));
        // The application's trace context: a JSON query tag ({"traceparent": "00-..."}) or a comment in the statement.
        TraceContext.addFound(query, Values.text(row, "QUERY_TAG"), Values.text(row, "QUERY_TEXT"));
        return query;
    }

    private static Map<String, Object> transactionRow(Map<String, Object> transaction, Map<Long, List<String>> holding, Instant now) {
        long id = Values.longValue(transaction, "id");
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("transaction", id);
        row.put("user", Values.text(transaction, "user"));
        row.put("session", Values.longValue(transaction, "session"));
        row.put("state", Values.text(transaction, "state"));
        row.put("ageSeconds", seconds(Values.instant(transaction, "started_on"), now));
        row.put("holds", String.join(", ", holding.getOrDefault(id, List.of())));
        return row;
    }

    private static long seconds(Instant since, Instant now) {
        return since == null ? 0 : Math.max(0, Duration.between(since, now).toSeconds());
    }
}
