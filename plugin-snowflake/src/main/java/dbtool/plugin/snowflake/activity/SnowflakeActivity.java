package dbtool.plugin.snowflake.activity;

import dbtool.plugin.snowflake.SnowflakeSession;
import dbtool.spi.Activity;
import dbtool.spi.ActiveSession;
import dbtool.spi.CheckContext;
import dbtool.toolkit.ActivityTrees;
import dbtool.toolkit.Format;
import dbtool.toolkit.Values;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * {@code dbtool top}'s snapshot of a Snowflake account, from what the checks already read: the
 * queries running, queued, blocked or waiting for their warehouse to resume (INFORMATION_SCHEMA.QUERY_HISTORY,
 * as the long-queries and queued-queries checks read it), the locks and open transactions (SHOW LOCKS and
 * SHOW TRANSACTIONS IN ACCOUNT, as the blocked-transactions check reads them, falling back to the role's own
 * without ACCOUNTADMIN), and the warehouses' running and queued counts (SHOW WAREHOUSES): four statements
 * per refresh. A session of the view is a query (its id is the query id); a transaction that holds a lock
 * others wait for while running no query is listed as {@code txn <id>}, the head of their tree.
 *
 * <p>Snowflake reports no CPU per query; bytes scanned is the I/O figure (the view's rate is bytes/s).
 * One instance per session: it remembers whether the role may see the whole account, so that a denied
 * SHOW ... IN ACCOUNT is not sent again on every refresh, and each query's parameterized hash, which
 * {@link SnowflakePlan} uses to find a completed run of a running statement.
 */
public final class SnowflakeActivity {

    /**
     * Queries not finished yet (documented EXECUTION_STATUS values: resuming_warehouse, running, queued,
     * blocked; the views return them upper-cased). QUERY_HISTORY gives the most recent RESULT_LIMIT queries
     * the role may see, then the filter applies: the same reading as the long-queries check. Times in
     * milliseconds; QUERY_PARAMETERIZED_HASH (2023 on) groups runs of the same statement.
     */
    static final String QUERIES = """
            SELECT QUERY_ID, SESSION_ID, USER_NAME, ROLE_NAME, DATABASE_NAME, WAREHOUSE_NAME, WAREHOUSE_SIZE, QUERY_TAG,
                   UPPER(EXECUTION_STATUS) AS EXECUTION_STATUS, START_TIME,
                   DATEDIFF('millisecond', START_TIME, CURRENT_TIMESTAMP()) AS ELAPSED_MS,
                   QUEUED_OVERLOAD_TIME, QUEUED_PROVISIONING_TIME, TRANSACTION_BLOCKED_TIME, BYTES_SCANNED,
                   QUERY_PARAMETERIZED_HASH, LEFT(QUERY_TEXT, 4000) AS QUERY_TEXT
            FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY(RESULT_LIMIT => 1000))
            WHERE UPPER(EXECUTION_STATUS) IN ('RUNNING', 'QUEUED', 'BLOCKED', 'RESUMING_WAREHOUSE')
            ORDER BY START_TIME
            LIMIT 200
            """;

    /** The blocked-transactions check's statements: ACCOUNTADMIN sees every session's, other roles their own. */
    static final String LOCKS_IN_ACCOUNT = "SHOW LOCKS IN ACCOUNT";
    static final String LOCKS_OWN = "SHOW LOCKS";
    static final String TRANSACTIONS_IN_ACCOUNT = "SHOW TRANSACTIONS IN ACCOUNT";
    static final String TRANSACTIONS_OWN = "SHOW TRANSACTIONS";
    /** The warehouse check's statement: running and queued per warehouse, the account's load now. */
    static final String WAREHOUSES = "SHOW WAREHOUSES";

    /** Snowflake query ids: hexadecimal groups joined by dashes; anything else never reaches a statement. */
    static final Pattern QUERY_ID = Pattern.compile("[0-9A-Fa-f]{1,16}(-[0-9A-Fa-f]{1,16}){0,7}");

    private final SnowflakeSession session;
    private volatile boolean accountWide = true;
    private final Map<String, String> hashes = new ConcurrentHashMap<>();

    public SnowflakeActivity(SnowflakeSession session) {
        this.session = session;
    }

    /** What the refresh read, as rows; separate from the reading so that fixtures can test it. */
    public record Reading(List<Map<String, Object>> queries, List<Map<String, Object>> locks, List<Map<String, Object>> transactions,
                          List<Map<String, Object>> warehouses, boolean accountWide, int statements) {
    }

    public Activity read(CheckContext context) throws SQLException {
        List<Map<String, Object>> queries = session.query(QUERIES, context);
        // When bytes scanned were read: after the answer, so that a first refresh's login is not counted as time between samples.
        Instant at = Instant.now();
        int statements = 4;
        List<Map<String, Object>> locks;
        List<Map<String, Object>> transactions;
        if (accountWide) {
            try {
                locks = session.query(LOCKS_IN_ACCOUNT, context);
                transactions = session.query(TRANSACTIONS_IN_ACCOUNT, context);
            } catch (SQLException e) {
                if (!accessDenied(e)) {
                    throw e;
                }
                accountWide = false;
                statements += 1;
                locks = session.query(LOCKS_OWN, context);
                transactions = session.query(TRANSACTIONS_OWN, context);
            }
        } else {
            locks = session.query(LOCKS_OWN, context);
            transactions = session.query(TRANSACTIONS_OWN, context);
        }
        List<Map<String, Object>> warehouses = session.query(WAREHOUSES, context);
        hashes.clear();
        for (Map<String, Object> row : queries) {
            String hash = Values.text(row, "QUERY_PARAMETERIZED_HASH");
            if (!hash.isEmpty()) {
                hashes.put(Values.text(row, "QUERY_ID"), hash);
            }
        }
        return interpret(at, new Reading(queries, locks, transactions, warehouses, accountWide, statements));
    }

    /** The parameterized hash of a query of the latest snapshot, or null. */
    String hashOf(String queryId) {
        return hashes.get(queryId);
    }

    static boolean accessDenied(SQLException e) {
        String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        return "42501".equals(e.getSQLState()) || e.getErrorCode() == 3001 || message.contains("insufficient privileges")
                || message.contains("access control");
    }

    /** A transaction as SHOW LOCKS and SHOW TRANSACTIONS describe it: what it holds, what it waits for. */
    private static final class Transaction {
        final long id;
        Map<String, Object> row;
        final List<Map<String, Object>> locks = new ArrayList<>();
        final Set<String> waitsFor = new LinkedHashSet<>();
        String node;

        Transaction(long id) {
            this.id = id;
        }
    }

    /** The rows of one refresh as the snapshot. */
    public static Activity interpret(Instant at, Reading reading) {
        // dbtool's own statements carry QUERY_TAG=dbtool and are not the account's activity.
        List<Map<String, Object>> queries = reading.queries().stream().filter(r -> !"dbtool".equals(Values.text(r, "QUERY_TAG"))).toList();
        Map<Long, Transaction> transactions = transactions(reading);

        // Which listed query each transaction runs now: the query of its session, else the one that took its lock.
        Map<String, Map<String, Object>> queryById = new LinkedHashMap<>();
        Map<Long, String> queryBySession = new HashMap<>();
        for (Map<String, Object> query : queries) {
            queryById.put(Values.text(query, "QUERY_ID"), query);
            queryBySession.putIfAbsent(Values.longValue(query, "SESSION_ID"), Values.text(query, "QUERY_ID"));
        }
        Map<String, Transaction> transactionOfQuery = new HashMap<>();
        for (Transaction txn : transactions.values()) {
            String running = txn.row == null ? null : queryBySession.get(Values.longValue(txn.row, "session"));
            if (running == null) {
                running = txn.locks.stream().map(l -> Values.text(l, "query_id")).filter(queryById::containsKey).findFirst().orElse(null);
            }
            txn.node = running != null ? running : "txn " + txn.id;
            if (running != null) {
                transactionOfQuery.putIfAbsent(running, txn);
            }
        }
        // Every holder of a resource blocks every waiter for it (the blocked-transactions check's reading).
        Map<String, List<Transaction>> holders = new LinkedHashMap<>();
        for (Transaction txn : transactions.values()) {
            for (Map<String, Object> lock : txn.locks) {
                if (!waiting(lock)) {
                    holders.computeIfAbsent(Values.text(lock, "resource"), k -> new ArrayList<>()).add(txn);
                }
            }
        }
        Set<String> blockingNodes = new LinkedHashSet<>();
        Map<String, List<String>> blockersOf = new HashMap<>();
        for (Transaction txn : transactions.values()) {
            Set<String> blockers = new LinkedHashSet<>();
            for (String resource : txn.waitsFor) {
                for (Transaction holder : holders.getOrDefault(resource, List.of())) {
                    if (holder != txn) {
                        blockers.add(holder.node);
                    }
                }
            }
            if (!blockers.isEmpty()) {
                blockersOf.put(txn.node, List.copyOf(blockers));
                blockingNodes.addAll(blockers);
            }
        }

        List<ActiveSession> sessions = new ArrayList<>();
        for (Map<String, Object> query : queries) {
            String id = Values.text(query, "QUERY_ID");
            sessions.add(query(query, transactionOfQuery.get(id), blockersOf.getOrDefault(id, List.of())));
        }
        // A transaction that blocks others but runs no listed query: idle in its transaction (an explicit BEGIN left open).
        for (Transaction txn : transactions.values()) {
            if (txn.node.startsWith("txn ") && (blockingNodes.contains(txn.node) || blockersOf.containsKey(txn.node))) {
                sessions.add(idle(txn, blockersOf.getOrDefault(txn.node, List.of()), at));
            }
        }

        Map<String, String> load = new LinkedHashMap<>();
        for (String status : List.of("RUNNING", "QUEUED", "BLOCKED")) {
            load.put(status.toLowerCase(Locale.ROOT), String.valueOf(queries.stream().filter(q -> status.equals(status(q))).count()));
        }
        load.put("warehouses", warehouses(reading.warehouses()));
        if (!reading.accountWide()) {
            load.put("locks", "own sessions only (SHOW LOCKS IN ACCOUNT needs ACCOUNTADMIN)");
        }
        return new Activity(at, reading.statements(), load, Map.of(), ActivityTrees.fold(sessions));
    }

    private static Map<Long, Transaction> transactions(Reading reading) {
        Map<Long, Transaction> transactions = new LinkedHashMap<>();
        for (Map<String, Object> row : reading.transactions()) {
            transactions.computeIfAbsent(Values.longValue(row, "id"), Transaction::new).row = row;
        }
        for (Map<String, Object> lock : reading.locks()) {
            Transaction txn = transactions.computeIfAbsent(Values.longValue(lock, "transaction"), Transaction::new);
            txn.locks.add(lock);
            if (waiting(lock)) {
                txn.waitsFor.add(Values.text(lock, "resource"));
            }
        }
        return transactions;
    }

    private static boolean waiting(Map<String, Object> lock) {
        return "WAITING".equalsIgnoreCase(Values.text(lock, "status"));
    }

    private static String status(Map<String, Object> query) {
        return Values.text(query, "EXECUTION_STATUS").toUpperCase(Locale.ROOT);
    }

    private static ActiveSession query(Map<String, Object> row, Transaction txn, List<String> blockedBy) {
        String id = Values.text(row, "QUERY_ID");
        String status = status(row);
        String waitType = null;
        String waitEvent = null;
        String warehouse = Values.text(row, "WAREHOUSE_NAME");
        switch (status) {
            case "QUEUED" -> {
                waitType = "Queue";
                waitEvent = Values.longValue(row, "QUEUED_PROVISIONING_TIME") > Values.longValue(row, "QUEUED_OVERLOAD_TIME")
                        ? "provisioning" : "overload";
            }
            case "BLOCKED" -> {
                waitType = "Lock";
                waitEvent = txn == null || txn.waitsFor.isEmpty() ? "transaction lock" : String.join(", ", txn.waitsFor);
            }
            case "RESUMING_WAREHOUSE" -> {
                waitType = "Warehouse";
                waitEvent = "resuming";
            }
            default -> {
            }
        }
        Map<String, String> details = new LinkedHashMap<>();
        details.put("warehouse", warehouse.isEmpty() ? "none (no warehouse needed)"
                : warehouse + (Values.text(row, "WAREHOUSE_SIZE").isEmpty() ? "" : " (" + Values.text(row, "WAREHOUSE_SIZE") + ")"));
        long overload = Values.longValue(row, "QUEUED_OVERLOAD_TIME");
        long provisioning = Values.longValue(row, "QUEUED_PROVISIONING_TIME");
        if (overload + provisioning > 0) {
            details.put("queued", millis(overload + provisioning) + " (overload " + millis(overload) + ", provisioning " + millis(provisioning) + ")");
        }
        if (Values.longValue(row, "TRANSACTION_BLOCKED_TIME") > 0) {
            details.put("blocked on locks", millis(Values.longValue(row, "TRANSACTION_BLOCKED_TIME")));
        }
        Object scanned = Values.get(row, "BYTES_SCANNED");
        if (scanned != null) {
            details.put("bytes scanned", Format.bytes(Values.longValue(row, "BYTES_SCANNED")));
        }
        details.put("session", String.valueOf(Values.longValue(row, "SESSION_ID")) + (Values.text(row, "ROLE_NAME").isEmpty() ? ""
                : ", role " + Values.text(row, "ROLE_NAME")));
        if (txn != null) {
            details.put("transaction", String.valueOf(txn.id));
        }
        Object elapsed = Values.get(row, "ELAPSED_MS");
        String terminate = txn != null ? "SELECT SYSTEM$ABORT_TRANSACTION(" + txn.id + ")"
                : "SELECT SYSTEM$ABORT_SESSION(" + Values.longValue(row, "SESSION_ID") + ")";
        return new ActiveSession(id, blankToNull(Values.text(row, "USER_NAME")), blankToNull(Values.text(row, "DATABASE_NAME")),
                blankToNull(Values.text(row, "QUERY_TAG")), null, status.toLowerCase(Locale.ROOT).replace('_', ' '),
                elapsed == null ? null : Duration.ofMillis(Math.max(0, Values.longValue(row, "ELAPSED_MS"))), waitType, waitEvent, blockedBy, 0,
                null, scanned == null ? null : (double) Values.longValue(row, "BYTES_SCANNED"), blankToNull(Values.text(row, "QUERY_TEXT")),
                txn == null ? List.of() : lockLines(txn), cancelStatement(id), terminate, details);
    }

    private static ActiveSession idle(Transaction txn, List<String> blockedBy, Instant at) {
        Map<String, Object> row = txn.row;
        Instant started = row != null ? Values.instant(row, "started_on")
                : txn.locks.stream().map(l -> Values.instant(l, "transaction_started_on")).filter(i -> i != null).findFirst().orElse(null);
        Map<String, String> details = new LinkedHashMap<>();
        if (row != null) {
            details.put("session", String.valueOf(Values.longValue(row, "session")));
        }
        details.put("transaction", String.valueOf(txn.id));
        String lastQuery = txn.locks.stream().map(l -> Values.text(l, "query_id")).filter(q -> !q.isEmpty()).findFirst().orElse(null);
        if (lastQuery != null) {
            details.put("lock taken by query", lastQuery);
        }
        return new ActiveSession(txn.node, row == null ? null : blankToNull(Values.text(row, "user")), null, null, null, "idle in transaction",
                started == null ? null : Duration.between(started, at).isNegative() ? Duration.ZERO : Duration.between(started, at),
                null, null, blockedBy, 0, null, null, null, lockLines(txn), null, "SELECT SYSTEM$ABORT_TRANSACTION(" + txn.id + ")", details);
    }

    /** "holds PARTITIONS on DIAG.PUBLIC.ORDERS", "waits for PARTITIONS on DIAG.PUBLIC.ORDERS". */
    private static List<String> lockLines(Transaction txn) {
        return txn.locks.stream().sorted(Comparator.comparing(l -> waiting(l) ? 0 : 1))
                .map(l -> (waiting(l) ? "waits for " : "holds ") + Values.text(l, "type") + " on " + Values.text(l, "resource")).limit(8).toList();
    }

    /** The statement that cancels a query, shown and never run; only a well-formed query id is put into it. */
    static String cancelStatement(String queryId) {
        return QUERY_ID.matcher(queryId).matches() ? "SELECT SYSTEM$CANCEL_QUERY('" + queryId + "')" : null;
    }

    /** "ETL_WH 8 running, 25 queued; DIAG_WH 1 running": the warehouses with work, busiest first. */
    static String warehouses(List<Map<String, Object>> rows) {
        List<String> parts = rows.stream()
                .filter(w -> Values.longValue(w, "running") + Values.longValue(w, "queued") > 0)
                .sorted(Comparator.comparingLong((Map<String, Object> w) -> Values.longValue(w, "queued") + Values.longValue(w, "running")).reversed())
                .map(w -> Values.text(w, "name") + " " + Values.longValue(w, "running") + " running"
                        + (Values.longValue(w, "queued") > 0 ? ", " + Values.longValue(w, "queued") + " queued" : ""))
                .toList();
        long suspended = rows.stream().filter(w -> "SUSPENDED".equalsIgnoreCase(Values.text(w, "state"))).count();
        String idle = rows.isEmpty() ? "none visible to this role" : parts.isEmpty() ? "all idle" : String.join("; ", parts);
        return idle + (suspended > 0 ? " (" + suspended + " suspended)" : "");
    }

    private static String millis(long millis) {
        return millis < 1000 ? millis + " ms" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
