package dbtool.plugin.snowflake.checks;

import dbtool.plugin.snowflake.SnowflakeServerLog;
import dbtool.testkit.snowflake.CannedResult;
import dbtool.testkit.snowflake.SnowflakeResponder;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Canned Snowflake answers for every statement the checks send, shaped like the documented views
 * and SHOW outputs: a healthy account, and the incidents the end-to-end tests stage on top.
 */
public final class Scenario {

    public static final String ACCOUNT = "TESTACCT";
    public static final String USER = "monitor";
    public static final String PASSWORD = "Corr3ct-Horse-Battery";

    static final String[] WAREHOUSE_COLUMNS = {"name", "state", "type", "size", "min_cluster_count:fixed", "max_cluster_count:fixed",
            "started_clusters:fixed", "running:fixed", "queued:fixed", "is_default", "is_current", "auto_suspend:fixed", "auto_resume",
            "available", "provisioning", "quiescing", "other", "created_on:timestamp_ltz", "resumed_on:timestamp_ltz",
            "updated_on:timestamp_ltz", "owner", "comment", "resource_monitor", "scaling_policy"};
    static final String[] LOCK_COLUMNS = {"resource", "type", "transaction:fixed", "transaction_started_on:timestamp_ltz", "status",
            "acquired_on:timestamp_ltz", "query_id"};
    static final String[] TRANSACTION_COLUMNS = {"id:fixed", "user", "session:fixed", "name", "started_on:timestamp_ltz", "state", "scope:fixed"};
    static final String[] BLOCKED_COLUMNS = {"QUERY_ID", "SESSION_ID:fixed", "USER_NAME", "WAREHOUSE_NAME", "EXECUTION_STATUS",
            "START_TIME:timestamp_ltz", "ELAPSED_SECONDS:fixed", "QUERY_TEXT"};
    static final String[] LOAD_COLUMNS = {"WAREHOUSE_NAME", "START_TIME:timestamp_ltz", "END_TIME:timestamp_ltz", "AVG_RUNNING:real",
            "AVG_QUEUED_LOAD:real", "AVG_QUEUED_PROVISIONING:real", "AVG_BLOCKED:real"};
    static final String[] QUEUED_COLUMNS = {"QUERY_ID", "USER_NAME", "WAREHOUSE_NAME", "WAREHOUSE_SIZE", "EXECUTION_STATUS",
            "START_TIME:timestamp_ltz", "ELAPSED_SECONDS:fixed", "QUERY_TEXT"};
    static final String[] SPILLING_COLUMNS = {"QUERY_ID", "USER_NAME", "WAREHOUSE_NAME", "WAREHOUSE_SIZE", "TOTAL_ELAPSED_TIME:fixed",
            "BYTES_SPILLED_TO_LOCAL_STORAGE:fixed", "BYTES_SPILLED_TO_REMOTE_STORAGE:fixed", "QUERY_TEXT"};
    static final String[] CREDIT_COLUMNS = {"WAREHOUSE_NAME", "CREDITS_USED:real"};
    static final String[] MONITOR_COLUMNS = {"name", "credit_quota:real", "used_credits:real", "remaining_credits:real", "level", "frequency",
            "start_time:timestamp_ltz", "end_time:timestamp_ltz", "notify_at", "suspend_at", "suspend_immediately_at",
            "created_on:timestamp_ltz", "owner", "comment", "notify_users"};
    static final String[] RUNNING_COLUMNS = {"QUERY_ID", "SESSION_ID:fixed", "USER_NAME", "ROLE_NAME", "WAREHOUSE_NAME", "WAREHOUSE_SIZE",
            "QUERY_TAG", "START_TIME:timestamp_ltz", "ELAPSED_SECONDS:fixed", "BYTES_SCANNED:fixed", "QUERY_TEXT"};
    static final String[] SLOWEST_COLUMNS = {"QUERY_ID", "USER_NAME", "WAREHOUSE_NAME", "EXECUTION_STATUS", "QUERY_TAG",
            "TOTAL_ELAPSED_TIME:fixed", "EXECUTION_TIME:fixed", "QUEUED_OVERLOAD_TIME:fixed", "QUEUED_PROVISIONING_TIME:fixed",
            "TRANSACTION_BLOCKED_TIME:fixed", "BYTES_SCANNED:fixed", "BYTES_SPILLED_TO_REMOTE_STORAGE:fixed", "QUERY_TEXT"};

