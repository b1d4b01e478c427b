package dbtool.top;

import dbtool.plugin.mongo.activity.MongoActivity;
import dbtool.plugin.mssql.activity.SqlServerActivity;
import dbtool.plugin.postgres.activity.PostgresActivity;
import dbtool.plugin.snowflake.activity.SnowflakeActivity;
import dbtool.spi.Activity;
import dbtool.spi.ActiveSession;
import dbtool.testkit.CheckFixtures;
import dbtool.testkit.mongo.MongoReplies;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;

/**
 * Snapshots as each engine's live view words them (ids, states, waits and load figures in the
 * engine's own terms), a second or more apart so that rates exist. PostgreSQL's, SQL Server's and
 * MongoDB's and Snowflake's come from their plugins' own interpretation of the server's answers.
 */
final class Fixtures {

    static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

    private Fixtures() {
    }

    static ActiveSession session(String id, String user, String app, String state, long runningMillis, String waitType, String waitEvent,
                                 List<String> blockedBy, int depth, Double cpu, Double io, String query) {
        return new ActiveSession(id, user, "shop", app, "10.0.0." + id.length(), state, Duration.ofMillis(runningMillis), waitType,
                waitEvent, blockedBy, depth, cpu, io, query, List.of(), "cancel " + id, "terminate " + id);
    }

    /**
     * PostgreSQL, through the plugin's interpretation of the two result sets: a head idle in its
     * transaction, two waiters in a chain (listed out of order, as pg_stat_activity may), a long report.
     */
    static List<Activity> postgres() {
        Map<String, Object> load0 = Map.of("connections", 5L, "max_connections", 100L, "standby", false, "replicas", 0L,
                "commits", 1000L, "rollbacks", 10L, "rows_read", 50_000L, "rows_written", 300L, "blocks_read", 20L);
        Map<String, Object> load1 = Map.of("connections", 5L, "max_connections", 100L, "standby", false, "replicas", 0L,
                "commits", 1250L, "rollbacks", 10L, "rows_read", 58_000L, "rows_written", 350L, "blocks_read", 20L);
        List<Map<String, Object>> rows = List.of(
                pgRow(5001, "reports", "reports", "active", 900_000, "Timeout", "PgSleep", List.of(), "SELECT pg_sleep(3600) /* nightly revenue report */"),
                pgRow(4244, "orders", "orders-worker-2", "active", 60_000, "Lock", "transactionid", List.of(4243L),
                        "UPDATE accounts SET balance = balance + 1 WHERE id = 2"),
                pgRow(4242, "billing", "billing-api", "idle in transaction", 300_000, "Client", "ClientRead", List.of(),
                        "UPDATE accounts SET balance = balance - 1 WHERE id = 1"),
                pgRow(4243, "orders", "orders-worker-1", "active", 120_000, "Lock", "transactionid", List.of(4242L),
                        "UPDATE accounts SET balance = balance + 1 WHERE id = 1"));
        return List.of(PostgresActivity.interpret(T0, load0, List.of()), PostgresActivity.interpret(T0.plusSeconds(1), load1, rows));
    }

