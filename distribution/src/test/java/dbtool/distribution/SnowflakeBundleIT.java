package dbtool.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dbtool.plugin.snowflake.checks.Scenario;
import dbtool.testkit.DbtoolBundle;
import dbtool.testkit.ProcessResult;
import dbtool.testkit.snowflake.SnowflakeResponder;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built bundle against the Snowflake responder on loopback: the launcher, the jlink runtime,
 * the plugin layer with the Snowflake driver as the automatic module snowflake.jdbc, and the
 * driver's login and statements over HTTP, all together.
 */
class SnowflakeBundleIT {

    @TempDir
    Path home;

    SnowflakeResponder responder;

    @BeforeEach
    void start() {
        responder = Scenario.healthy();
        Scenario.blockedTransactions(responder);
    }

    @AfterEach
    void stop() {
        responder.assertOnlyExpectedTraffic();
        responder.close();
    }

    private String url(String password) {
        return responder.url(Scenario.USER + ":" + password, "DIAG", "warehouse=DIAG_WH&role=MONITOR_RO");
    }

    @Test
    void aBlockedTransactionAsJsonThroughThePluginLayer() {
        ProcessResult result = DbtoolBundle.locate(home).run("troubleshoot", url(Scenario.PASSWORD), "--format", "json");

        assertEquals(2, result.exitCode(), result.describe());
        assertTrue(result.stderr().isBlank(), "the driver logs nothing to stderr: " + result.stderr());
        JsonObject report = JsonParser.parseString(result.stdout()).getAsJsonObject();
        assertEquals("snowflake", report.getAsJsonObject("target").get("engine").getAsString());
        JsonObject blocked = finding(report, "SF_BLOCKED_TRANSACTIONS");
        assertEquals(Scenario.HEAD_TXN, blocked.getAsJsonObject("evidence").getAsJsonArray("headBlockers").get(0).getAsLong());
        assertEquals("docs/playbooks/sf-blocked-transactions.md", blocked.get("playbook").getAsString());
        JsonObject connected = finding(report, "SF_CONNECTED").getAsJsonObject("evidence");
        assertTrue(connected.get("clientVersion").getAsString().startsWith("Snowflake JDBC 4.4"), connected.toString());
        for (JsonElement check : report.getAsJsonArray("checks")) {
            assertTrue(check.getAsJsonObject().get("error").isJsonNull(), "every check ran: " + check);
        }
        assertFalse(result.stdout().contains(Scenario.PASSWORD));
        assertEquals(1, responder.logins().size());
    }

    @Test
    void theTextReportDrawsTheBlockingTree() {
        ProcessResult result = DbtoolBundle.locate(home).run("troubleshoot", url(Scenario.PASSWORD), "--check", "locks");

        assertEquals(2, result.exitCode(), result.describe());
        // "25 min", or "25 min 1 s" when the run starts a second after the scenario was staged
        assertTrue(Pattern.compile("txn " + Scenario.HEAD_TXN + " running, open 25 min( \\d+ s)?, holds DIAG\\.PUBLIC\\.ORDERS")
                .matcher(result.stdout()).find(), result.stdout());
        assertTrue(result.stdout().contains("└─ txn ") || result.stdout().contains("`- txn "), "waiters are drawn as a tree: " + result.stdout());
        assertTrue(result.stdout().contains("SELECT SYSTEM$ABORT_TRANSACTION(" + Scenario.HEAD_TXN + ");"), result.stdout());
    }

    @Test
    void aWrongPasswordIsOneFindingAndNeverPrinted() {
        String wrong = "N0t-The-Passw0rd";
        ProcessResult result = DbtoolBundle.locate(home).run("troubleshoot", url(wrong), "--check", "connectivity");

        assertEquals(2, result.exitCode(), result.describe());
        assertTrue(result.stdout().contains("SF_AUTH_FAILED"), result.stdout());
        assertFalse(result.stdout().contains(wrong) || result.stderr().contains(wrong), "the password leaked");
        assertTrue(result.stderr().isBlank(), result.stderr());
    }

    private static JsonObject finding(JsonObject report, String code) {
        for (JsonElement check : report.getAsJsonArray("checks")) {
            JsonArray findings = check.getAsJsonObject().getAsJsonArray("findings");
            for (JsonElement finding : findings) {
                if (code.equals(finding.getAsJsonObject().get("code").getAsString())) {
                    return finding.getAsJsonObject();
                }
            }
        }
        throw new AssertionError("no " + code + " in " + report);
    }
}
