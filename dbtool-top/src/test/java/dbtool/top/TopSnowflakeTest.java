package dbtool.top;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dbtool.plugin.snowflake.SnowflakePlugin;
import dbtool.plugin.snowflake.activity.ActivityScenario;
import dbtool.testkit.snowflake.SnowflakeResponder;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dbtool top --once --format json} on Snowflake: the real plugin on the real Snowflake JDBC
 * driver, logged in to the testkit's responder on loopback, whose answers come from the state of
 * {@link ActivityScenario}'s account (an open transaction holding ORDERS, an UPDATE blocked behind
 * it, a report scanning at 50 MiB/s, a query queued on the warehouse).
 */
class TopSnowflakeTest {

    @TempDir
    Path home;

    private SnowflakeResponder responder;

    @AfterEach
    void stop() {
        if (responder != null) {
            responder.close();
        }
    }

    @Test
    void onceAsJsonShowsTheLockTreeTheWarehouseLoadBytesScannedPerSecondAndTheCancelStatement() {
        ActivityScenario account = ActivityScenario.start();
        responder = account.responder();
        String url = responder.url(ActivityScenario.USER + ":" + ActivityScenario.PASSWORD, "DIAG", "");

        TopRun run = TopRun.run(TopRun.plugin(home, "snowflake", "dbtool.plugin.snowflake", new SnowflakePlugin()), home, false, null,
                url, "--once", "--format", "json", "--interval", "1");

        assertEquals(0, run.exitCode(), run.toString());
        responder.assertOnlyExpectedTraffic();
        assertTrue(responder.queries().stream().noneMatch(q -> q.sql().contains("SYSTEM$")), "shown, never sent: " + responder.queries());
        assertTrue(responder.logins().stream().allMatch(login -> "dbtool".equals(login.sessionParameters().get("QUERY_TAG"))),
                "the view's statements are tagged, so that its own queries never show in it");
        assertFalse(run.out().contains(ActivityScenario.PASSWORD) || run.err().contains(ActivityScenario.PASSWORD), "no secret printed");

        JsonObject json = JsonParser.parseString(run.out()).getAsJsonObject();
        assertEquals("snowflake", json.getAsJsonObject("target").get("engine").getAsString());
        assertEquals(4, json.get("statements").getAsInt(), "what one refresh costs the account");
        JsonObject load = json.getAsJsonObject("load");
        assertEquals("1", load.get("running").getAsString());
        assertEquals("1", load.get("queued").getAsString());
        assertEquals("1", load.get("blocked").getAsString());
        assertEquals("ETL_WH 1 running, 1 queued (1 suspended)", load.get("warehouses").getAsString());

        JsonArray sessions = json.getAsJsonArray("sessions");
        JsonObject head = sessions.get(0).getAsJsonObject();
        assertEquals("txn " + ActivityScenario.HEAD_TXN, head.get("id").getAsString());
        assertEquals("idle in transaction", head.get("state").getAsString());
        assertEquals("SELECT SYSTEM$ABORT_TRANSACTION(" + ActivityScenario.HEAD_TXN + ")", head.get("terminate").getAsString());
        JsonObject blocked = sessions.get(1).getAsJsonObject();
        assertEquals(ActivityScenario.BLOCKED, blocked.get("id").getAsString());
        assertEquals(1, blocked.get("depth").getAsInt());
        assertEquals(head.get("id").getAsString(), blocked.getAsJsonArray("blockedBy").get(0).getAsString());
        assertEquals("SELECT SYSTEM$CANCEL_QUERY('" + ActivityScenario.BLOCKED + "')", blocked.get("cancel").getAsString());
        assertEquals("ETL_WH (Medium)", blocked.getAsJsonObject("details").get("warehouse").getAsString());
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", blocked.get("traceId").getAsString(), "from the query tag's traceparent");
        assertEquals("00f067aa0ba902b7", blocked.get("spanId").getAsString());
        assertEquals("nightly-load", blocked.get("service").getAsString());
        assertTrue(head.get("traceId").isJsonNull(), "a session without a trace context has null trace fields");

        JsonObject report = null;
        for (JsonElement session : sessions) {
            if (session.getAsJsonObject().get("id").getAsString().equals(ActivityScenario.REPORT)) {
                report = session.getAsJsonObject();
            }
        }
        assertTrue(report != null, run.out());
        double bytesPerSecond = report.get("ioPerSecond").getAsDouble();
        double expected = ActivityScenario.REPORT_BYTES_PER_SECOND;
        assertTrue(bytesPerSecond > expected * 0.8 && bytesPerSecond < expected * 1.2,
                "bytes scanned per second between the two snapshots, not the total: " + bytesPerSecond);
        assertTrue(report.get("cpuMsPerSecond").isJsonNull(), "Snowflake reports no CPU per query");
        assertNull(json.getAsJsonObject("ratesPerSecond").get("commits"));
    }
}
