package dbtool.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dbtool.core.cli.CommandContext;
import dbtool.plugin.postgres.demo.Incident;
import dbtool.plugin.postgres.demo.LocalCluster;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.cli.DefaultParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restarted {@code dbtool serve} (same data directory, so the same embedded state store) answers
 * /health and the report API from what it last saw while its first run is still going, and
 * /metrics does not pass that off as measured now.
 */
class ServeRestartTest {

    @TempDir
    Path home;

    @Test
    void aRestartedServeAnswersFromTheLastReportUntilItsFirstRunEnds() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (LocalCluster cluster = LocalCluster.start(LocalCluster.Settings.defaults());
             Incident incident = new Incident(cluster, "postgres")) {
            incident.blockingChain("accounts", 2);
            Files.writeString(home.resolve("config.json"), "{\"targets\": {\"orders\": {\"url\": \"" + cluster.url("postgres") + "\"}}}");
            try (CommandContext context = ServeRun.context(home, new ByteArrayOutputStream(), err); Serving first = start(context)) {
                await(first, "/ready", 200, err);
                assertEquals(503, get(first, "/health").statusCode(), "the blocking chain is CRITICAL");
            }
        }
        // The database is gone; "orders" now names a port that accepts and never answers, so the
        // restarted serve's first run lasts until its --timeout.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Files.writeString(home.resolve("config.json"), "{\"targets\": {\"orders\": {\"url\": \"postgresql://postgres@127.0.0.1:"
                    + silent.getLocalPort() + "/postgres\"}}}");
            try (CommandContext context = ServeRun.context(home, new ByteArrayOutputStream(), err); Serving restarted = start(context)) {
                HttpResponse<String> health = get(restarted, "/health");
                assertEquals(503, health.statusCode(), health.body());
                JsonObject orders = JsonParser.parseString(health.body()).getAsJsonObject().getAsJsonArray("targets").get(0).getAsJsonObject();
                assertTrue(orders.get("restored").getAsBoolean(), health.body());
                assertEquals("PG_BLOCKING_CHAIN", orders.getAsJsonObject("worstFinding").get("code").getAsString());
                assertEquals(200, get(restarted, "/api/v1/targets/orders/report").statusCode());
                assertEquals(503, get(restarted, "/ready").statusCode(), "not measured by this process yet");
                assertFalse(get(restarted, "/metrics").body().contains("dbtool_blocked_sessions{"), "no old value exported as now");
            }
        }
    }

    private static Serving start(CommandContext context) throws Exception {
        return Serving.start(new DefaultParser().parse(new ServeCommand().options(),
                new String[] {"--listen", "127.0.0.1:0", "--interval", "1m", "--timeout", "10", "--access-log", "off"}), context);
    }

    private static HttpResponse<String> get(Serving serving, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + serving.address().getPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void await(Serving serving, String path, int status, ByteArrayOutputStream err) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (get(serving, path).statusCode() != status) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(path + " not " + status + " within 30 s; dbtool serve said:\n" + err.toString(StandardCharsets.UTF_8));
            }
            Thread.sleep(200);
        }
    }
}
