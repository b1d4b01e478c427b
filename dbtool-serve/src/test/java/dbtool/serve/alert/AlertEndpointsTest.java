package dbtool.serve.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dbtool.core.Environment;
import dbtool.core.cli.CommandContext;
import dbtool.serve.ServeRun;
import dbtool.serve.StagedBlockingChain;
import dbtool.serve.http.HttpService;
import dbtool.serve.http.ServerAuth;
import dbtool.serve.http.WorkQueue;
import dbtool.serve.store.StateStore;
import dbtool.serve.store.StoreConfig;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /alerts} and {@code /api/v1/incidents} on the real HTTP server, with the embedded store
 * and a real PostgreSQL whose blocking chain the alert is about.
 */
class AlertEndpointsTest {

    static StagedBlockingChain chain;
    static int headPid;

    @TempDir
    static Path home;

    @TempDir
    Path data;

    final List<String> log = new CopyOnWriteArrayList<>();
    final HttpClient client = HttpClient.newHttpClient();
    CommandContext context;
    StateStore store;
    WorkQueue queue;
    HttpService http;

    @BeforeAll
    static void stageBlockingChain() throws Exception {
        chain = StagedBlockingChain.start(2, home, "{\"dedupWindow\": 600, \"timeout\": 5}");
        headPid = chain.headPid();
    }

    @AfterAll
    static void stop() {
        if (chain != null) {
            chain.close();
        }
    }

    @BeforeEach
    void start() throws Exception {
        context = ServeRun.context(home, new ByteArrayOutputStream(), new ByteArrayOutputStream());
        // A store of its own for each test: the incident lists below are this test's only.
        Environment fresh = new Environment(Map.of("XDG_DATA_HOME", data.toString()), home, "Linux", null);
        store = StoreConfig.of(context.config(), fresh).open(fresh, context.plugins(), Clock.systemUTC());
        queue = new WorkQueue("test-alert", 1, 1);
        AlertEndpoints endpoints = new AlertEndpoints(context, context::config, store, queue, Clock.systemUTC(), log::add);
        http = new HttpService(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null, ServerAuth.of("tok", null), line -> { }, log::add);
        http.add(endpoints.routes());
        http.start();
    }

    @AfterEach
    void close() {
        http.close();
        queue.close();
        store.close();
    }

    HttpResponse<String> post(String body) throws Exception {
        return client.send(HttpRequest.newBuilder(uri("/alerts")).header("Authorization", "Bearer tok")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer tok").build(), HttpResponse.BodyHandlers.ofString());
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + http.address().getPort() + path);
    }

    static String payload(String status, String fingerprint, String extraLabel) {
        return """
                {"version": "4", "status": "%s", "receiver": "dbtool", "groupLabels": {}, "commonLabels": {}, "commonAnnotations": {},
                 "externalURL": "http://am", "truncatedAlerts": 0, "alerts": [
                  {"status": "%s", "labels": {"alertname": "PostgresqlDeadLocks", "dbtool_target": "orders"%s},
                   "annotations": {"summary": "deadlocks", "description": "pool at postgresql://app:hunter3@db1/orders"}, "startsAt": "2026-12-07T09:00:00Z", "endsAt": "0001-01-01T00:00:00Z",
                   "generatorURL": "http://prom/graph", "fingerprint": "%s"}]}""".formatted(status, status, extraLabel, fingerprint);
    }

    /** Waits for the newest incidents until {@code count} exist (the diagnosis runs in the background). */
    JsonArray incidents(int count) throws Exception {
        long end = System.nanoTime() + 20_000_000_000L;
        while (true) {
            JsonArray list = JsonParser.parseString(get("/api/v1/incidents").body()).getAsJsonObject().getAsJsonArray("incidents");
            if (list.size() >= count || System.nanoTime() > end) {
                return list;
            }
            Thread.sleep(50);
        }
    }

