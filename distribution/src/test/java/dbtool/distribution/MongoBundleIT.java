package dbtool.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dbtool.testkit.DbtoolBundle;
import dbtool.testkit.ProcessResult;
import dbtool.testkit.mongo.FakeMongod;
import dbtool.testkit.mongo.MongoScenario;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built bundle against a MongoDB wire-protocol server: the plugin and the driver's automatic
 * modules in their own layer, on the jlink runtime, through the launcher.
 */
class MongoBundleIT {

    static FakeMongod server;

    @TempDir
    Path home;

    @BeforeAll
    static void start() {
        server = FakeMongod.start(MongoScenario.lockWait());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void lockWaitReportNamesTheHolderAndTheWaiters() {
        ProcessResult result = DbtoolBundle.locate(home).run("troubleshoot", server.url(), "--check", "locks");

        assertEquals(2, result.exitCode(), result.describe());
        assertTrue(result.stdout().contains("MONGO_LOCK_WAITS: 3 operations wait for a lock held by opid 4711"), result.stdout());
        assertTrue(result.stdout().contains("opid 4711 holding Collection W on shop.orders"), result.stdout());
        assertTrue(result.stdout().contains("─ opid 4725 waiting for Collection w on shop.orders") || result.stdout().contains("- opid 4725 waiting"),
                result.stdout());
        assertTrue(result.stdout().contains("Do: db.killOp(4711)"), result.stdout());
        assertTrue(result.stderr().isBlank(), "the driver logs nothing to stderr: " + result.stderr());
    }

    @Test
    void jsonReportFollowsTheContract() {
        ProcessResult result = DbtoolBundle.locate(home).run("troubleshoot", server.url(), "--format", "json");

        assertEquals(2, result.exitCode(), result.describe());
        JsonObject report = JsonParser.parseString(result.stdout()).getAsJsonObject();
        assertEquals("mongodb", report.getAsJsonObject("target").get("engine").getAsString());
        JsonObject waits = null;
        for (JsonElement check : report.getAsJsonArray("checks")) {
            assertTrue(check.getAsJsonObject().get("error").isJsonNull(), "check failed: " + check);
            for (JsonElement finding : check.getAsJsonObject().getAsJsonArray("findings")) {
                if (finding.getAsJsonObject().get("code").getAsString().equals("MONGO_LOCK_WAITS")) {
                    waits = finding.getAsJsonObject();
                }
            }
        }
        assertTrue(waits != null, result.stdout());
        assertEquals(4711, waits.getAsJsonObject("evidence").getAsJsonArray("headBlockers").get(0).getAsInt());
        assertEquals("docs/playbooks/mongo-locks.md#mongo_lock_waits", waits.get("playbook").getAsString());
    }

    @Test
    void rejectedLoginNeverShowsThePassword() {
        try (FakeMongod refusing = FakeMongod.start(MongoScenario.healthyStandalone().refuseLogins())) {
            String url = "mongodb://monitor:Sup3r-Secret-Pw@127.0.0.1:" + refusing.port() + "/admin";
            ProcessResult result = DbtoolBundle.locate(home).run("troubleshoot", url, "--check", "connectivity");

            assertEquals(2, result.exitCode(), result.describe());
            assertTrue(result.stdout().contains("MONGO_AUTH_FAILED"), result.stdout());
            assertFalse((result.stdout() + result.stderr()).contains("Sup3r-Secret-Pw"), result.describe());
        }
    }
}