    public static final long HEAD_TXN = 1_732_290_000_000_000_001L;

    private Scenario() {
    }

    static Instant ago(Duration duration) {
        return Instant.now().minus(duration);
    }

    /** A responder whose account is healthy: every check has an answer and nothing to report. */
    public static SnowflakeResponder healthy() {
        SnowflakeResponder responder = SnowflakeResponder.start(ACCOUNT).passwordUser(USER, PASSWORD)
                // dbtool logs and troubleshoot's server-log check read the failed logins and queries it really saw
                .historyFor(SnowflakeServerLog.FAILED_LOGINS, SnowflakeServerLog.FAILED_QUERIES);
        Instant now = Instant.now();
        responder.answer(ConnectionCheck.SESSION, CannedResult.columns("ACCOUNT", "REGION", "USER_NAME", "ROLE_NAME", "WAREHOUSE_NAME",
                "DATABASE_NAME", "SERVER_VERSION").row(ACCOUNT, "AWS_EU_CENTRAL_1", "MONITOR", "MONITOR_RO", "DIAG_WH", "DIAG",
                SnowflakeResponder.SERVER_VERSION));
        responder.answer(WarehouseCheck.WAREHOUSES, warehouses(0, 1, "Small"));
        responder.answer(BlockedTransactionsCheck.LOCKS_IN_ACCOUNT, CannedResult.columns(LOCK_COLUMNS));
        responder.answer(BlockedTransactionsCheck.TRANSACTIONS_IN_ACCOUNT, CannedResult.columns(TRANSACTION_COLUMNS));
        responder.answer(BlockedTransactionsCheck.BLOCKED_QUERIES, CannedResult.columns(BLOCKED_COLUMNS));
        responder.answer(WarehouseLoadCheck.LOAD, CannedResult.columns(LOAD_COLUMNS)
                .row("DIAG_WH", now.minusSeconds(1200), now.minusSeconds(900), 0.4, 0.0, 0.0, 0.0)
                .row("ETL_WH", now.minusSeconds(1200), now.minusSeconds(900), 2.5, 0.1, 0.0, 0.0)
                .row("ETL_WH", now.minusSeconds(900), now.minusSeconds(600), 3.0, 0.0, 0.0, 0.0));
        responder.answer(QueuedQueriesCheck.QUEUED, CannedResult.columns(QUEUED_COLUMNS));
        responder.answer(SpillingCheck.SPILLING, CannedResult.columns(SPILLING_COLUMNS));
        responder.answer(CreditsCheck.CREDITS_TODAY, CannedResult.columns(CREDIT_COLUMNS).row("ETL_WH", 12.5).row("DIAG_WH", 0.25));
        responder.answer(CreditsCheck.MONITORS, CannedResult.columns(MONITOR_COLUMNS).row("ACCOUNT_MONTHLY", 1000, 300, 700, "ACCOUNT",
                "MONTHLY", now.minus(Duration.ofDays(20)), null, "75%", "100%", null, now.minus(Duration.ofDays(200)), "ACCOUNTADMIN", "", ""));
        responder.answer(LongQueriesCheck.RUNNING, CannedResult.columns(RUNNING_COLUMNS)
                .row("01bc0001-0000-4e2a-0000-000000000001", 9001, "ETL_SVC", "ETL", "ETL_WH", "Medium", null, now.minusSeconds(40), 40,
                        52_428_800, "INSERT INTO fact_sales SELECT * FROM stage_sales"));
        responder.answer(SlowestQueriesCheck.SLOWEST, CannedResult.columns(SLOWEST_COLUMNS)
                .row("01bc0001-0000-4e2a-0000-000000000002", "ETL_SVC", "ETL_WH", "SUCCESS", null, 95_000, 90_000, 3_000, 0, 0,
                        8_589_934_592L, 0, "MERGE INTO dim_customer USING stage_customer ON ..."));
        answerActivityFromHistory(responder);
        return responder;
    }