    @Test
    void aFiringAlertIsAcceptedAtOnceAndItsIncidentNamesTheHeadBlocker() throws Exception {
        HttpResponse<String> accepted = post(payload("firing", "fp-head", ", \"dsn\": \"postgresql://app:hunter2@db1/orders\""));
        assertEquals(202, accepted.statusCode(), accepted.body());
        assertEquals(1, JsonParser.parseString(accepted.body()).getAsJsonObject().get("queued").getAsInt());
        JsonArray list = incidents(1);
        assertEquals(1, list.size(), log.toString());
        JsonObject row = list.get(0).getAsJsonObject();
        assertEquals("diagnosed", row.get("state").getAsString());
        assertEquals("CRITICAL", row.get("status").getAsString());
        HttpResponse<String> one = get(row.get("href").getAsString());
        assertEquals(200, one.statusCode());
        JsonObject incident = JsonParser.parseString(one.body()).getAsJsonObject();
        JsonObject report = incident.getAsJsonObject("report");
        assertEquals(1, report.get("schemaVersion").getAsInt());
        assertTrue(ServeRun.headBlockers(report).contains(headPid), "head blocker " + headPid + " in " + report);
        assertFalse(one.body().contains("hunter2"), "a password in a label is not stored");
        assertFalse(one.body().contains("hunter3"), "nor one in an annotation");
        assertEquals("deadlocks", incident.getAsJsonObject("alert").getAsJsonObject("annotations").get("summary").getAsString(),
                "annotations are kept for triage");
        assertTrue(log.stream().anyMatch(l -> l.startsWith("alert PostgresqlDeadLocks (fp-head): diagnosed CRITICAL on orders")), log.toString());

        HttpResponse<String> repeat = post(payload("firing", "fp-head", ""));
        assertEquals(202, repeat.statusCode());
        assertEquals(1, JsonParser.parseString(repeat.body()).getAsJsonObject().get("deduplicated").getAsInt(), repeat.body());
        Thread.sleep(300);
        assertEquals(1, incidents(1).size(), "a repeat within the window is not diagnosed again");
    }

    @Test
    void aResolvedAlertIsRecordedAndFreesItsFingerprint() throws Exception {
        assertEquals(202, post(payload("firing", "fp-res", "")).statusCode());
        incidents(1);
        assertEquals(202, post(payload("resolved", "fp-res", "")).statusCode());
        JsonArray list = incidents(2);
        assertEquals("resolved", list.get(0).getAsJsonObject().get("state").getAsString());
        assertEquals(202, post(payload("firing", "fp-res", "")).statusCode());
        assertEquals(3, incidents(3).size(), "fired again after resolving: diagnosed again");
    }

    @Test
    void pastTheQueuesBoundTheWebhookIs429AndTheRetryIsDiagnosed() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Runnable hold = () -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        queue.submit(hold); // the one worker
        queue.submit(hold); // the one waiting place
        HttpResponse<String> refused = post(payload("firing", "fp-busy", ""));
        assertEquals(429, refused.statusCode(), refused.body());
        assertTrue(refused.body().startsWith("{\"error\":\"busy: "), refused.body());
        release.countDown();
        Thread.sleep(100);
        HttpResponse<String> retry = post(payload("firing", "fp-busy", ""));
        assertEquals(202, retry.statusCode(), retry.body());
        assertEquals(1, JsonParser.parseString(retry.body()).getAsJsonObject().get("queued").getAsInt(), "the refused claim was given back");
    }

    @Test
    void badPayloadsAre400WithOneLineNamingTheField() throws Exception {
        HttpResponse<String> version = post("{\"version\": \"3\", \"status\": \"firing\", \"alerts\": []}");
        assertEquals(400, version.statusCode());
        assertEquals("{\"error\":\"version: expected \\\"4\\\" (Alertmanager) or \\\"1\\\" (Grafana), got \\\"3\\\"\"}\n", version.body());
        HttpResponse<String> label = post("{\"version\": \"1\", \"status\": \"firing\", \"orgId\": 1, \"alerts\": [{\"status\": \"firing\", \"labels\": {\"alertname\": 5}}]}");
        assertEquals(400, label.statusCode());
        assertTrue(label.body().contains("alerts[0].labels.alertname: expected a string, got a number"), label.body());
        assertEquals(404, get("/api/v1/incidents/nope").statusCode());
        assertEquals(400, get("/api/v1/incidents?limit=0").statusCode());
        assertEquals(401, client.send(HttpRequest.newBuilder(uri("/alerts")).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
    }
}
