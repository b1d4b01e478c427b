package dbtool.plugin.mssql.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.report.CheckReport;
import dbtool.core.report.Report;
import dbtool.core.report.Style;
import dbtool.core.report.TextReportRenderer;
import dbtool.plugin.mssql.SqlServerPlugin;
import dbtool.plugin.mssql.Troubleshoot;
import dbtool.spi.Credentials;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.testkit.tds.Login7;
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
        return Troubleshoot.run(new SqlServerPlugin(), SqlServerScenario.url(responder, password, database), Credentials.none(), Map.of(),
                Duration.ofSeconds(20));
    }

    @Test
    void aHealthyServerShowsItsLoginStagesVersionAndEdition() {
        Report report = run(SqlServerScenario.healthy(), SqlServerScenario.PASSWORD, SqlServerScenario.DATABASE);

        Troubleshoot.assertNoUnknown(report);
        assertTrue(report.status().compareTo(Severity.WARNING) < 0, Troubleshoot.describe(report));
        Finding connected = Troubleshoot.require(report, "MSSQL_CONNECTED");
        assertEquals("SQL Server " + SqlServerScenario.VERSION + " (" + SqlServerScenario.EDITION + "), up 336 h", connected.title());
        assertEquals(SqlServerScenario.VERSION, connected.evidence().get("version"));
        assertEquals(SqlServerScenario.EDITION, connected.evidence().get("edition"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> stages = (List<Map<String, Object>>) connected.evidence().get("stages");
        assertEquals(List.of("dns", "tcp", "login"), stages.stream().map(s -> s.get("stage")).toList());
        assertEquals("logged in as " + SqlServerScenario.USER, stages.get(2).get("result"));
        stages.forEach(stage -> assertTrue(((Number) stage.get("ms")).longValue() >= 0, "each stage is timed: " + stage));
        assertTrue(new TextReportRenderer(Style.PLAIN).render(report).contains("SQL Server 15.0.4345.5 (Enterprise Edition"));
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
        Finding failed = Troubleshoot.require(report, "MSSQL_LOGIN_FAILED");
        assertEquals("Cannot log in to 127.0.0.1:" + responder.port() + ": the login was rejected (error 18456)", failed.title());
        assertEquals("Login failed for user '" + SqlServerScenario.USER + "'. (error 18456)", failed.detail());
        assertFalse(failed.detail().contains("\n"));
        String everything = Troubleshoot.everything(report);
        assertFalse(everything.contains(wrong), "the password leaked into the report");
        assertFalse(everything.contains("at net.sourceforge"), "no stack trace");
        assertEquals(1, responder.logins().size(), "the failure is remembered, not retried by every check");
        assertEquals(wrong, responder.logins().getFirst().password(), "the responder really compared the password it was sent");
    }

    @Test
    void aMissingDatabaseIsError4060() {
        Report report = run(SqlServerScenario.healthy(), SqlServerScenario.PASSWORD, "archive");

        Finding failed = Troubleshoot.require(report, "MSSQL_DATABASE_UNAVAILABLE");
        assertEquals(Severity.CRITICAL, failed.severity());
        assertTrue(failed.detail().startsWith("Cannot open database \"archive\" requested by the login. The login failed."), failed.detail());
        assertTrue(failed.recommendation().contains("sys.databases"), failed.recommendation());
    }

    @Test
    void theBlockingReportNamesTheHeadBlockerAndItsTreeLikeSpWhoIsActive() {
        Report report = run(SqlServerScenario.blocking(SqlServerScenario.healthy()), SqlServerScenario.PASSWORD, SqlServerScenario.DATABASE);

        Troubleshoot.assertNoUnknown(report);
        assertEquals(Severity.CRITICAL, report.status());
        assertEquals(2, report.exitCode());
        Finding blocking = Troubleshoot.require(report, "MSSQL_BLOCKING");
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
        assertEquals(List.of(52L), Troubleshoot.require(report, "MSSQL_LONG_TRANSACTION").evidence().get("headBlockers"));
        assertEquals("ACTIVE_TRANSACTION", Troubleshoot.require(report, "MSSQL_LOG_REUSE_WAIT").evidence().get("logReuseWait"));
        assertEquals(List.of(61L, 64L, 70L), Troubleshoot.require(report, "MSSQL_LONG_REQUEST").evidence().get("sessionIds"));
        assertTrue(Troubleshoot.require(report, "MSSQL_WAITS").title().startsWith("Top wait now: LCK_M_U"));
        responder.assertOnlyExpectedTraffic();
    }

    @Test
    void aStatementTheServerDoesNotAnswerIsCancelledAndTheOtherChecksStillRun() {
        Report report = run(SqlServerScenario.slowBlockingRead(SqlServerScenario.healthy()), SqlServerScenario.PASSWORD, SqlServerScenario.DATABASE);

        CheckReport blocking = Troubleshoot.check(report, "blocking");
        assertEquals(Severity.UNKNOWN, blocking.status());
        assertNotNull(blocking.error());
        assertTrue(blocking.error().startsWith("no answer within 5 s (the statement timeout), so dbtool cancelled the query"), blocking.error());
        assertEquals(List.of(TdsScenario.normalize(BlockingCheck.SQL)), responder.cancelled(), "jTDS sent ATTENTION for the statement");
        for (String id : List.of("open-transactions", "waits", "memory", "log-reuse", "long-requests")) {
            assertEquals(null, Troubleshoot.check(report, id).error(), id + " ran on the same connection after the cancel");
        }
        assertEquals(1, responder.logins().size());
    }

    @Test
    void aLockTimeoutOnADmvIsThatChecksErrorOnly() {
        Report report = run(SqlServerScenario.lockedCounters(SqlServerScenario.healthy()), SqlServerScenario.PASSWORD, SqlServerScenario.DATABASE);

        CheckReport memory = Troubleshoot.check(report, "memory");
        assertEquals(Severity.UNKNOWN, memory.status());
        assertTrue(memory.error().contains("Lock request time out period exceeded."), memory.error());
        assertEquals(null, Troubleshoot.check(report, "log-reuse").error());
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