    /**
     * The activity check's statements answered as Snowflake would from what the responder really
     * served since 00:00 UTC: finished statements without dbtool's query tag, and every login attempt.
     */
    static void answerActivityFromHistory(SnowflakeResponder responder) {
        responder.answerFromHistory(ActivityCheck.QUERIES, history -> {
            List<SnowflakeResponder.Executed> workload = history.statementsSince(midnightUtc()).stream()
                    .filter(statement -> !"dbtool".equals(statement.queryTag())).toList();
            return CannedResult.columns("QUERIES:fixed", "FAILED_QUERIES:fixed", "QUERY_ELAPSED_MS:fixed", "QUEUED_OVERLOAD_MS:fixed",
                    "TRANSACTION_BLOCKED_MS:fixed").row(workload.size(), workload.stream().filter(SnowflakeResponder.Executed::failed).count(),
                    workload.stream().mapToLong(SnowflakeResponder.Executed::elapsedMillis).sum(), 0, 0);
        });
        responder.answerFromHistory(ActivityCheck.LOGINS, history -> {
            List<SnowflakeResponder.Login> logins = history.loginsSince(midnightUtc());
            return CannedResult.columns("LOGINS:fixed", "FAILED_LOGINS:fixed")
                    .row(logins.size(), logins.stream().filter(login -> !login.succeeded()).count());
        });
    }

    static Instant midnightUtc() {
        return Instant.now().truncatedTo(ChronoUnit.DAYS);
    }

    static CannedResult warehouses(long etlQueued, long etlMaxClusters, String etlSize) {
        Instant created = Instant.parse("2025-01-01T00:00:00Z");
        return CannedResult.columns(WAREHOUSE_COLUMNS)
                .row("DIAG_WH", "STARTED", "STANDARD", "X-Small", 1, 1, 1, 1, 0, "N", "Y", 60, "true", "100", "0", "0", "0",
                        created, Instant.now().minusSeconds(3600), created, "SYSADMIN", "", "null", "STANDARD")
                .row("ETL_WH", "STARTED", "STANDARD", etlSize, 1, etlMaxClusters, 1, 8, etlQueued, "N", "N", 600, "true", "100", "0", "0", "0",
                        created, Instant.now().minusSeconds(7200), created, "SYSADMIN", "", "null", "STANDARD");
    }

