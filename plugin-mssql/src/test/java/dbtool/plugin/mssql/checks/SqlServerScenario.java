package dbtool.plugin.mssql.checks;

import static dbtool.testkit.tds.TdsScenario.statement;

import dbtool.testkit.tds.TdsAnswer;
import dbtool.testkit.tds.TdsResponder;
import dbtool.testkit.tds.TdsResult;
import dbtool.testkit.tds.TdsScenario;
import java.time.Duration;

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

    static final String[] CONNECTION_COLUMNS = {"version", "edition", "engine_edition:int", "uptime_seconds:int"};
    static final String[] BLOCKING_COLUMNS = {"session_id:int", "blocking_session_id:int", "status", "login_name", "host_name",
            "program_name", "open_transaction_count:int", "wait_type", "wait_ms:bigint", "command", "seconds_since_request:int", "sql_text"};
    static final String[] TRANSACTION_COLUMNS = {"session_id:int", "status", "login_name", "program_name", "database_name",
            "age_seconds:int", "log_bytes_used:bigint"};
    static final String[] WAIT_COLUMNS = {"wait_type", "waiting_tasks_count:bigint", "wait_time_ms:bigint", "signal_wait_time_ms:bigint"};
    static final String[] COUNTER_COLUMNS = {"counter_name", "cntr_value:bigint"};
    static final String[] LOG_REUSE_COLUMNS = {"database_name", "state_desc", "recovery_model_desc", "log_reuse_wait_desc"};
    static final String[] REQUEST_COLUMNS = {"session_id:int", "status", "command", "wait_type", "blocking_session_id:int",
            "elapsed_seconds:int", "cpu_ms:int", "logical_reads:bigint", "granted_kb:int", "login_name", "program_name", "sql_text"};

    static final String UPDATE_ORDER = "UPDATE dbo.Orders SET status = N'shipped' WHERE order_id = 1001";

    private SqlServerScenario() {
    }

    /** A responder for a healthy SQL Server 2019: every check has an answer and nothing to worry about. */
    public static TdsResponder start() {
        return TdsResponder.start(healthy());
    }

    public static TdsScenario healthy() {
        TdsScenario scenario = new TdsScenario().login(USER, PASSWORD).database(DATABASE).server("SQLPROD01", 15, 0, 4345);
        scenario.answer(statement(ConnectionCheck.SQL), TdsResult.columns(CONNECTION_COLUMNS).row(VERSION, EDITION, 3, 1_209_600));
        scenario.answer(statement(BlockingCheck.SQL), TdsResult.columns(BLOCKING_COLUMNS));
        scenario.answer(statement(OpenTransactionsCheck.SQL), TdsResult.columns(TRANSACTION_COLUMNS)
                .row(58, "running", "app_user", "OrderService", DATABASE, 1, 8_192L));
        // read twice, two seconds apart: the check reports the difference
        scenario.answer(statement(WaitStatsCheck.SQL),
                TdsResult.columns(WAIT_COLUMNS).row("PAGEIOLATCH_SH", 120_000L, 3_600_000L, 12_000L).row("WRITELOG", 900_000L, 1_800_000L, 30_000L),
                TdsResult.columns(WAIT_COLUMNS).row("PAGEIOLATCH_SH", 120_040L, 3_600_300L, 12_010L).row("WRITELOG", 900_090L, 1_800_120L, 30_004L));
        scenario.answer(statement(MemoryCheck.SQL), TdsResult.columns(COUNTER_COLUMNS)
                .row("Memory Grants Pending", 0L).row("Page life expectancy", 5_400L));
        scenario.answer(statement(LogSpaceCheck.SQL), TdsResult.columns(LOG_REUSE_COLUMNS));
        scenario.answer(statement(LongRequestsCheck.SQL), TdsResult.columns(REQUEST_COLUMNS)
                .row(58, "running", "SELECT", null, 0, 2, 1_850, 40_000L, 1_024, "app_user", "OrderService",
                        "SELECT TOP (50) * FROM dbo.Orders WHERE customer_id = @p0"));
        return scenario;
    }

    /**
     * The classic incident: session 52 updated an order inside a transaction 21 minutes ago and went
     * to sleep without committing; 61 (an update) and 64 (a report) wait for its lock, and 70 waits
     * behind 61. The database's log cannot be reused while 52's transaction stays open.
     */
    public static TdsScenario blocking(TdsScenario scenario) {
        scenario.answer(statement(BlockingCheck.SQL), TdsResult.columns(BLOCKING_COLUMNS)
                .row(52, 0, "sleeping", "app_user", "APP01", "OrderService", 1, null, null, null, 1_260, UPDATE_ORDER)
                .row(61, 52, "suspended", "app_user", "APP02", "OrderService", 1, "LCK_M_U", 840_000L, "UPDATE", 840,
                        "UPDATE dbo.Orders SET status = N'cancelled' WHERE order_id = 1001")
                .row(64, 52, "suspended", "report_user", "BI01", "Report Server", 0, "LCK_M_S", 600_000L, "SELECT", 600,
                        "SELECT order_id, status FROM dbo.Orders WHERE order_date >= '20261101'")
                .row(70, 61, "suspended", "app_user", "APP03", "OrderService", 1, "LCK_M_U", 300_000L, "UPDATE", 300,
                        "UPDATE dbo.Orders SET status = N'paid' WHERE order_id = 1001"));
        scenario.answer(statement(OpenTransactionsCheck.SQL), TdsResult.columns(TRANSACTION_COLUMNS)
                .row(52, "sleeping", "app_user", "OrderService", DATABASE, 1_265, 5_242_880L)
                .row(61, "suspended", "app_user", "OrderService", DATABASE, 840, 0L)
                .row(70, "suspended", "app_user", "OrderService", DATABASE, 300, 0L));
        scenario.answer(statement(WaitStatsCheck.SQL),
                TdsResult.columns(WAIT_COLUMNS).row("LCK_M_U", 40L, 1_200_000L, 200L).row("LCK_M_S", 10L, 700_000L, 50L),
                TdsResult.columns(WAIT_COLUMNS).row("LCK_M_U", 41L, 1_204_000L, 200L).row("LCK_M_S", 11L, 702_000L, 50L));
        scenario.answer(statement(LogSpaceCheck.SQL), TdsResult.columns(LOG_REUSE_COLUMNS)
                .row(DATABASE, "ONLINE", "FULL", "ACTIVE_TRANSACTION"));
        scenario.answer(statement(LongRequestsCheck.SQL), TdsResult.columns(REQUEST_COLUMNS)
                .row(61, "suspended", "UPDATE", "LCK_M_U", 52, 840, 3, 12L, 0, "app_user", "OrderService",
                        "UPDATE dbo.Orders SET status = N'cancelled' WHERE order_id = 1001")
                .row(64, "suspended", "SELECT", "LCK_M_S", 52, 600, 2, 8L, 1_024, "report_user", "Report Server",
                        "SELECT order_id, status FROM dbo.Orders WHERE order_date >= '20261101'")
                .row(70, "suspended", "UPDATE", "LCK_M_U", 61, 300, 1, 4L, 0, "app_user", "OrderService",
                        "UPDATE dbo.Orders SET status = N'paid' WHERE order_id = 1001"));
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
