package dbtool.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dbtool.serve.http.HttpService;
import dbtool.serve.http.ServerAuth;
import dbtool.serve.schedule.MemoryServeState;
import dbtool.serve.schedule.Sample;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** /health, /ready and the report API as an uptime probe, an orchestrator and a script call them. */
class StatusEndpointsTest {

    private final MemoryServeState state = new MemoryServeState();
    private List<String> served = List.of("orders", "billing");
    private HttpService http;

    @BeforeEach
    void start() throws Exception {
        http = new HttpService(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null, ServerAuth.none(), line -> { }, line -> { });
        http.add(new StatusEndpoints(state, () -> served).routes());
        http.start();
    }

    @AfterEach
    void stop() {
        http.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.address().getPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthIs503WhileATargetIsCriticalAndNamesTheWorstFinding() throws Exception {
        state.record(Sample.of("orders", Reports.blocked("orders"), Instant.now()));
        state.record(Sample.of("billing", Reports.healthy("billing"), Instant.now()));
        HttpResponse<String> health = get("/health");
        assertEquals(503, health.statusCode());
        JsonObject body = JsonParser.parseString(health.body()).getAsJsonObject();
        assertEquals("CRITICAL", body.get("status").getAsString());
        JsonObject orders = body.getAsJsonArray("targets").get(0).getAsJsonObject();
        assertEquals("orders", orders.get("name").getAsString());
        assertEquals("PG_BLOCKING_CHAIN", orders.getAsJsonObject("worstFinding").get("code").getAsString());

        state.record(Sample.of("orders", Reports.healthy("orders"), Instant.now()));
        assertEquals(200, get("/health").statusCode());
    }

    @Test
    void readyOnlyOnceEveryTargetRanOnce() throws Exception {
        state.record(Sample.of("orders", Reports.healthy("orders"), Instant.now()));
        HttpResponse<String> waiting = get("/ready");
        assertEquals(503, waiting.statusCode());
        assertTrue(waiting.body().contains("\"sampled\":1"), waiting.body());
        assertEquals(200, get("/health").statusCode(), "a target not run yet is PENDING, not a failure");
        state.record(Sample.failed("billing", "unknown target", Instant.now()));
        assertEquals(200, get("/ready").statusCode());
    }

    @Test
    void theLastReportIsTheTroubleshootJsonAndUnknownTargetsAre404() throws Exception {
        state.record(Sample.of("orders", Reports.blocked("orders"), Instant.now()));
        HttpResponse<String> report = get("/api/v1/targets/orders/report");
        assertEquals(200, report.statusCode());
        JsonObject json = JsonParser.parseString(report.body()).getAsJsonObject();
        assertEquals(1, json.get("schemaVersion").getAsInt());
        assertEquals("CRITICAL", json.get("status").getAsString());
        assertEquals(404, get("/api/v1/targets/nope/report").statusCode());
        HttpResponse<String> notYet = get("/api/v1/targets/billing/report");
        assertEquals(503, notYet.statusCode());
        assertTrue(notYet.body().contains("not run yet"), notYet.body());
    }

    @Test
    void aReportRestoredFromTheStoreIsServedMarkedButDoesNotMakeTheServerReady() throws Exception {
        Instant before = Instant.parse("2026-12-07T09:00:00Z");
        state.record(Sample.restored("orders", Reports.blocked("orders"), before));
        state.record(Sample.of("billing", Reports.healthy("billing"), Instant.now()));
        HttpResponse<String> health = get("/health");
        assertEquals(503, health.statusCode(), "what the store kept counts until the first run replaces it");
        JsonObject orders = JsonParser.parseString(health.body()).getAsJsonObject().getAsJsonArray("targets").get(0).getAsJsonObject();
        assertTrue(orders.get("restored").getAsBoolean());
        assertEquals(before.toString(), orders.get("lastRun").getAsString());
        assertEquals(200, get("/api/v1/targets/orders/report").statusCode());
        assertEquals(503, get("/ready").statusCode(), "/metrics has nothing for orders yet");

        state.record(Sample.of("orders", Reports.healthy("orders"), Instant.now()));
        assertEquals(200, get("/ready").statusCode());
        assertFalse(get("/health").body().contains("restored"), "the first run replaces what was restored");
    }
}