    /**
     * A forgotten open transaction (an explicit BEGIN in a notebook) holds the partitions of
     * ORDERS for 25 minutes; two loads wait for it, and a third waits for one of those.
     */
    public static void blockedTransactions(SnowflakeResponder responder) {
        long waiter1 = HEAD_TXN + 1;
        long waiter2 = HEAD_TXN + 2;
        long waiter3 = HEAD_TXN + 3;
        responder.answer(BlockedTransactionsCheck.LOCKS_IN_ACCOUNT, CannedResult.columns(LOCK_COLUMNS)
                .row("DIAG.PUBLIC.ORDERS", "PARTITIONS", HEAD_TXN, ago(Duration.ofMinutes(25)), "HOLDING", ago(Duration.ofMinutes(24)),
                        "01bc0002-0000-4e2a-0000-00000000000a")
                .row("DIAG.PUBLIC.ORDERS", "PARTITIONS", waiter1, ago(Duration.ofMinutes(6)), "WAITING", ago(Duration.ofMinutes(6)),
                        "01bc0002-0000-4e2a-0000-00000000000b")
                .row("DIAG.PUBLIC.ORDER_ITEMS", "PARTITIONS", waiter1, ago(Duration.ofMinutes(6)), "HOLDING", ago(Duration.ofMinutes(6)),
                        "01bc0002-0000-4e2a-0000-00000000000b")
                .row("DIAG.PUBLIC.ORDERS", "PARTITIONS", waiter2, ago(Duration.ofMinutes(4)), "WAITING", ago(Duration.ofMinutes(4)),
                        "01bc0002-0000-4e2a-0000-00000000000c")
                .row("DIAG.PUBLIC.ORDER_ITEMS", "PARTITIONS", waiter3, ago(Duration.ofMinutes(2)), "WAITING", ago(Duration.ofMinutes(2)),
                        "01bc0002-0000-4e2a-0000-00000000000d"));
        responder.answer(BlockedTransactionsCheck.TRANSACTIONS_IN_ACCOUNT, CannedResult.columns(TRANSACTION_COLUMNS)
                .row(HEAD_TXN, "ANALYST_JO", 4711, "", ago(Duration.ofMinutes(25)), "running", 0)
                .row(waiter1, "ETL_SVC", 5001, "", ago(Duration.ofMinutes(6)), "running", 0)
                .row(waiter2, "ETL_SVC", 5002, "", ago(Duration.ofMinutes(4)), "running", 0)
                .row(waiter3, "ETL_SVC", 5003, "", ago(Duration.ofMinutes(2)), "running", 0));
        responder.answer(BlockedTransactionsCheck.BLOCKED_QUERIES, CannedResult.columns(BLOCKED_COLUMNS)
                .row("01bc0002-0000-4e2a-0000-00000000000b", 5001, "ETL_SVC", "ETL_WH", "BLOCKED", ago(Duration.ofMinutes(6)), 360,
                        "UPDATE orders SET status = 'SHIPPED' WHERE ...")
                .row("01bc0002-0000-4e2a-0000-00000000000c", 5002, "ETL_SVC", "ETL_WH", "BLOCKED", ago(Duration.ofMinutes(4)), 240,
                        "DELETE FROM orders WHERE ...")
                .row("01bc0002-0000-4e2a-0000-00000000000d", 5003, "ETL_SVC", "ETL_WH", "BLOCKED", ago(Duration.ofMinutes(2)), 120,
                        "MERGE INTO order_items ..."));
        Instant now = Instant.now();
        responder.answer(WarehouseLoadCheck.LOAD, CannedResult.columns(LOAD_COLUMNS)
                .row("ETL_WH", now.minusSeconds(600), now.minusSeconds(300), 1.0, 0.0, 0.0, 2.6)
                .row("ETL_WH", now.minusSeconds(300), now, 1.0, 0.0, 0.0, 3.0));
    }

    /** ETL_WH (Medium, one cluster) is full: 25 queries queued for overload, some for 7 minutes. */
    public static void queuedWarehouse(SnowflakeResponder responder) {
        Instant now = Instant.now();
        responder.answer(WarehouseCheck.WAREHOUSES, warehouses(25, 1, "Medium"));
        responder.answer(WarehouseLoadCheck.LOAD, CannedResult.columns(LOAD_COLUMNS)
                .row("ETL_WH", now.minusSeconds(1500), now.minusSeconds(1200), 8.0, 2.5, 0.0, 0.0)
                .row("ETL_WH", now.minusSeconds(1200), now.minusSeconds(900), 8.0, 3.5, 0.0, 0.0)
                .row("ETL_WH", now.minusSeconds(900), now.minusSeconds(600), 8.0, 4.0, 0.2, 0.0));
        CannedResult queued = CannedResult.columns(QUEUED_COLUMNS);
        for (int i = 0; i < 25; i++) {
            queued.row(String.format("01bc0003-0000-4e2a-0000-%012d", i), "BI_USER", "ETL_WH", "Medium", "QUEUED",
                    now.minusSeconds(420 - i * 10L), 420 - i * 10L, "SELECT region, SUM(amount) FROM sales GROUP BY region");
        }
        responder.answer(QueuedQueriesCheck.QUEUED, queued);
    }
}
