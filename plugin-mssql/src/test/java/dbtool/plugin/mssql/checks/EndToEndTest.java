package dbtool.plugin.mssql.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.report.CheckReport;
import dbtool.core.report.Report;
import dbtool.core.report.Style;
import dbtool.core.report.TextReportRenderer;
import dbtool.plugin.mssql.ServerInfo;
import dbtool.plugin.mssql.SqlServerPlugin;
import dbtool.spi.Credentials;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.testkit.PluginRun;
import dbtool.testkit.Reports;
import dbtool.testkit.tds.Login7;
import dbtool.testkit.tds.TdsAnswer;
import dbtool.testkit.tds.TdsResponder;
import dbtool.testkit.tds.TdsScenario;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The plugin end to end: core's runner, the plugin's session and checks, and the real jTDS 1.3.1
 * driver logging in to the testkit TDS responder on loopback and reading canned DMV rows.
 */
class EndToEndTest {

    private TdsResponder responder;

    @AfterEach
    void stop() {
        if (responder != null) {
            responder.close();
        }
    }

    private Report run(TdsScenario scenario, String password, String database) {
        responder = TdsResponder.start(scenario);
        return PluginRun.run(new SqlServerPlugin(), SqlServerScenario.url(responder, password, database), Credentials.none(), Map.of(),
                Duration.ofSeconds(20));
    }

