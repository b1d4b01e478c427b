package dbtool.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dbtool alert} against a real PostgreSQL with a blocking chain staged on it: the alert's
 * focused troubleshoot names the head blocker, as the on-call engineer needs it.
 */
class AlertCommandTest {

    static StagedBlockingChain chain;
    static int headPid;

    @TempDir
    static Path home;

    @BeforeAll
    static void stageBlockingChain() throws Exception {
        chain = StagedBlockingChain.start(3, home, null);
        headPid = chain.headPid();
    }

    @AfterAll
    static void stop() {
        if (chain != null) {
            chain.close();
        }
    }

    @Test
    void aSimulatedDeadlockAlertRunsTheLockChecksAndNamesTheHeadBlocker() {
        ServeRun run = ServeRun.run(home, "alert", "--simulate", "PostgresqlDeadLocks", "orders", "--format", "json");
        assertEquals(2, run.exitCode(), run.toString());
        JsonObject incident = run.json().getAsJsonArray("incidents").get(0).getAsJsonObject();
        assertEquals("diagnosed", incident.get("state").getAsString());
        assertEquals("orders", incident.get("target").getAsString());
        JsonObject report = incident.getAsJsonObject("report");
        assertEquals(1, report.get("schemaVersion").getAsInt(), "the report contract, unchanged");
        List<String> ran = new ArrayList<>();
        report.getAsJsonArray("checks").forEach(c -> ran.add(c.getAsJsonObject().get("category").getAsString()));
        assertTrue(ran.stream().allMatch(c -> c.equals("locks") || c.equals("queries")), "a focused troubleshoot: " + ran);
        assertTrue(ServeRun.headBlockers(report).contains(headPid), "head blocker " + headPid + " in " + report);
    }

    @Test
    void aSavedAlertmanagerPayloadIsDiagnosedAndItsResolvedAlertListed() throws Exception {
        Path payload = home.resolve("payload.json");
        Files.writeString(payload, """
                {"version": "4", "status": "firing", "receiver": "dbtool", "groupLabels": {}, "commonLabels": {},
                 "commonAnnotations": {}, "externalURL": "http://am:9093", "truncatedAlerts": 0,
                 "alerts": [
                   {"status": "firing", "labels": {"alertname": "PostgresqlTooManyConnections", "server": "127.0.0.1:%d"},
                    "annotations": {}, "startsAt": "2026-12-07T09:00:00Z", "endsAt": "0001-01-01T00:00:00Z",
                    "generatorURL": "", "fingerprint": "aa11"},
                   {"status": "firing", "labels": {"alertname": "PostgresqlTooManyConnections", "server": "127.0.0.1:%d"},
                    "annotations": {}, "startsAt": "2026-12-07T09:00:00Z", "endsAt": "0001-01-01T00:00:00Z",
                    "generatorURL": "", "fingerprint": "aa11"},
                   {"status": "resolved", "labels": {"alertname": "PostgresqlDown", "server": "127.0.0.1:%d"},
                    "annotations": {}, "startsAt": "2026-12-07T08:00:00Z", "endsAt": "2026-12-07T08:05:00Z",
                    "generatorURL": "", "fingerprint": "bb22"}
                 ]}""".formatted(chain.port(), chain.port(), chain.port()));
        ServeRun run = ServeRun.run(home, "alert", payload.toString());
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.out().contains("alert PostgresqlTooManyConnections (firing, fingerprint aa11)"), run.out());
        assertTrue(run.out().contains("target orders (label server), checks: connectivity, connection-headroom, connections"), run.out());
        assertTrue(run.out().contains(String.valueOf(headPid)), "the blocking check names the head blocker:\n" + run.out());
        assertEquals(1, run.out().split("alert PostgresqlTooManyConnections", -1).length - 1, "the repeated alert is diagnosed once");
        assertTrue(run.out().contains("alert PostgresqlDown (resolved, fingerprint bb22)\n  resolved: recorded, not troubleshot"), run.out());
    }

    @Test
    void anAlertWithoutATargetIsUnknownAndSaysWhy() {
        InputStream stdin = System.in;
        ServeRun run;
        try {
            System.setIn(new ByteArrayInputStream("{\"version\": \"4\", \"status\": \"firing\", \"alerts\": [{\"status\": \"firing\", \"labels\": {\"alertname\": \"PostgresqlDown\", \"instance\": \"elsewhere:9187\"}}]}".getBytes(StandardCharsets.UTF_8)));
            run = ServeRun.run(home, "alert", "-", "--format", "json");
        } finally {
            System.setIn(stdin);
        }
        assertEquals(3, run.exitCode(), run.toString());
        JsonObject incident = run.json().getAsJsonArray("incidents").get(0).getAsJsonObject();
        assertEquals("unrouted", incident.get("state").getAsString());
        assertEquals("UNKNOWN", incident.get("status").getAsString());
        assertTrue(incident.get("error").getAsString().startsWith("no rule matched"), incident.toString());

        ServeRun unknown = ServeRun.run(home, "alert", "--simulate", "PostgresqlDown", "nowhere");
        assertEquals(3, unknown.exitCode(), unknown.toString());
        assertTrue(unknown.out().contains("no target: label dbtool_target=nowhere names no configured target"), unknown.out());
    }

    @Test
    void badPayloadsAndConfigurationAreOneLineWithTheirExitCodes() throws Exception {
        Path payload = home.resolve("v7.json");
        Files.writeString(payload, "{\"version\": \"7\", \"status\": \"firing\", \"alerts\": []}");
        ServeRun run = ServeRun.run(home, "alert", payload.toString());
        assertEquals(64, run.exitCode(), run.toString());
        assertEquals("dbtool: " + payload + ": version: expected \"4\" (Alertmanager) or \"1\" (Grafana), got \"7\"\n", run.err());

        ServeRun missing = ServeRun.run(home, "alert", home.resolve("nope.json").toString());
        assertEquals(66, missing.exitCode(), missing.toString());

        Path other = home.resolve("bad-config");
        Files.createDirectories(other);
        Files.writeString(other.resolve("config.json"), "{\"alerts\": {\"window\": 5}}");
        ServeRun config = ServeRun.run(other, "alert", "--simulate", "X", "orders");
        assertEquals(78, config.exitCode(), config.toString());
        assertEquals("dbtool: " + other.resolve("config.json") + ":1:21: alerts.window: unknown field; expected one of dedupWindow, rules, timeout\n",
                config.err());
    }

    @Test
    void controlCharactersInAnAlertNeverReachTheTerminal() throws Exception {
        Path payload = home.resolve("escape.json");
        Files.writeString(payload, """
                {"version": "4", "status": "firing", "alerts": [
                  {"status": "firing", "labels": {"alertname": "Evil\\u001b[2JName", "dbtool_target": "nowhere\\u001b]0;pwned\\u0007"}}]}""");
        ServeRun run = ServeRun.run(home, "alert", payload.toString());
        assertEquals(3, run.exitCode(), run.toString());
        assertFalse(run.out().contains("\u001b"), run.out());
        assertFalse(run.out().contains("\u0007"), run.out());
        assertTrue(run.out().contains("alert Evil\\e[2JName"), run.out());
    }
}
