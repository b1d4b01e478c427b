package dbtool.plugin.mssql.checks;

import static dbtool.testkit.tds.TdsScenario.statement;

import dbtool.plugin.mssql.ServerInfo;
import dbtool.plugin.mssql.SqlServerServerLog;
import dbtool.testkit.tds.TdsAnswer;
import dbtool.testkit.tds.TdsResponder;
import dbtool.testkit.tds.TdsResult;
import dbtool.testkit.tds.TdsScenario;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Canned SQL Server answers for every statement the checks send, with the columns and types of
 * each check's own SELECT list (the DMV columns as documented: session ids int, counters bigint,
 * names nvarchar): a healthy server, and incidents staged on top of it.
 *
 * <p>Adding a check: give its statement an answer in {@link #healthy()}, one line of the form
 * {@code scenario.answer(statement(NewCheck.SQL), TdsResult.columns("col:int", "name").row(...))};
 * an incident that the check should see adds rows for the same statement in its own method (the
 * rule added last wins). A statement without an answer gets error 208 from the responder, so a
 * forgotten line shows up as a failed check and in {@link TdsResponder#unexpected()}.
 */
public final class SqlServerScenario {

    public static final String USER = "dbtool_monitor";
    public static final String PASSWORD = "Tr0ub4dor3-Mssql";
    public static final String DATABASE = "shop";
    public static final String VERSION = "15.0.4345.5";
    public static final String EDITION = "Enterprise Edition: Core-based Licensing (64-bit)";
    /** The blocking incident: 52 holds the lock, 61 and 64 wait for it, 70 waits for 61. */
    public static final long HEAD_BLOCKER = 52;
    /** Every check of the plugin, in the order they run; each has its canned rows here. */
    public static final List<String> CHECK_IDS = List.of("connection", "blocking", "lock-waits", "open-transactions", "deadlocks", "waits",
            "cpu", "memory", "workers", "tempdb", "log-space", "server-stats", "long-requests", "top-statements");

    public static final String PRODUCT_LEVEL = "RTM";
    /** SQL Server 2016 SP2 CU17. */
    public static final String VERSION_2016 = "13.0.5888.11";
    /** Azure SQL Database as it reports itself: major version 12 whatever the service's age, EngineEdition 5. */
    public static final String AZURE_VERSION = "12.0.2000.8";
    /** The other replica of availability group AG_SHOP; SQLPROD01 is the primary. */
    public static final String SECONDARY = "SQLPROD02";

    static final String[] SERVER_INFO_COLUMNS = {"version", "edition", "engine_edition:int"};
    static final String[] CONNECTION_COLUMNS = {"version", "product_level", "edition", "engine_edition:int", "hadr_enabled:int",
            "uptime_seconds:int"};
    static final String[] REPLICA_COLUMNS = {"ag_name", "replica_server_name", "is_local:bit", "role_desc", "synchronization_health_desc",
            "connected_state_desc", "primary_replica"};
    static final String[] LOCK_WAIT_COLUMNS = {"session_id:int", "blocking_session_id:int", "wait_type", "wait_duration_ms:bigint",
            "resource_description", "database_name"};
    static final String[] DEADLOCK_COLUMNS = {"target_data"};
    static final String[] DEADLOCK_FILE_COLUMNS = {"event_data"};
    static final String[] CPU_COLUMNS = {"record_ticks:bigint", "record", "ms_ticks:bigint"};
    static final String[] WORKER_COLUMNS = {"max_workers:int", "schedulers:int", "current_workers:int", "active_workers:int",
            "work_queue:bigint", "runnable_tasks:int", "threadpool_waits:int"};
    static final String[] RESOURCE_STATS_COLUMNS = {"end_time:datetime", "avg_cpu_percent:float", "max_worker_percent:float",
            "max_session_percent:float"};
    static final String[] TEMPDB_SPACE_COLUMNS = {"total_mb:bigint", "free_mb:bigint", "version_store_mb:bigint", "user_objects_mb:bigint",
            "internal_objects_mb:bigint"};
    static final String[] TEMPDB_GROWTH_COLUMNS = {"file_id:int", "size_mb:int", "max_size_mb:int", "growth_mb:int", "volume_free_mb:bigint"};
    static final String[] LOG_GROWTH_COLUMNS = {"database_name", "file_id:int", "size_mb:int", "max_size_mb:int", "growth_mb:int",
            "volume_free_mb:bigint"};
    static final String[] VERSION_STORE_COLUMNS = {"database_name", "reserved_mb:bigint"};
    static final String[] SNAPSHOT_COLUMNS = {"session_id:int", "transaction_id:bigint", "elapsed_time_seconds:bigint", "is_snapshot:bit",
            "login_name", "program_name", "status"};
    static final String[] TOP_STATEMENT_COLUMNS = {"total_cpu_ms:bigint", "total_elapsed_ms:bigint", "execution_count:bigint",
            "total_logical_reads:bigint", "statement_start_offset:int", "statement_end_offset:int", "cached_seconds:int", "database_name",
            "statement_text"};
    static final String[] BLOCKING_COLUMNS = {"session_id:int", "blocking_session_id:int", "status", "login_name", "host_name",
            "program_name", "open_transaction_count:int", "wait_type", "wait_ms:bigint", "command", "seconds_since_request:int", "sql_text",
            "trace_comment", "context_info"};
    static final String[] TASK_EDGE_COLUMNS = {"session_id:int", "blocking_session_id:int", "wait_type", "wait_ms:bigint"};
    static final String[] UNIT_OF_WORK_COLUMNS = {"request_owner_guid"};
    static final String[] TRANSACTION_COLUMNS = {"session_id:int", "status", "login_name", "program_name", "database_name",
            "age_seconds:int", "log_bytes_used:bigint", "blocks_others:int", "is_blocked:int"};
    static final String[] WAIT_COLUMNS = {"wait_type", "waiting_tasks_count:bigint", "wait_time_ms:bigint", "signal_wait_time_ms:bigint",
            "ms_ticks:bigint"};
    static final String[] WAITING_NOW_COLUMNS = {"wait_type", "tasks:int", "max_wait_ms:bigint"};
    static final String[] COUNTER_COLUMNS = {"counter_name", "cntr_value:bigint"};
    static final String[] UPTIME_COLUMNS = {"uptime_seconds:int"};
    static final String[] LOG_SPACE_COLUMNS = {"database_name", "state_desc", "recovery_model_desc", "log_reuse_wait_desc",
            "percent_log_used:bigint"};
    static final String[] REQUEST_COLUMNS = {"session_id:int", "status", "command", "wait_type", "blocking_session_id:int",
            "elapsed_seconds:int", "cpu_ms:int", "logical_reads:bigint", "granted_kb:int", "login_name", "program_name", "sql_text"};

    static final String UPDATE_ORDER = "UPDATE dbo.Orders SET status = N'shipped' WHERE order_id = 1001";
    static final String ORDER_LOOKUP = "SELECT TOP (50) * FROM dbo.Orders WHERE customer_id = @p0";
    /** sys.dm_os_sys_info.ms_ticks: milliseconds since the host started; the ring buffer dates records in the same ticks. */
    static final long MS_TICKS = 1_209_600_000L;

    private SqlServerScenario() {
    }

    /** A responder for a healthy SQL Server 2019: every check has an answer and nothing to worry about. */
    public static TdsResponder start() {
        return TdsResponder.start(healthy());
    }

    public static TdsScenario healthy() {
        TdsScenario scenario = new TdsScenario().login(USER, PASSWORD).database(DATABASE).server("SQLPROD01", 15, 0, 4345);
        // read once by the session right after login: the version guard of every check
        scenario.answer(statement(ServerInfo.SQL), TdsResult.columns(SERVER_INFO_COLUMNS).row(VERSION, EDITION, 3));
        scenario.answer(statement(ConnectionCheck.SQL), TdsResult.columns(CONNECTION_COLUMNS)
                .row(VERSION, PRODUCT_LEVEL, EDITION, 3, 1, 1_209_600));
        // Always On: this server is the primary of AG_SHOP and both replicas synchronize
        scenario.answer(statement(ConnectionCheck.AVAILABILITY_SQL), TdsResult.columns(REPLICA_COLUMNS)
                .row("AG_SHOP", "SQLPROD01", true, "PRIMARY", "HEALTHY", "CONNECTED", "SQLPROD01")
                .row("AG_SHOP", SECONDARY, false, "SECONDARY", "HEALTHY", "CONNECTED", "SQLPROD01"));
        // dbtool_monitor has VIEW SERVER STATE, not securityadmin: troubleshoot's server-log check is skipped, as on most servers
        scenario.answer(statement(SqlServerServerLog.READ), TdsAnswer.error(15003, 16, "Only members of the securityadmin role can execute this stored procedure."));
        scenario.answer(statement(BlockingCheck.SQL), TdsResult.columns(BLOCKING_COLUMNS));
        scenario.answer(statement(BlockingCheck.TASK_EDGES_SQL), TdsResult.columns(TASK_EDGE_COLUMNS));
        // a lock wait of half a second is normal traffic, below lock_wait_seconds
        scenario.answer(statement(LockWaitsCheck.SQL), TdsResult.columns(LOCK_WAIT_COLUMNS)
                .row(58, 57, "LCK_M_U", 450L, "keylock hobtid=72057594043629568 dbid=5 id=lock3c21 mode=X associatedObjectId=72057594043629568",
                        DATABASE));
        scenario.answer(statement(OpenTransactionsCheck.SQL), TdsResult.columns(TRANSACTION_COLUMNS)
                .row(58, "running", "app_user", "OrderService", DATABASE, 1, 8_192L, 0, 0));
        // system_health runs and holds other events, but no deadlock
        scenario.answer(statement(DeadlocksCheck.SQL), TdsResult.columns(DEADLOCK_COLUMNS).row(ringBuffer()));
        // with no deadlock in the ring buffer the check looks in the event files too: none there either
        scenario.answer(statement(DeadlocksCheck.FILE_SQL), TdsResult.columns(DEADLOCK_FILE_COLUMNS));
        // read twice, two seconds apart: the check reports the difference
        scenario.answer(statement(WaitStatsCheck.SQL),
                TdsResult.columns(WAIT_COLUMNS).row("PAGEIOLATCH_SH", 120_000L, 3_600_000L, 12_000L, MS_TICKS)
                        .row("WRITELOG", 900_000L, 1_800_000L, 30_000L, MS_TICKS),
                TdsResult.columns(WAIT_COLUMNS).row("PAGEIOLATCH_SH", 120_040L, 3_600_300L, 12_010L, MS_TICKS + 2_000)
                        .row("WRITELOG", 900_090L, 1_800_120L, 30_004L, MS_TICKS + 2_000));
        scenario.answer(statement(WaitStatsCheck.WAITING_NOW_SQL), TdsResult.columns(WAITING_NOW_COLUMNS).row("PAGEIOLATCH_SH", 1, 12L));
        scenario.answer(statement(CpuCheck.SQL), cpu(12, 85));
        // a 16 GB buffer pool (2,097,152 pages of 8 KB): PLE should stay above 1200 s; it is 5400 s
        scenario.answer(statement(MemoryCheck.SQL), TdsResult.columns(COUNTER_COLUMNS)
                .row("Memory Grants Pending", 0L).row("Page life expectancy", 5_400L).row("Database pages", 2_097_152L));
        scenario.answer(statement(MemoryCheck.UPTIME_SQL), TdsResult.columns(UPTIME_COLUMNS).row(1_209_600));
        // running totals since the start two weeks ago, whatever the /sec in their names says
        scenario.answer(statement(ServerStatsCheck.SQL), TdsResult.columns(COUNTER_COLUMNS)
                .row("Batch Requests/sec", 912_345_678L).row("Transactions/sec", 402_000_117L).row("Number of Deadlocks/sec", 17L)
                .row("Lock Waits/sec", 88_120L).row("Logins/sec", 1_250_004L).row("Errors/sec", 3_071L));
        scenario.answer(statement(WorkersCheck.SQL), TdsResult.columns(WORKER_COLUMNS).row(576, 8, 96, 21, 0L, 1, 0));
        scenario.answer(statement(TempdbCheck.SPACE_SQL), TdsResult.columns(TEMPDB_SPACE_COLUMNS).row(8_192L, 6_900L, 64L, 200L, 1_028L));
        scenario.answer(statement(TempdbCheck.VERSION_STORE_SQL), TdsResult.columns(VERSION_STORE_COLUMNS).row(DATABASE, 64L));
        // two data files of 4 GB growing by 64 MB, unlimited, on a volume with 200 GB free
        scenario.answer(statement(TempdbCheck.GROWTH_SQL), TdsResult.columns(TEMPDB_GROWTH_COLUMNS)
                .row(1, 4_096, -1, 64, 204_800L).row(3, 4_096, -1, 64, 204_800L));
        scenario.answer(statement(TempdbCheck.SNAPSHOT_SQL), TdsResult.columns(SNAPSHOT_COLUMNS)
                .row(58, 9_120_441L, 2L, true, "app_user", "OrderService", "running"));
        scenario.answer(statement(LogSpaceCheck.SQL), TdsResult.columns(LOG_SPACE_COLUMNS)
                .row("master", "ONLINE", "SIMPLE", "NOTHING", 41L)
                .row("model", "ONLINE", "FULL", "NOTHING", 30L)
                .row("msdb", "ONLINE", "SIMPLE", "NOTHING", 22L)
                .row(DATABASE, "ONLINE", "FULL", "NOTHING", 18L)
                .row("tempdb", "ONLINE", "SIMPLE", "NOTHING", 5L));
        scenario.answer(statement(LongRequestsCheck.SQL), TdsResult.columns(REQUEST_COLUMNS)
                .row(58, "running", "SELECT", null, 0, 2, 1_850, 40_000L, 1_024, "app_user", "OrderService", ORDER_LOOKUP));
        scenario.answer(statement(TopStatementsCheck.BY_CPU_SQL), topStatements());
        scenario.answer(statement(TopStatementsCheck.BY_ELAPSED_SQL), topStatements());
        return scenario;
    }

    /** The order lookup, run 1.2 million times since its plan was cached a week ago, and a nightly report. */
    private static TdsResult topStatements() {
        return TdsResult.columns(TOP_STATEMENT_COLUMNS)
                .row(1_440_000L, 2_160_000L, 1_200_000L, 96_000_000L, 0, -1, 604_800, DATABASE, ORDER_LOOKUP)
                .row(310_000L, 1_900_000L, 7L, 41_000_000L, 120, 610, 604_800, DATABASE,
                        "SELECT customer_id, SUM(total) FROM dbo.Orders GROUP BY customer_id");
    }

    /** The scheduler monitor's last ten one-minute records, each as SQL Server writes it, with this CPU use. */
    static TdsResult cpu(int sqlPercent, int idlePercent) {
        TdsResult result = TdsResult.columns(CPU_COLUMNS);
        for (int minutesAgo = 0; minutesAgo < 10; minutesAgo++) {
            long ticks = MS_TICKS - minutesAgo * 60_000L - 1_000;
            result.row(ticks, "<Record id=\"" + (20_160 - minutesAgo) + "\" type=\"RING_BUFFER_SCHEDULER_MONITOR\" time=\"" + ticks + "\">"
                    + "<SchedulerMonitorEvent><SystemHealth><ProcessUtilization>" + sqlPercent + "</ProcessUtilization><SystemIdle>"
                    + idlePercent + "</SystemIdle><UserModeTime>3468750</UserModeTime><KernelModeTime>156250</KernelModeTime>"
                    + "<PageFaults>120</PageFaults><WorkingSetDelta>0</WorkingSetDelta><MemoryUtilization>100</MemoryUtilization>"
                    + "</SystemHealth></SchedulerMonitorEvent></Record>", MS_TICKS);
        }
        return result;
    }

    /** system_health's ring_buffer target_data: a wait_info event and these events. */
    static String ringBuffer(String... events) {
        return ringBuffer(false, events);
    }

    /** The same, with truncated="1" when the XML left events out to stay under its cap. */
    static String ringBuffer(boolean truncated, String... events) {
        return "<RingBufferTarget truncated=\"" + (truncated ? 1 : 0) + "\" processingTime=\"0\" totalEventsProcessed=\"" + (events.length + 1)
                + "\" eventCount=\"" + (events.length + 1) + "\" droppedCount=\"0\" memoryUsed=\"8022\">"
                + "<event name=\"wait_info\" package=\"sqlos\" timestamp=\"" + Instant.now().minus(3, ChronoUnit.MINUTES) + "\">"
                + "<data name=\"wait_type\"><value>179</value><text><![CDATA[ASYNC_NETWORK_IO]]></text></data></event>"
                + String.join("", events) + "</RingBufferTarget>";
    }

    /**
     * An xml_deadlock_report event as system_health records it: session 54 (orders-api) and 61
     * (billing-job) update two rows of dbo.accounts in opposite order; 54 is the victim.
     */
    static String deadlockReport(Instant at) {
        return "<event name=\"xml_deadlock_report\" package=\"sqlserver\" timestamp=\"" + at.truncatedTo(ChronoUnit.MILLIS) + "\">"
                + "<data name=\"xml_report\"><type name=\"xml\" package=\"package0\"/><value><deadlock>"
                + "<victim-list><victimProcess id=\"process1f3a\"/></victim-list><process-list>"
                + "<process id=\"process1f3a\" taskpriority=\"0\" logused=\"300\" waitresource=\"KEY: 5:72057594043629568 (8194443284a0)\""
                + " waittime=\"3015\" lockMode=\"U\" status=\"suspended\" spid=\"54\" trancount=\"2\" clientapp=\"orders-api\""
                + " hostname=\"web01\" loginname=\"app\" isolationlevel=\"read committed (2)\" currentdb=\"5\" currentdbname=\"" + DATABASE + "\">"
                + "<executionStack><frame procname=\"adhoc\" line=\"1\">unknown</frame></executionStack>"
                + "<inputbuf>UPDATE dbo.accounts SET balance = balance - 10 WHERE id = 2;</inputbuf></process>"
                + "<process id=\"process2b7c\" taskpriority=\"0\" logused=\"300\" waitresource=\"KEY: 5:72057594043629568 (61a06abd401c)\""
                + " waittime=\"4120\" lockMode=\"U\" status=\"suspended\" spid=\"61\" trancount=\"2\" clientapp=\"billing-job\""
                + " hostname=\"batch02\" loginname=\"billing\" isolationlevel=\"read committed (2)\" currentdb=\"5\" currentdbname=\"" + DATABASE + "\">"
                + "<inputbuf>UPDATE dbo.accounts SET balance = balance + 10 WHERE id = 1;</inputbuf></process></process-list>"
                + "<resource-list>"
                + "<keylock hobtid=\"72057594043629568\" dbid=\"5\" objectname=\"shop.dbo.accounts\" indexname=\"PK_accounts\" id=\"lock1\" mode=\"X\">"
                + "<owner-list><owner id=\"process2b7c\" mode=\"X\"/></owner-list>"
                + "<waiter-list><waiter id=\"process1f3a\" mode=\"U\" requestType=\"wait\"/></waiter-list></keylock>"
                + "<keylock hobtid=\"72057594043629568\" dbid=\"5\" objectname=\"shop.dbo.accounts\" indexname=\"PK_accounts\" id=\"lock2\" mode=\"X\">"
                + "<owner-list><owner id=\"process1f3a\" mode=\"X\"/></owner-list>"
                + "<waiter-list><waiter id=\"process2b7c\" mode=\"U\" requestType=\"wait\"/></waiter-list></keylock>"
                + "</resource-list></deadlock></value></data></event>";
    }

    /**
     * The classic incident: session 52 updated an order inside a transaction 21 minutes ago and went
     * to sleep without committing; 61 (an update) and 64 (a report) wait for its lock, and 70 waits
     * behind 61. The database's log cannot be reused while 52's transaction stays open.
     */
    public static TdsScenario blocking(TdsScenario scenario) {
        scenario.answer(statement(BlockingCheck.SQL), TdsResult.columns(BLOCKING_COLUMNS)
                .row(52, 0, "sleeping", "app_user", "APP01", "OrderService", 1, null, null, null, 1_260, UPDATE_ORDER, null, null)
                .row(61, 52, "suspended", "app_user", "APP02", "OrderService", 1, "LCK_M_U", 840_000L, "UPDATE", 840,
                        "UPDATE dbo.Orders SET status = N'cancelled' WHERE order_id = 1001", null, null)
                .row(64, 52, "suspended", "report_user", "BI01", "Report Server", 0, "LCK_M_S", 600_000L, "SELECT", 600,
                        "SELECT order_id, status FROM dbo.Orders WHERE order_date >= '20261101'", null, null)
                .row(70, 61, "suspended", "app_user", "APP03", "OrderService", 1, "LCK_M_U", 300_000L, "UPDATE", 300,
                        "UPDATE dbo.Orders SET status = N'paid' WHERE order_id = 1001", null, null));
        // the same waits as sys.dm_os_waiting_tasks lists them, one task each
        scenario.answer(statement(BlockingCheck.TASK_EDGES_SQL), TdsResult.columns(TASK_EDGE_COLUMNS)
                .row(61, 52, "LCK_M_U", 840_000L).row(64, 52, "LCK_M_S", 600_000L).row(70, 61, "LCK_M_U", 300_000L));
        // what each of them waits for: 61 and 70 want U on the order's key, 64 S on the page that holds it
        scenario.answer(statement(LockWaitsCheck.SQL), TdsResult.columns(LOCK_WAIT_COLUMNS)
                .row(61, 52, "LCK_M_U", 840_000L, "keylock hobtid=72057594043629568 dbid=5 id=lock1f3a mode=X associatedObjectId=72057594043629568",
                        DATABASE)
                .row(64, 52, "LCK_M_S", 600_000L, "pagelock fileid=1 pageid=1547 dbid=5 id=lock2b7c mode=IX associatedObjectId=72057594043629568",
                        DATABASE)
                .row(70, 61, "LCK_M_U", 300_000L, "keylock hobtid=72057594043629568 dbid=5 id=lock1f3a mode=X associatedObjectId=72057594043629568",
                        DATABASE));
        scenario.answer(statement(OpenTransactionsCheck.SQL), TdsResult.columns(TRANSACTION_COLUMNS)
                .row(52, "sleeping", "app_user", "OrderService", DATABASE, 1_265, 5_242_880L, 1, 0)
                .row(61, "suspended", "app_user", "OrderService", DATABASE, 840, 0L, 1, 1)
                .row(70, "suspended", "app_user", "OrderService", DATABASE, 300, 0L, 0, 1));
        scenario.answer(statement(WaitStatsCheck.SQL),
                TdsResult.columns(WAIT_COLUMNS).row("LCK_M_U", 40L, 1_200_000L, 200L, MS_TICKS).row("LCK_M_S", 10L, 700_000L, 50L, MS_TICKS),
                TdsResult.columns(WAIT_COLUMNS).row("LCK_M_U", 41L, 1_204_000L, 200L, MS_TICKS + 2_000)
                        .row("LCK_M_S", 11L, 702_000L, 50L, MS_TICKS + 2_000));
        // the cumulative counters add a lock wait only when it ends: 61's 14 minutes show here
        scenario.answer(statement(WaitStatsCheck.WAITING_NOW_SQL), TdsResult.columns(WAITING_NOW_COLUMNS)
                .row("LCK_M_U", 2, 840_000L).row("LCK_M_S", 1, 600_000L));
        scenario.answer(statement(LogSpaceCheck.SQL), TdsResult.columns(LOG_SPACE_COLUMNS)
                .row("master", "ONLINE", "SIMPLE", "NOTHING", 41L)
                .row(DATABASE, "ONLINE", "FULL", "ACTIVE_TRANSACTION", 62L));
        scenario.answer(statement(LongRequestsCheck.SQL), TdsResult.columns(REQUEST_COLUMNS)
                .row(61, "suspended", "UPDATE", "LCK_M_U", 52, 840, 3, 12L, 0, "app_user", "OrderService",
                        "UPDATE dbo.Orders SET status = N'cancelled' WHERE order_id = 1001")
                .row(64, "suspended", "SELECT", "LCK_M_S", 52, 600, 2, 8L, 1_024, "report_user", "Report Server",
                        "SELECT order_id, status FROM dbo.Orders WHERE order_date >= '20261101'")
                .row(70, "suspended", "UPDATE", "LCK_M_U", 61, 300, 1, 4L, 0, "app_user", "OrderService",
                        "UPDATE dbo.Orders SET status = N'paid' WHERE order_id = 1001"));
        return scenario;
    }

    /**
     * Session 83 waits on a lock that an orphaned distributed transaction holds (blocking_session_id
     * -2: MS DTC lost its coordinator); its unit of work is in sys.dm_tran_locks.
     */
    public static TdsScenario orphanedDistributedTransaction(TdsScenario scenario) {
        scenario.answer(statement(BlockingCheck.SQL), TdsResult.columns(BLOCKING_COLUMNS)
                .row(83, -2, "suspended", "app_user", "APP02", "OrderService", 1, "LCK_M_X", 420_000L, "UPDATE", 420,
                        "UPDATE dbo.Orders SET status = N'paid' WHERE order_id = 1001", null, null));
        scenario.answer(statement(BlockingCheck.TASK_EDGES_SQL), TdsResult.columns(TASK_EDGE_COLUMNS).row(83, -2, "LCK_M_X", 420_000L));
        scenario.answer(statement(BlockingCheck.ORPHANED_UOW_SQL), TdsResult.columns(UNIT_OF_WORK_COLUMNS)
                .row("4A7E3C1B-9D2F-4E8A-B5C6-1F0D2E3A4B5C"));
        return scenario;
    }

    /**
     * A parallel report (session 91) whose request waits on CXCONSUMER for its workers, and the
     * workers wait for a key lock session 52 holds: only sys.dm_os_waiting_tasks shows that edge.
     */
    public static TdsScenario blockedParallelQuery(TdsScenario scenario) {
        scenario.answer(statement(BlockingCheck.SQL), TdsResult.columns(BLOCKING_COLUMNS)
                .row(52, 0, "sleeping", "app_user", "APP01", "OrderService", 1, null, null, null, 1_260, UPDATE_ORDER, null, null)
                .row(91, 0, "suspended", "report_user", "BI01", "Report Server", 0, "CXCONSUMER", 95_000L, "SELECT", 95,
                        "SELECT customer_id, SUM(total) FROM dbo.Orders GROUP BY customer_id", null, null));
        scenario.answer(statement(BlockingCheck.TASK_EDGES_SQL), TdsResult.columns(TASK_EDGE_COLUMNS).row(91, 52, "LCK_M_S", 95_000L));
        return scenario;
    }

    /**
     * A server under pressure, one finding per new check: two deadlocks in the last hour, SQL Server
     * at 97% CPU, every worker thread taken (THREADPOOL waits), tempdb 99% full mostly with a
     * version store that a two-hour-old snapshot transaction keeps from being cleaned up, and the
     * shop database's log 96% full waiting for a log backup.
     */
    public static TdsScenario pressure(TdsScenario scenario) {
        Instant now = Instant.now();
        scenario.answer(statement(DeadlocksCheck.SQL), TdsResult.columns(DEADLOCK_COLUMNS)
                .row(ringBuffer(deadlockReport(now.minus(40, ChronoUnit.MINUTES)), deadlockReport(now.minus(5, ChronoUnit.MINUTES)))));
        scenario.answer(statement(CpuCheck.SQL), cpu(97, 1));
        // a 64 GB buffer pool whose pages live 900 s: below the 4800 s such a pool should keep them
        scenario.answer(statement(MemoryCheck.SQL), TdsResult.columns(COUNTER_COLUMNS)
                .row("Memory Grants Pending", 0L).row("Page life expectancy", 900L).row("Database pages", 8_388_608L));
        scenario.answer(statement(WorkersCheck.SQL), TdsResult.columns(WORKER_COLUMNS).row(576, 8, 576, 576, 37L, 12, 41));
        scenario.answer(statement(TempdbCheck.SPACE_SQL), TdsResult.columns(TEMPDB_SPACE_COLUMNS).row(65_536L, 512L, 48_000L, 2_000L, 15_024L));
        scenario.answer(statement(TempdbCheck.VERSION_STORE_SQL), TdsResult.columns(VERSION_STORE_COLUMNS)
                .row(DATABASE, 46_500L).row("reporting", 1_500L));
        // the data files have reached their max size: tempdb cannot grow
        scenario.answer(statement(TempdbCheck.GROWTH_SQL), TdsResult.columns(TEMPDB_GROWTH_COLUMNS)
                .row(1, 32_768, 32_768, 1_024, 51_200L).row(3, 32_768, 32_768, 1_024, 51_200L));
        // shop's log would grow by 512 MB, but its volume has 100 MB left
        scenario.answer(statement(LogSpaceCheck.GROWTH_SQL), TdsResult.columns(LOG_GROWTH_COLUMNS)
                .row(DATABASE, 2, 20_480, -1, 512, 100L).row("master", 2, 64, -1, 64, 100L));
        scenario.answer(statement(TempdbCheck.SNAPSHOT_SQL), TdsResult.columns(SNAPSHOT_COLUMNS)
                .row(77, 9_001_123L, 7_260L, true, "report_user", "Report Server", "sleeping")
                .row(58, 9_120_441L, 2L, true, "app_user", "OrderService", "running"));
        scenario.answer(statement(LogSpaceCheck.SQL), TdsResult.columns(LOG_SPACE_COLUMNS)
                .row("master", "ONLINE", "SIMPLE", "NOTHING", 41L)
                .row(DATABASE, "ONLINE", "FULL", "LOG_BACKUP", 96L));
        return scenario;
    }

    /**
     * The ring buffer's XML is over its cap: it says truncated="1" and holds only the deadlock of 40
     * minutes ago; the event files hold it too, and the one of 5 minutes ago (one event per row).
     */
    public static TdsScenario truncatedDeadlockHistory(TdsScenario scenario) {
        Instant now = Instant.now();
        Instant older = now.minus(40, ChronoUnit.MINUTES);
        scenario.answer(statement(DeadlocksCheck.SQL), TdsResult.columns(DEADLOCK_COLUMNS).row(ringBuffer(true, deadlockReport(older))));
        scenario.answer(statement(DeadlocksCheck.FILE_SQL), TdsResult.columns(DEADLOCK_FILE_COLUMNS)
                .row(deadlockReport(older)).row(deadlockReport(now.minus(5, ChronoUnit.MINUTES))));
        return scenario;
    }

    /** Someone stopped system_health: sys.dm_xe_sessions has no row for it, so the ring buffer read returns none. */
    public static TdsScenario stoppedSystemHealth(TdsScenario scenario) {
        scenario.answer(statement(DeadlocksCheck.SQL), TdsResult.columns(DEADLOCK_COLUMNS));
        return scenario;
    }

    /**
     * SQL Server 2016 SP2, whose ring buffer XML is torn (cut mid-element): the event files are read
     * without timestamp_utc (2016's file reader has none) and return a deadlock of two hours ago,
     * which the check leaves out, and one of ten minutes ago.
     */
    public static TdsScenario sqlServer2016WithTornRingBuffer() {
        TdsScenario scenario = healthy().server("SQLPROD01", 13, 0, 5888);
        scenario.answer(statement(ServerInfo.SQL), TdsResult.columns(SERVER_INFO_COLUMNS).row(VERSION_2016, EDITION, 3));
        scenario.answer(statement(ConnectionCheck.SQL), TdsResult.columns(CONNECTION_COLUMNS)
                .row(VERSION_2016, "SP2", EDITION, 3, 1, 1_209_600));
        Instant now = Instant.now();
        scenario.answer(statement(DeadlocksCheck.SQL), TdsResult.columns(DEADLOCK_COLUMNS)
                .row("<RingBufferTarget truncated=\"0\" eventCount=\"412\"><event name=\"xml_deadlock_report\" package=\"sqlser"));
        scenario.answer(statement(DeadlocksCheck.FILE_2016_SQL), TdsResult.columns(DEADLOCK_FILE_COLUMNS)
                .row(deadlockReport(now.minus(2, ChronoUnit.HOURS))).row(deadlockReport(now.minus(10, ChronoUnit.MINUTES))));
        // what the 2016 server must not be sent: its file reader has no timestamp_utc column
        scenario.answer(statement(DeadlocksCheck.FILE_SQL), TdsAnswer.error(207, 16, "Invalid column name 'timestamp_utc'."));
        return scenario;
    }

    /**
     * dbtool is connected to SQLPROD02, a secondary of AG_SHOP that has lost its connection to the
     * primary SQLPROD01 (a secondary sees only its own replica's state).
     */
    public static TdsScenario disconnectedSecondary(TdsScenario scenario) {
        scenario.answer(statement(ConnectionCheck.AVAILABILITY_SQL), TdsResult.columns(REPLICA_COLUMNS)
                .row("AG_SHOP", SECONDARY, true, "SECONDARY", "NOT_HEALTHY", "DISCONNECTED", "SQLPROD01"));
        return scenario;
    }

    /**
     * Azure SQL Database: EngineEdition 5, no ring buffers, no server-scoped system_health, no
     * Always On; the log space of the current database comes from sys.dm_db_log_space_usage. The
     * statements the guard must keep from being sent are answered with error 208, as Azure SQL
     * Database would; a test finds them in {@link TdsResponder#sqlTexts()}.
     */
    public static TdsScenario azureSqlDatabase() {
        TdsScenario scenario = healthy().server("shop-prod", 12, 0, 2000);
        scenario.answer(statement(ServerInfo.SQL), TdsResult.columns(SERVER_INFO_COLUMNS).row(AZURE_VERSION, "SQL Azure", 5));
        scenario.answer(statement(ConnectionCheck.SQL), TdsResult.columns(CONNECTION_COLUMNS)
                .row(AZURE_VERSION, PRODUCT_LEVEL, "SQL Azure", 5, 0, 1_209_600));
        scenario.answer(statement(LogSpaceCheck.AZURE_SQL), TdsResult.columns(LOG_SPACE_COLUMNS)
                .row(DATABASE, "ONLINE", "FULL", "NOTHING", 7L));
        // the database's own waits, read twice two seconds apart
        scenario.answer(statement(WaitStatsCheck.AZURE_SQL),
                TdsResult.columns(WAIT_COLUMNS).row("PAGEIOLATCH_SH", 1_200L, 36_000L, 120L, MS_TICKS),
                TdsResult.columns(WAIT_COLUMNS).row("PAGEIOLATCH_SH", 1_204L, 36_030L, 121L, MS_TICKS + 2_000));
        // 85% of the service objective's workers in use in the last 15 seconds; sessions are fine
        scenario.answer(statement(WorkersCheck.AZURE_SQL), TdsResult.columns(RESOURCE_STATS_COLUMNS)
                .row(java.time.LocalDateTime.now(java.time.ZoneOffset.UTC).withNano(0), 37.5, 85.0, 12.5));
        // the host-level views a database must not be judged by: answered as errors so a test sees them if sent
        scenario.answer(statement(WaitStatsCheck.SQL), TdsAnswer.error(297, 16, "The user does not have permission to perform this action."));
        scenario.answer(statement(WorkersCheck.SQL), TdsAnswer.error(297, 16, "The user does not have permission to perform this action."));
        // what the guard must keep from being sent: Azure SQL Database has none of these views
        scenario.answer(statement(CpuCheck.SQL), TdsAnswer.invalidObject("sys.dm_os_ring_buffers"));
        scenario.answer(statement(DeadlocksCheck.SQL), TdsAnswer.invalidObject("sys.dm_xe_session_targets"));
        scenario.answer(statement(ConnectionCheck.AVAILABILITY_SQL), TdsAnswer.invalidObject("sys.dm_hadr_availability_replica_states"));
        return scenario;
    }

    /**
     * Azure SQL Managed Instance: EngineEdition 8, the same 12.0.2000.8 as Azure SQL Database, but
     * the instance-level views of a box (ring buffers, system_health, sys.master_files).
     */
    public static TdsScenario managedInstance() {
        TdsScenario scenario = healthy().server("shop-mi", 12, 0, 2000);
        scenario.answer(statement(ServerInfo.SQL), TdsResult.columns(SERVER_INFO_COLUMNS).row(AZURE_VERSION, "SQL Azure", 8));
        scenario.answer(statement(ConnectionCheck.SQL), TdsResult.columns(CONNECTION_COLUMNS)
                .row(AZURE_VERSION, PRODUCT_LEVEL, "SQL Azure", 8, 0, 1_209_600));
        return scenario;
    }

    /** Restarted ten minutes ago: the 64 GB buffer pool is still filling, so PLE (590 s) is low by nature. */
    public static TdsScenario justRestarted(TdsScenario scenario) {
        scenario.answer(statement(ConnectionCheck.SQL), TdsResult.columns(CONNECTION_COLUMNS)
                .row(VERSION, PRODUCT_LEVEL, EDITION, 3, 1, 600));
        scenario.answer(statement(MemoryCheck.SQL), TdsResult.columns(COUNTER_COLUMNS)
                .row("Memory Grants Pending", 0L).row("Page life expectancy", 590L).row("Database pages", 8_388_608L));
        scenario.answer(statement(MemoryCheck.UPTIME_SQL), TdsResult.columns(UPTIME_COLUMNS).row(600));
        return scenario;
    }

    /** The blocking DMV read takes longer than any statement timeout: the server is too busy to answer it. */
    public static TdsScenario slowBlockingRead(TdsScenario scenario) {
        scenario.answer(statement(BlockingCheck.SQL), TdsAnswer.delay(Duration.ofSeconds(60), TdsAnswer.rows(TdsResult.columns(BLOCKING_COLUMNS))));
        return scenario;
    }

    /** The memory counters cannot be read: error 1222 (lock request time out), as under SET LOCK_TIMEOUT. */
    public static TdsScenario lockedCounters(TdsScenario scenario) {
        scenario.answer(statement(MemoryCheck.SQL), TdsAnswer.lockTimeout());
        return scenario;
    }

    /** A dbtool URL for this responder; the password only where a test means to pass one. */
    public static String url(TdsResponder responder, String password, String database) {
        return "sqlserver://" + USER + (password == null ? "" : ":" + password) + "@" + responder.host() + ":" + responder.port() + "/" + database;
    }
}
