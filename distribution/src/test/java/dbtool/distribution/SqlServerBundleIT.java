package dbtool.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dbtool.plugin.mssql.checks.SqlServerScenario;
import dbtool.testkit.DbtoolBundle;
import dbtool.testkit.ProcessResult;
import dbtool.testkit.tds.TdsResponder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built bundle against the TDS responder on loopback: the launcher, the jlink runtime, the
 * plugin layer with jTDS as the automatic module jtds, and its login and SQL batches, all together,
 * for the canned blocking incident (52 sleeps with an open transaction; 61 and 64 wait for it, 70
 * waits for 61).
 */
class SqlServerBundleIT {

    @TempDir
    Path home;

    TdsResponder responder;

    @BeforeEach
    void start() {
        responder = TdsResponder.start(SqlServerScenario.blocking(SqlServerScenario.healthy()));
    }

    @AfterEach
    void stop() {
        responder.close();
        assertEquals(List.of(), responder.unexpected(), "every statement the bundle's plugin sent had a canned answer (no error 208)");
    }

    private String url() {
        return SqlServerScenario.url(responder, SqlServerScenario.PASSWORD, SqlServerScenario.DATABASE);
    }

    @Test
    void theJsonReportNamesTheHeadBlockerAndItsBlockedSessions() {
        ProcessResult result = DbtoolBundle.locate(home).run("troubleshoot", url(), "--format", "json");

        assertEquals(2, result.exitCode(), result.describe());
        assertTrue(result.stderr().isBlank(), "nothing on stderr: " + result.stderr());
        JsonObject report = JsonParser.parseString(result.stdout()).getAsJsonObject();
        assertEquals("CRITICAL", report.get("status").getAsString());
        assertEquals("sqlserver", report.getAsJsonObject("target").get("engine").getAsString());
        JsonObject evidence = finding(report, "MSSQL_BLOCKING").getAsJsonObject("evidence");
        assertEquals(List.of(SqlServerScenario.HEAD_BLOCKER), longs(evidence.getAsJsonArray("headBlockers")));
        JsonObject head = evidence.getAsJsonArray("blockingTree").get(0).getAsJsonObject();
        assertEquals(52, head.get("sessionId").getAsLong());
        JsonArray blocked = head.getAsJsonArray("blocked");
        assertEquals(List.of(61L, 64L), blocked.asList().stream().map(n -> n.getAsJsonObject().get("sessionId").getAsLong()).toList());
        assertEquals(70, blocked.get(0).getAsJsonObject().getAsJsonArray("blocked").get(0).getAsJsonObject().get("sessionId").getAsLong());
        assertTrue(finding(report, "MSSQL_CONNECTED").get("title").getAsString().startsWith("SQL Server 2019 (" + SqlServerScenario.VERSION));
        JsonObject lockWaits = finding(report, "MSSQL_LOCK_WAITS").getAsJsonObject("evidence");
        assertEquals(List.of(SqlServerScenario.HEAD_BLOCKER), longs(lockWaits.getAsJsonArray("headBlockers")));
        assertEquals(List.of(61L, 64L, 70L), lockWaits.getAsJsonArray("lockWaits").asList().stream()
                .map(w -> w.getAsJsonObject().get("sessionId").getAsLong()).toList());
        List<String> ids = report.getAsJsonArray("checks").asList().stream().map(c -> c.getAsJsonObject().get("id").getAsString()).toList();
        assertEquals(SqlServerScenario.CHECK_IDS, ids, "every check ran");
        for (JsonElement check : report.getAsJsonArray("checks")) {
            assertTrue(check.getAsJsonObject().get("error").isJsonNull(), "every check ran: " + check);
        }
        assertNoPassword(result);
        assertEquals(1, responder.logins().size(), "one connection per target");
        assertEquals("dbtool", responder.logins().getFirst().appName());
    }

    @Test
    void theTextReportDrawsTheBlockingTree() {
        ProcessResult result = DbtoolBundle.locate(home).run("troubleshoot", url(), "--check", "locks");

        assertEquals(2, result.exitCode(), result.describe());
        String out = result.stdout();
        assertTrue(out.contains("MSSQL_BLOCKING: 3 sessions are blocked behind session 52"), out);
        assertTrue(out.contains("session 52 sleeping, 1 open transaction(s), app_user@APP01 (OrderService)"), out);
        for (long waiter : List.of(61L, 64L, 70L)) {
            assertTrue(out.contains("─ session " + waiter + " suspended") || out.contains("- session " + waiter + " suspended"),
                    "session " + waiter + " is drawn under its blocker: " + out);
        }
        assertTrue(out.contains("KILL 52;"), out);
        assertNoPassword(result);
    }

    @Test
    void aWrongPasswordIsOneLineAndNeverPrinted() {
        String wrong = "N0t-The-Passw0rd";
        ProcessResult result = DbtoolBundle.locate(home).run("troubleshoot",
                SqlServerScenario.url(responder, wrong, SqlServerScenario.DATABASE), "--check", "connectivity");

        assertEquals(2, result.exitCode(), result.describe());
        assertTrue(result.stdout().contains("MSSQL_LOGIN_FAILED"), result.stdout());
        assertTrue(result.stdout().contains("Login failed for user '" + SqlServerScenario.USER + "'. (error 18456)"), result.stdout());
        assertFalse(result.stdout().contains(wrong) || result.stderr().contains(wrong), "the password leaked");
        assertTrue(result.stderr().isBlank(), result.stderr());
    }

    @Test
    void aBrowserPortThatIsNoPortIsOneConfigurationErrorLine() {
        ProcessResult result = DbtoolBundle.locate(home).run("troubleshoot", "sqlserver://" + SqlServerScenario.USER + ":"
                + SqlServerScenario.PASSWORD + "@127.0.0.1/" + SqlServerScenario.DATABASE + "?instance=SALES&browserPort=14x4");

        assertEquals(78, result.exitCode(), result.describe());
        List<String> lines = result.stderr().lines().toList();
        assertEquals(1, lines.size(), result.stderr());
        assertTrue(lines.getFirst().startsWith("dbtool: target 'sqlserver://") && lines.getFirst()
                .endsWith("': options.browserPort: expected a UDP port number (1-65535), got '14x4'"), lines.getFirst());
        assertTrue(result.stdout().isBlank(), result.stdout());
        assertNoPassword(result);
        assertEquals(List.of(), responder.logins(), "nothing was tried");
    }

    private static void assertNoPassword(ProcessResult result) {
        assertFalse(result.stdout().contains(SqlServerScenario.PASSWORD), "the password is in stdout");
        assertFalse(result.stderr().contains(SqlServerScenario.PASSWORD), "the password is in stderr");
    }

    private static List<Long> longs(JsonArray array) {
        return array.asList().stream().map(JsonElement::getAsLong).toList();
    }

    private static JsonObject finding(JsonObject report, String code) {
        for (JsonElement check : report.getAsJsonArray("checks")) {
            for (JsonElement finding : check.getAsJsonObject().getAsJsonArray("findings")) {
                if (code.equals(finding.getAsJsonObject().get("code").getAsString())) {
                    return finding.getAsJsonObject();
                }
            }
        }
        throw new AssertionError("no " + code + " in " + report);
    }
}