    private static Map<String, Object> pgRow(long pid, String user, String app, String state, long runningMs, String waitType,
                                             String waitEvent, List<Long> blockedBy, String query) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("pid", pid);
        row.put("user", user);
        row.put("database", "shop");
        row.put("application", app);
        row.put("client", "10.0.0.7");
        row.put("state", state);
        row.put("running_ms", runningMs);
        row.put("wait_event_type", waitType);
        row.put("wait_event", waitEvent);
        row.put("blocked_by", blockedBy);
        row.put("query", query);
        row.put("locks", blockedBy.isEmpty() ? List.of("RowExclusiveLock held on relation accounts")
                : List.of("ShareLock waited for on transactionid", "RowExclusiveLock held on relation accounts"));
        return row;
    }

    /**
     * SQL Server, through the plugin's interpretation of its two result sets: CPU and I/O per session
     * (sys.dm_exec_sessions), a request waiting for a lock under its blocker, one waiting for page reads.
     */
    static List<Activity> sqlServer() {
        List<Map<String, Object>> before = List.of(
                msRow(52, "app", "OrdersApi", "running", 10_000, null, 0, 1000, 100, "SELECT ..."),
                msRow(61, "etl", "SSIS", "running", 50_000, null, 0, 9000, 50_000, "INSERT ..."));
        List<Map<String, Object>> now = List.of(
                msRow(61, "etl", "SSIS", "running", 52_000, "PAGEIOLATCH_SH", 0, 9100, 90_000, "INSERT INTO Archive SELECT * FROM Orders"),
                msRow(52, "app", "OrdersApi", "running", 12_000, null, 0, 2900, 140, "SELECT * FROM Orders"),
                msRow(53, "app", "OrdersApi", "suspended", 8_000, "LCK_M_S", 52, 0, 0, "SELECT Total FROM Orders"));
        return List.of(SqlServerActivity.interpret(T0, msLoad(5000), before), SqlServerActivity.interpret(T0.plusSeconds(2), msLoad(5600), now));
    }

    private static Map<String, Object> msLoad(long batchRequests) {
        return Map.of("connections", 40, "user_connections", 0, "max_connections", 32767, "batch_requests", batchRequests,
                "transactions", 800L);
    }

    private static Map<String, Object> msRow(int id, String login, String program, String status, long runningMs, String waitType,
                                             int blocker, int cpuMs, long ioPages, String text) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("session_id", id);
        row.put("login_name", login);
        row.put("database_name", "shop");
        row.put("program_name", program);
        row.put("client_net_address", "10.0.0.9");
        row.put("status", status);
        row.put("running_ms", runningMs);
        row.put("wait_type", waitType);
        row.put("blocking_session_id", blocker);
        row.put("open_transaction_count", 0);
        row.put("cpu_ms", cpuMs);
        row.put("io_pages", ioPages);
        row.put("sql_text", text);
        return row;
    }

    /**
     * MongoDB, through the plugin's interpretation of recorded replies: an exclusive collection lock
     * (createIndexes from the shell) with writes and a read queued behind it; 400 operations in 2 s.
     */
    static List<Activity> mongo() {
        Document status = MongoReplies.load("serverstatus-7.0-healthy");
        Document later = Document.parse(status.toJson());
        later.get("opcounters", Document.class).put("query", ((Number) later.get("opcounters", Document.class).get("query")).longValue() + 400);
        Document currentOp = MongoReplies.load("currentop-lock-wait");
        return List.of(MongoActivity.interpret(T0, status, new Document("inprog", List.of()).append("ok", 1)),
                MongoActivity.interpret(T0.plusSeconds(2), later, currentOp));
    }

    static final String SF_HEAD_TXN = "txn 1733560000000000001";
    static final String SF_BLOCKED = "01bc0a00-0000-4e2a-0000-00000000000b";
    static final String SF_REPORT = "01bc0a00-0000-4e2a-0000-00000000000c";
    static final String SF_QUEUED = "01bc0a00-0000-4e2a-0000-00000000000d";

    /**
     * Snowflake, through the plugin's interpretation of QUERY_HISTORY, SHOW LOCKS, SHOW TRANSACTIONS
     * and SHOW WAREHOUSES rows five seconds apart: a transaction left open holds ORDERS and an UPDATE
     * waits for it, a report scans SALES at 50 MB/s (decimal), another queues behind it on ETL_WH.
     */
    static List<Activity> snowflake() {
        return List.of(snowflakeAt(T0, 0), snowflakeAt(T0.plusSeconds(5), 5_000));
    }

    private static Activity snowflakeAt(Instant at, long later) {
        Instant headStarted = T0.minusSeconds(1500);
        Instant waiterStarted = T0.minusSeconds(360);
        List<Map<String, Object>> queries = List.of(
                sfQuery(SF_BLOCKED, 5001, "ETL_SVC", "nightly-load", "BLOCKED", 360_000 + later, 0, 0,
                        "UPDATE orders SET status = 'SHIPPED' WHERE shipped_at < CURRENT_DATE"),
                sfQuery(SF_REPORT, 6001, "BI_USER", "tableau", "RUNNING", 600_000 + later, 0, (600_000 + later) * 50_000,
                        "SELECT region, SUM(amount) FROM sales s JOIN customers c ON s.customer_id = c.id GROUP BY region"),
                sfQuery(SF_QUEUED, 6002, "BI_USER", "tableau", "QUEUED", 20_000 + later, 20_000 + later, 0,
                        "SELECT * FROM sales WHERE day = CURRENT_DATE"));
        List<Map<String, Object>> locks = List.of(
                CheckFixtures.row("resource", "DIAG.PUBLIC.ORDERS", "type", "PARTITIONS", "transaction", 1733560000000000001L,
                        "transaction_started_on", headStarted, "status", "HOLDING", "acquired_on", headStarted.plusSeconds(60),
                        "query_id", "01bc0a00-0000-4e2a-0000-00000000000a"),
                CheckFixtures.row("resource", "DIAG.PUBLIC.ORDERS", "type", "PARTITIONS", "transaction", 1733560000000000002L,
                        "transaction_started_on", waiterStarted, "status", "WAITING", "acquired_on", waiterStarted, "query_id", SF_BLOCKED));
        List<Map<String, Object>> transactions = List.of(
                CheckFixtures.row("id", 1733560000000000001L, "user", "ANALYST_JO", "session", 4711L, "started_on", headStarted, "state", "running"),
                CheckFixtures.row("id", 1733560000000000002L, "user", "ETL_SVC", "session", 5001L, "started_on", waiterStarted, "state", "running"));
        List<Map<String, Object>> warehouses = List.of(
                CheckFixtures.row("name", "ETL_WH", "state", "STARTED", "running", 1L, "queued", 1L),
                CheckFixtures.row("name", "DIAG_WH", "state", "STARTED", "running", 0L, "queued", 0L));
        return SnowflakeActivity.interpret(at, new SnowflakeActivity.Reading(queries, locks, transactions, warehouses, true, 4));
    }

    private static Map<String, Object> sfQuery(String id, long session, String user, String tag, String status, long elapsedMs, long queuedMs,
                                               long bytes, String text) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("QUERY_ID", id);
        row.put("SESSION_ID", session);
        row.put("USER_NAME", user);
        row.put("ROLE_NAME", "REPORTING");
        row.put("DATABASE_NAME", "DIAG");
        row.put("WAREHOUSE_NAME", "ETL_WH");
        row.put("WAREHOUSE_SIZE", "Medium");
        row.put("QUERY_TAG", tag);
        row.put("EXECUTION_STATUS", status);
        row.put("ELAPSED_MS", elapsedMs);
        row.put("QUEUED_OVERLOAD_TIME", queuedMs);
        row.put("QUEUED_PROVISIONING_TIME", 0L);
        row.put("TRANSACTION_BLOCKED_TIME", status.equals("BLOCKED") ? elapsedMs : 0L);
        row.put("BYTES_SCANNED", bytes);
        row.put("QUERY_TEXT", text);
        return row;
    }

    /** MongoDB 7.0 on Linux: cpuNanos per operation, 2 s apart; the idle transaction has none. */
    static List<Activity> mongoWithCpu() {
        Document status = MongoReplies.load("serverstatus-7.0-healthy");
        Document before = MongoReplies.load("currentop-7.0-linux-cpu");
        Document after = Document.parse(before.toJson());
        for (Document op : after.getList("inprog", Document.class)) {
            if (op.containsKey("cpuNanos")) {
                op.put("cpuNanos", ((Number) op.get("cpuNanos")).longValue() + 1_500_000_000L);
            }
        }
        return List.of(MongoActivity.interpret(T0, status, before), MongoActivity.interpret(T0.plusSeconds(2), status, after));
    }

    static Frame frame(List<Activity> snapshots) {
        return Frame.after(Frame.first(snapshots.get(0), 3), snapshots.get(1), 4);
    }

}