    @Test
    void aHealthyServerShowsItsLoginStagesVersionAndEdition() {
        Report report = run(SqlServerScenario.healthy(), SqlServerScenario.PASSWORD, SqlServerScenario.DATABASE);

        Reports.assertNoUnknown(report);
        assertTrue(report.status().compareTo(Severity.WARNING) < 0, Reports.describe(report));
        Finding connected = Reports.require(report, "MSSQL_CONNECTED");
        assertEquals("SQL Server 2019 (" + SqlServerScenario.VERSION + ", RTM, " + SqlServerScenario.EDITION + "), up 14 d", connected.title());
        assertEquals(SqlServerScenario.VERSION, connected.evidence().get("version"));
        assertEquals(SqlServerScenario.EDITION, connected.evidence().get("edition"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> stages = (List<Map<String, Object>>) connected.evidence().get("stages");
        assertEquals(List.of("dns", "tcp", "login"), stages.stream().map(s -> s.get("stage")).toList());
        assertEquals("logged in as " + SqlServerScenario.USER + " with jTDS", stages.get(2).get("result"));
        stages.forEach(stage -> assertTrue(((Number) stage.get("ms")).longValue() >= 0, "each stage is timed: " + stage));
        assertTrue(new TextReportRenderer(Style.PLAIN).render(report).contains("SQL Server 2019 (15.0.4345.5, RTM, Enterprise Edition"));
        assertEquals(List.of(), responder.unexpected(), "every statement the plugin sent had a canned answer");

        // each check read its canned rows through jTDS, and found nothing to worry about
        assertEquals(SqlServerScenario.CHECK_IDS, report.checks().stream().map(CheckReport::id).toList());
        assertEquals("PRIMARY", Reports.check(report, "connection").metrics().get("ag_role"));
        assertEquals(0, Reports.check(report, "lock-waits").metrics().get("lock_waits"), "a 450 ms lock wait is normal traffic");
        assertEquals(0, Reports.check(report, "deadlocks").metrics().get("deadlocks"), "system_health runs, no deadlock in it");
        assertEquals(10, Reports.check(report, "cpu").metrics().get("cpu_samples"));
        assertEquals(12L, Reports.check(report, "cpu").metrics().get("sql_cpu_percent"));
        assertEquals(4L, Reports.check(report, "workers").metrics().get("workers_used_percent"), "21 active of 576; 96 exist");
        assertEquals(16L, Reports.check(report, "tempdb").metrics().get("tempdb_used_percent"));
        assertEquals(41L, Reports.check(report, "log-space").metrics().get("max_percent_log_used"));
        CheckReport stats = Reports.check(report, "server-stats");
        assertEquals(912_345_678L, stats.metrics().get("batch_requests"));
        assertEquals(17L, stats.metrics().get("deadlocks"));
        assertEquals(stats.metrics().keySet(), stats.counters(), "serve exports every one as a counter, for rate()");
        Finding top = Reports.require(report, "MSSQL_TOP_CPU_STATEMENTS");
        assertEquals(Severity.INFO, top.severity());
        assertEquals("Top cached statement by CPU: 1440 s in 1200000 executions (shop): " + SqlServerScenario.ORDER_LOOKUP, top.title());
        report.checks().forEach(check -> assertTrue(check.status().compareTo(Severity.WARNING) < 0, check.id() + " " + check.status()));
        responder.assertOnlyExpectedTraffic();
    }

    @Test
    void theSessionIdentifiesItselfAndSetsItsSafetyLimitsBeforeAnyDmvRead() {
        run(SqlServerScenario.healthy(), SqlServerScenario.PASSWORD, SqlServerScenario.DATABASE);

        assertEquals(1, responder.logins().size(), "one login per troubleshoot");
        Login7 login = responder.logins().getFirst();
        assertEquals("dbtool", login.appName());
        assertEquals(SqlServerScenario.USER, login.userName());
        assertEquals(SqlServerScenario.DATABASE, login.database());
        List<String> sql = responder.sqlTexts();
        int settings = indexOf(sql, "SET LOCK_TIMEOUT 500");
        int firstDmvRead = indexOf(sql, "sys.");
        assertTrue(settings >= 0 && settings < firstDmvRead, "settings come before the first DMV read: " + sql);
        String set = sql.get(settings);
        assertTrue(set.contains("SET TRANSACTION ISOLATION LEVEL READ UNCOMMITTED") && set.contains("SET DEADLOCK_PRIORITY LOW"), set);
        int driverDefaults = indexOf(sql, "SET TRANSACTION ISOLATION LEVEL READ COMMITTED");
        assertTrue(driverDefaults >= 0 && driverDefaults < settings, "jTDS's own defaults come first and do not override the session's: " + sql);
        for (String batch : sql) {
            String first = batch.strip().toUpperCase(Locale.ROOT);
            assertTrue(first.startsWith("SELECT") || first.startsWith("SET "), "only reads and SET go to the server: " + batch);
            assertFalse(first.matches("(?s).*\\b(INSERT|UPDATE|DELETE|MERGE|EXEC|EXECUTE|CREATE|ALTER|DROP|KILL|TRUNCATE)\\b.*"),
                    "nothing writes: " + batch);
        }
    }

    @Test
    void aWrongPasswordIsOnePlainCauseAndThePasswordIsNowhere() {
        String wrong = "Not-The-Passw0rd-42";
        Report report = run(SqlServerScenario.healthy(), wrong, SqlServerScenario.DATABASE);

        assertEquals(Severity.CRITICAL, report.status());
        Finding failed = Reports.require(report, "MSSQL_LOGIN_FAILED");
        assertEquals("Cannot log in to 127.0.0.1:" + responder.port() + ": the login was rejected (error 18456)", failed.title());
        assertEquals("Login failed for user '" + SqlServerScenario.USER + "'. (error 18456)", failed.detail());
        assertFalse(failed.detail().contains("\n"));
        String everything = Reports.everything(report);
        assertFalse(everything.contains(wrong), "the password leaked into the report");
        assertFalse(everything.contains("at net.sourceforge"), "no stack trace");
        assertEquals(1, responder.logins().size(), "the failure is remembered, not retried by every check");
        assertEquals(wrong, responder.logins().getFirst().password(), "the responder really compared the password it was sent");
    }

    @Test
    void aMissingDatabaseIsError4060() {
        Report report = run(SqlServerScenario.healthy(), SqlServerScenario.PASSWORD, "archive");

        Finding failed = Reports.require(report, "MSSQL_DATABASE_UNAVAILABLE");
        assertEquals(Severity.CRITICAL, failed.severity());
        assertTrue(failed.detail().startsWith("Cannot open database \"archive\" requested by the login. The login failed."), failed.detail());
        assertTrue(failed.recommendation().contains("sys.databases"), failed.recommendation());
    }

    @Test
    void theBlockingReportNamesTheHeadBlockerAndItsTreeLikeSpWhoIsActive() {
        Report report = run(SqlServerScenario.blocking(SqlServerScenario.healthy()), SqlServerScenario.PASSWORD, SqlServerScenario.DATABASE);

        Reports.assertNoUnknown(report);
        assertEquals(Severity.CRITICAL, report.status());
        assertEquals(2, report.exitCode());
        Finding blocking = Reports.require(report, "MSSQL_BLOCKING");
        assertEquals(Severity.CRITICAL, blocking.severity(), "a sleeping head blocker with an open transaction will not finish by itself");
        assertEquals("3 sessions are blocked behind session 52", blocking.title());
        assertEquals(List.of(SqlServerScenario.HEAD_BLOCKER), blocking.evidence().get("headBlockers"));
        @SuppressWarnings("unchecked")
        Map<String, Object> head = ((List<Map<String, Object>>) blocking.evidence().get("blockingTree")).getFirst();
        assertEquals(52L, head.get("sessionId"));
        assertEquals(List.of(61L, 64L), children(head).stream().map(c -> c.get("sessionId")).toList());
        assertEquals(List.of(70L), children(children(head).getFirst()).stream().map(c -> c.get("sessionId")).toList());
        assertTrue(blocking.recommendation().startsWith("KILL 52;"), blocking.recommendation());

        String text = new TextReportRenderer(Style.PLAIN).render(report);
        assertTrue(text.contains("session 52 sleeping, 1 open transaction(s), app_user@APP01 (OrderService)"), text);
        assertTrue(text.contains("session 70 suspended, waiting 5 min on LCK_M_U"), text);
        assertEquals(List.of(52L), Reports.require(report, "MSSQL_LONG_TRANSACTION").evidence().get("headBlockers"));
        Finding lockWaits = Reports.require(report, "MSSQL_LOCK_WAITS");
        assertEquals(Severity.CRITICAL, lockWaits.severity(), "the longest has waited 14 min");
        assertEquals("3 lock requests wait; the longest for 14 min: session 61 wants U on KEY hobtid=72057594043629568 in shop, "
                + "held by session 52", lockWaits.title());
        String lockWaitsSql = TdsScenario.normalize(LockWaitsCheck.SQL);
        assertTrue(responder.sqlTexts().stream().map(TdsScenario::normalize).anyMatch(lockWaitsSql::equals));
        assertFalse(lockWaitsSql.contains("dm_tran_locks") || lockWaitsSql.contains("OBJECT_NAME"),
                "no scan of every lock, no metadata read that waits behind a Sch-M");
        assertEquals(List.of(SqlServerScenario.HEAD_BLOCKER), lockWaits.evidence().get("headBlockers"), "70 waits for 61, which waits itself");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> waits = (List<Map<String, Object>>) lockWaits.evidence().get("lockWaits");
        assertEquals(List.of(61L, 64L, 70L), waits.stream().map(w -> w.get("sessionId")).toList());
        assertEquals(List.of("U", "S", "U"), waits.stream().map(w -> w.get("mode")).toList());
        assertEquals(List.of(52L, 52L, 61L), waits.stream().map(w -> w.get("blockedBy")).toList());
        Finding logReuse = Reports.require(report, "MSSQL_LOG_REUSE_WAIT");
        assertEquals("ACTIVE_TRANSACTION", logReuse.evidence().get("logReuseWait"));
        assertEquals("The log of shop cannot be reused: ACTIVE_TRANSACTION (62% used)", logReuse.title());
        assertEquals(List.of(61L, 64L, 70L), Reports.require(report, "MSSQL_LONG_REQUEST").evidence().get("sessionIds"));
        Finding waitStats = Reports.require(report, "MSSQL_WAITS");
        assertTrue(waitStats.title().startsWith("Top wait now: LCK_M_U (4000 ms in 2.0 s)"), "divided by the server clock: " + waitStats.title());
        assertTrue(waitStats.title().endsWith("; in progress: LCK_M_U (2 tasks, longest 14 min), LCK_M_S (1 task, longest 10 min)"), waitStats.title());
        assertEquals(List.of(), responder.unexpected(), "every statement the plugin sent had a canned answer");
        responder.assertOnlyExpectedTraffic();
    }

    @Test
    void aStatementTheServerDoesNotAnswerIsCancelledAndTheOtherChecksStillRun() {
        Report report = run(SqlServerScenario.slowBlockingRead(SqlServerScenario.healthy()), SqlServerScenario.PASSWORD, SqlServerScenario.DATABASE);

        CheckReport blocking = Reports.check(report, "blocking");
        assertEquals(Severity.UNKNOWN, blocking.status());
        assertNotNull(blocking.error());
        assertTrue(blocking.error().startsWith("no answer within 5 s (the statement timeout), so dbtool cancelled the query"), blocking.error());
        assertEquals(List.of(TdsScenario.normalize(BlockingCheck.SQL)), responder.cancelled(), "jTDS sent ATTENTION for the statement");
        for (String id : SqlServerScenario.CHECK_IDS.subList(2, SqlServerScenario.CHECK_IDS.size())) {
            assertEquals(null, Reports.check(report, id).error(), id + " ran on the same connection after the cancel");
        }
        assertEquals(1, responder.logins().size());
    }

    @Test
    void aLockTimeoutOnADmvIsThatChecksErrorOnly() {
        Report report = run(SqlServerScenario.lockedCounters(SqlServerScenario.healthy()), SqlServerScenario.PASSWORD, SqlServerScenario.DATABASE);

        CheckReport memory = Reports.check(report, "memory");
        assertEquals(Severity.UNKNOWN, memory.status());
        assertTrue(memory.error().contains("Lock request time out period exceeded."), memory.error());
        assertEquals(null, Reports.check(report, "log-space").error());
    }

    @Test
    void underPressureEachNewCheckReportsItsFindingFromTheServersOwnFormats() {
        Report report = run(SqlServerScenario.pressure(SqlServerScenario.healthy()), SqlServerScenario.PASSWORD, SqlServerScenario.DATABASE);

        Reports.assertNoUnknown(report);
        assertEquals(List.of(), responder.unexpected());
        // deadlocks: parsed from the xml_deadlock_report events of system_health's ring buffer
        Finding deadlocks = Reports.require(report, "MSSQL_DEADLOCKS");
        assertEquals(Severity.WARNING, deadlocks.severity());
        assertEquals("2 deadlocks in the last 60 min; the latest chose session 54 (orders-api) as victim on shop.dbo.accounts", deadlocks.title());
        assertEquals(List.of(), deadlocks.evidence().get("headBlockers"));
        @SuppressWarnings("unchecked")
        Map<String, Object> latest = ((List<Map<String, Object>>) deadlocks.evidence().get("deadlocks")).getFirst();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> processes = (List<Map<String, Object>>) latest.get("processes");
        assertEquals(List.of(54L, 61L), processes.stream().map(p -> p.get("sessionId")).toList());
        assertEquals("UPDATE dbo.accounts SET balance = balance + 10 WHERE id = 1;", processes.get(1).get("statement"));
        // cpu: from the scheduler monitor records' XML
        Finding cpu = Reports.require(report, "MSSQL_HIGH_CPU");
        assertEquals(Severity.CRITICAL, cpu.severity());
        assertEquals("SQL Server uses 97% CPU over the last 10 minutes (97% in the last minute)", cpu.title());
        // memory: the PLE threshold scaled to the 64 GB buffer pool
        assertEquals("Page life expectancy is 900 s, below 4800 s for a buffer pool of 64.0 GB",
                Reports.require(report, "MSSQL_LOW_PAGE_LIFE_EXPECTANCY").title());
        Finding workers = Reports.require(report, "MSSQL_WORKER_THREADS_EXHAUSTED");
        assertEquals("41 tasks wait for a worker thread (THREADPOOL); 576 of 576 workers exist", workers.title());
        Finding tempdb = Reports.require(report, "MSSQL_TEMPDB_FULL");
        assertEquals(Severity.CRITICAL, tempdb.severity());
        assertEquals("tempdb is 99% full (65024 of 65536 MB); most of it is the version store", tempdb.title());
        assertEquals("The version store holds 48000 MB of tempdb, mostly for shop", Reports.require(report, "MSSQL_VERSION_STORE_LARGE").title());
        assertEquals(List.of(77L), Reports.require(report, "MSSQL_OLD_SNAPSHOT_TRANSACTION").evidence().get("sessionIds"));
        Finding log = Reports.require(report, "MSSQL_LOG_FULL");
        assertEquals(Severity.CRITICAL, log.severity());
        assertEquals("The log of shop is 96% full; it cannot be reused: LOG_BACKUP", log.title());
        assertTrue(log.recommendation().startsWith("Take a log backup: BACKUP LOG [shop]"), log.recommendation());
        assertEquals(2, report.exitCode());
    }

    @Test
    void aTruncatedRingBufferIsCompletedFromTheEventFiles() {
        Report report = run(SqlServerScenario.truncatedDeadlockHistory(SqlServerScenario.healthy()), SqlServerScenario.PASSWORD,
                SqlServerScenario.DATABASE);

        Reports.assertNoUnknown(report);
        assertEquals(List.of(), responder.unexpected());
        assertTrue(responder.sqlTexts().stream().map(TdsScenario::normalize).toList().contains(TdsScenario.normalize(DeadlocksCheck.FILE_SQL)),
                "2019 reads the files with the server's own timestamp_utc filter");
        CheckReport deadlocks = Reports.check(report, "deadlocks");
        assertEquals(2, deadlocks.metrics().get("deadlocks"), "the newest from the files, the older one counted once");
        assertEquals("event_file", deadlocks.metrics().get("deadlock_source"));
        assertEquals("2 deadlocks in the last 60 min; the latest chose session 54 (orders-api) as victim on shop.dbo.accounts",
                Reports.require(report, "MSSQL_DEADLOCKS").title());
        assertTrue(Reports.finding(report, "MSSQL_DEADLOCK_HISTORY_INCOMPLETE").isEmpty(), "the files hold the whole hour");
    }

    @Test
    void onSqlServer2016ATornRingBufferIsAnInfoAndTheFilesAreFilteredByTheEventsTime() {
        Report report = run(SqlServerScenario.sqlServer2016WithTornRingBuffer(), SqlServerScenario.PASSWORD, SqlServerScenario.DATABASE);

        Reports.assertNoUnknown(report);
        assertEquals(List.of(), responder.unexpected());
        List<String> sent = responder.sqlTexts().stream().map(TdsScenario::normalize).toList();
        assertTrue(sent.contains(TdsScenario.normalize(DeadlocksCheck.FILE_2016_SQL)));
        assertFalse(sent.contains(TdsScenario.normalize(DeadlocksCheck.FILE_SQL)), "2016 has no timestamp_utc");
        assertEquals(Severity.INFO, Reports.require(report, "MSSQL_DEADLOCK_HISTORY_INCOMPLETE").severity());
        assertEquals("1 deadlock in the last 60 min; the latest chose session 54 (orders-api) as victim on shop.dbo.accounts",
                Reports.require(report, "MSSQL_DEADLOCKS").title(), "the one of two hours ago is left out");
        assertEquals(Severity.WARNING, Reports.check(report, "deadlocks").status());
    }

    @Test
    void aStoppedSystemHealthSessionIsAWarningThatDeadlocksGoUnrecorded() {
        Report report = run(SqlServerScenario.stoppedSystemHealth(SqlServerScenario.healthy()), SqlServerScenario.PASSWORD,
                SqlServerScenario.DATABASE);

        assertEquals(List.of(), responder.unexpected());
        Finding stopped = Reports.require(report, "MSSQL_DEADLOCK_SESSION_STOPPED");
        assertEquals(Severity.WARNING, stopped.severity());
        assertTrue(stopped.recommendation().contains("ALTER EVENT SESSION system_health ON SERVER STATE = START;"));
        assertFalse(responder.sqlTexts().stream().map(TdsScenario::normalize).toList().contains(TdsScenario.normalize(DeadlocksCheck.FILE_SQL)),
                "no session, no files to read");
    }

    @Test
    void aJustRestartedServersLowPageLifeExpectancyIsNoFinding() {
        Report report = run(SqlServerScenario.justRestarted(SqlServerScenario.healthy()), SqlServerScenario.PASSWORD, SqlServerScenario.DATABASE);

        Reports.assertNoUnknown(report);
        assertEquals(List.of(), responder.unexpected());
        assertTrue(Reports.finding(report, "MSSQL_LOW_PAGE_LIFE_EXPECTANCY").isEmpty(), Reports.describe(report));
        CheckReport memory = Reports.check(report, "memory");
        assertEquals(590L, memory.metrics().get("page_life_expectancy"));
        assertEquals(4800L, memory.metrics().get("page_life_expectancy_threshold"));
        assertEquals(600L, memory.metrics().get("uptime_seconds"));
        assertEquals("MSSQL_RECENT_RESTART", Reports.require(report, "MSSQL_RECENT_RESTART").code(), "the restart itself is said once, by connection");
    }

    @Test
    void onAzureSqlDatabaseTheGuardSkipsCpuAndDeadlocksWithoutSendingTheirStatements() {
        Report report = run(SqlServerScenario.azureSqlDatabase(), SqlServerScenario.PASSWORD, SqlServerScenario.DATABASE);

        Reports.assertNoUnknown(report);
        assertEquals(List.of(), responder.unexpected());
        assertEquals("Azure SQL Database (" + SqlServerScenario.AZURE_VERSION + ", RTM, SQL Azure), up 14 d",
                Reports.require(report, "MSSQL_CONNECTED").title());
        for (String id : List.of("cpu", "deadlocks")) {
            CheckReport skipped = Reports.check(report, id);
            assertEquals(Severity.OK, skipped.status(), id + " is not a problem of the server");
            assertEquals("MSSQL_CHECK_SKIPPED", skipped.findings().getFirst().code(), id);
            assertEquals(Severity.INFO, skipped.findings().getFirst().severity(), id);
            assertTrue(skipped.findings().getFirst().title().startsWith("Not available on Azure SQL Database: it reads "),
                    skipped.findings().getFirst().title());
        }
        List<String> sent = responder.sqlTexts().stream().map(TdsScenario::normalize).toList();
        for (String never : List.of(CpuCheck.SQL, DeadlocksCheck.SQL, ConnectionCheck.AVAILABILITY_SQL, LogSpaceCheck.SQL, WaitStatsCheck.SQL,
                WorkersCheck.SQL)) {
            assertFalse(sent.contains(TdsScenario.normalize(never)), "sent to Azure SQL Database: " + never);
        }
        assertTrue(sent.contains(TdsScenario.normalize(LogSpaceCheck.AZURE_SQL)), "the current database's log space instead");
        assertTrue(sent.contains(TdsScenario.normalize(TempdbCheck.VERSION_STORE_SQL)),
                "Azure SQL Database has sys.dm_tran_version_store_space_usage, whatever its 12.0.2000.8 says");
        assertEquals(1, sent.stream().filter(TdsScenario.normalize(ServerInfo.SQL)::equals).count(), "the version is read once, at login");
        assertEquals(7L, Reports.check(report, "log-space").metrics().get("max_percent_log_used"));
        // the database's own waits and its service objective's limits, not the shared host's
        assertTrue(sent.contains(TdsScenario.normalize(WaitStatsCheck.AZURE_SQL)), "sys.dm_db_wait_stats");
        assertEquals(2.0, Reports.check(report, "waits").metrics().get("sample_seconds"));
        Finding workers = Reports.require(report, "MSSQL_WORKER_LIMIT");
        assertEquals(Severity.WARNING, workers.severity());
        assertEquals("The database uses 85% of the workers its service objective allows", workers.title());
        assertEquals(12.5, Reports.check(report, "workers").metrics().get("session_percent_of_limit"));
        assertEquals(Severity.WARNING, report.status(), Reports.describe(report));
    }

    @Test
    void onManagedInstanceEveryCheckRunsAndNoVersionIsCompared() {
        Report report = run(SqlServerScenario.managedInstance(), SqlServerScenario.PASSWORD, SqlServerScenario.DATABASE);

        Reports.assertNoUnknown(report);
        assertEquals(List.of(), responder.unexpected());
        assertEquals("Azure SQL Managed Instance (" + SqlServerScenario.AZURE_VERSION + ", RTM, SQL Azure), up 14 d",
                Reports.require(report, "MSSQL_CONNECTED").title());
        assertTrue(Reports.finding(report, "MSSQL_UNSUPPORTED_VERSION").isEmpty(), Reports.describe(report));
        assertTrue(Reports.finding(report, "MSSQL_CHECK_SKIPPED").isEmpty(), Reports.describe(report));
        List<String> sent = responder.sqlTexts().stream().map(TdsScenario::normalize).toList();
        for (String read : List.of(CpuCheck.SQL, DeadlocksCheck.SQL, LogSpaceCheck.SQL, TempdbCheck.VERSION_STORE_SQL)) {
            assertTrue(sent.contains(TdsScenario.normalize(read)), "Managed Instance has what a box has: " + read);
        }
        assertEquals(10, Reports.check(report, "cpu").metrics().get("cpu_samples"));
        assertTrue(report.status().compareTo(Severity.WARNING) < 0, Reports.describe(report));
    }

    @Test
    void aSessionSettingTheServerRefusesClosesTheConnectionItOpened() {
        TdsScenario scenario = SqlServerScenario.healthy();
        scenario.answer(TdsScenario.mentioning("SET LOCK_TIMEOUT"), TdsAnswer.error(50000, 16, "SET statements are refused by a logon policy."));
        Report report = run(scenario, SqlServerScenario.PASSWORD, SqlServerScenario.DATABASE);

        Finding failed = Reports.require(report, "MSSQL_CONNECT_FAILED");
        assertTrue(failed.detail().startsWith("SET statements are refused by a logon policy."), failed.detail());
        assertEquals(1, responder.logins().size(), "the failure is remembered: no second login");
        assertTrue(responder.awaitAllClosed(Duration.ofSeconds(10)), "the connection whose SET failed was left open");
    }

    @Test
    void anOrphanedDistributedTransactionIsAHeadBlockerKilledByItsUnitOfWork() {
        Report report = run(SqlServerScenario.orphanedDistributedTransaction(SqlServerScenario.healthy()), SqlServerScenario.PASSWORD,
                SqlServerScenario.DATABASE);

        assertEquals(List.of(), responder.unexpected());
        Finding blocking = Reports.require(report, "MSSQL_BLOCKING");
        assertEquals(Severity.CRITICAL, blocking.severity(), "nobody will end an orphaned transaction by itself");
        assertEquals("1 session is blocked behind an orphaned distributed transaction (blocker -2)", blocking.title());
        assertEquals(List.of(-2L), blocking.evidence().get("headBlockers"));
        @SuppressWarnings("unchecked")
        Map<String, Object> head = ((List<Map<String, Object>>) blocking.evidence().get("blockingTree")).getFirst();
        assertEquals("an orphaned distributed transaction (blocker -2)", head.get("label"));
        assertEquals(List.of(83L), children(head).stream().map(c -> c.get("sessionId")).toList());
        assertTrue(blocking.recommendation().startsWith("KILL '4A7E3C1B-9D2F-4E8A-B5C6-1F0D2E3A4B5C';"), blocking.recommendation());
        assertFalse(blocking.recommendation().contains("KILL -2"), blocking.recommendation());
    }

    @Test
    void aParallelQueryWhoseWorkersWaitForALockIsBlocked() {
        Report report = run(SqlServerScenario.blockedParallelQuery(SqlServerScenario.healthy()), SqlServerScenario.PASSWORD,
                SqlServerScenario.DATABASE);

        assertEquals(List.of(), responder.unexpected());
        Finding blocking = Reports.require(report, "MSSQL_BLOCKING");
        assertEquals("1 session is blocked behind session 52", blocking.title(), "the request itself shows only CXCONSUMER");
        assertEquals(List.of(52L), blocking.evidence().get("headBlockers"));
        assertTrue(blocking.detail().startsWith("The longest wait is 1 min 35 s."), blocking.detail());
        List<String> sent = responder.sqlTexts().stream().map(TdsScenario::normalize).toList();
        assertFalse(sent.contains(TdsScenario.normalize(BlockingCheck.ORPHANED_UOW_SQL)), "sys.dm_tran_locks only when -2 blocks");
    }

    @Test
    void onADisconnectedSecondaryTheConnectionCheckNamesThePrimaryAndTheUnhealthyReplica() {
        Report report = run(SqlServerScenario.disconnectedSecondary(SqlServerScenario.healthy()), SqlServerScenario.PASSWORD,
                SqlServerScenario.DATABASE);

        Reports.assertNoUnknown(report);
        assertEquals(List.of(), responder.unexpected());
        Finding secondary = Reports.require(report, "MSSQL_AG_SECONDARY");
        assertEquals(Severity.INFO, secondary.severity());
        assertEquals("Connected to a secondary replica of availability group AG_SHOP; the primary is SQLPROD01", secondary.title());
        Finding unhealthy = Reports.require(report, "MSSQL_AG_NOT_HEALTHY");
        assertEquals(Severity.CRITICAL, unhealthy.severity());
        assertEquals("Availability group AG_SHOP: " + SqlServerScenario.SECONDARY + " NOT_HEALTHY (DISCONNECTED)", unhealthy.title());
        assertEquals("SECONDARY", Reports.check(report, "connection").metrics().get("ag_role"));
        assertEquals(Severity.CRITICAL, Reports.check(report, "connection").status());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> children(Map<String, Object> node) {
        return (List<Map<String, Object>>) node.get("blocked");
    }

    private static int indexOf(List<String> batches, String text) {
        for (int i = 0; i < batches.size(); i++) {
            if (batches.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }
}
