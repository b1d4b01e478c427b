package dbtool.top;

import dbtool.plugin.mongo.activity.MongoActivity;
import dbtool.plugin.mssql.activity.SqlServerActivity;
import dbtool.plugin.postgres.activity.PostgresActivity;
import dbtool.spi.Activity;
import dbtool.spi.ActiveSession;
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
 * MongoDB's come from their plugins' own interpretation of the server's answers; Snowflake's follows
 * its source (QUERY_HISTORY) until its plugin offers the view.
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

    /** Snowflake: query ids, a query queued behind a warehouse's load, one waiting for a table lock. */
    static List<Activity> snowflake() {
        Map<String, String> load = new LinkedHashMap<>();
        load.put("running", "2");
        load.put("queued", "1");
        Activity a = new Activity(T0, 1, load, Map.of(), List.of());
        Activity b = new Activity(T0.plusSeconds(5), 1, load, Map.of(), List.of(
                session("01b2-0001", "ANALYST", "Tableau", "RUNNING", 600_000, null, null, List.of(), 0, null, null,
                        "SELECT region, sum(amount) FROM sales GROUP BY 1"),
                session("01b2-0002", "LOADER", "dbt", "BLOCKED", 30_000, "Lock", "TABLE", List.of("01b2-0001"), 1, null, null,
                        "DELETE FROM sales WHERE day = current_date"),
                session("01b2-0003", "ANALYST", "Tableau", "QUEUED", 10_000, "Queue", "warehouse overloaded", List.of(), 0, null, null,
                        "SELECT 1")));
        return List.of(a, b);
    }

    static Frame frame(List<Activity> snapshots) {
        return Frame.after(Frame.first(snapshots.get(0), 3), snapshots.get(1), 4);
    }

    private static Map<String, Double> counters(double commits, double rollbacks) {
        return Map.of("commits", commits, "rollbacks", rollbacks);
    }
}
