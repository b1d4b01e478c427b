package dbtool.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dbtool.core.cli.CommandContext;
import dbtool.testkit.alertmanager.LocalAlertmanager;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path with real parts: a blocking chain on a throwaway PostgreSQL, {@code dbtool serve}
 * running, a real Alertmanager whose webhook points at it. An alert posted to Alertmanager's API (as
 * Prometheus would) is delivered to {@code POST /alerts}, and the stored incident names the head
 * blocker's pid.
 */
class AlertmanagerEndToEndTest {

    static final String TOKEN = "e2e-token-7c1f";

    static StagedBlockingChain chain;
    static int headPid;

    @TempDir
    static Path home;

    @BeforeAll
    static void stageBlockingChain() throws Exception {
        chain = StagedBlockingChain.start(3, home, "{\"timeout\": 5}");
        headPid = chain.headPid();
        Files.writeString(home.resolve("token"), TOKEN + "\n");
    }

    @AfterAll
    static void stop() {
        if (chain != null) {
            chain.close();
        }
    }

    @Test
    void anAlertFromAlertmanagerBecomesAnIncidentNamingTheHeadBlocker() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandContext context = ServeRun.context(home, new ByteArrayOutputStream(), err);
        CommandLine line = new DefaultParser().parse(new ServeCommand().options(), new String[] {"--listen", "127.0.0.1:0",
                "--interval", "1h", "--token-file", home.resolve("token").toString(), "--access-log", home.resolve("access.log").toString()});
        HttpClient client = HttpClient.newHttpClient();
        try (Serving serving = Serving.start(line, context)) {
            String base = "http://127.0.0.1:" + serving.address().getPort();
            try (LocalAlertmanager alertmanager = LocalAlertmanager.start(base + "/alerts", TOKEN)) {
                long fired = System.nanoTime();
                alertmanager.fire(Map.of("alertname", "PostgresqlDeadLocks", "server", "127.0.0.1:" + chain.port(), "datname", "orders",
                        "severity", "critical"), Map.of("summary", "deadlocks on orders"));
                JsonObject row = awaitIncident(client, base, 30_000);
                long millis = (System.nanoTime() - fired) / 1_000_000;
                assertTrue(row != null, "no incident within 30 s; serve said:\n" + err.toString(StandardCharsets.UTF_8)
                        + "\nAlertmanager said:\n" + alertmanager.log());
                JsonObject incident = JsonParser.parseString(get(client, base + row.get("href").getAsString()).body()).getAsJsonObject();
                assertEquals("diagnosed", incident.get("state").getAsString(), incident.toString());
                assertEquals("orders", incident.get("target").getAsString());
                assertEquals("label server", incident.get("routedBy").getAsString());
                assertFalse(incident.getAsJsonObject("alert").get("fingerprint").getAsString().isBlank(), "Alertmanager's fingerprint");
                assertTrue(ServeRun.headBlockers(incident.getAsJsonObject("report")).contains(headPid),
                        "head blocker " + headPid + " in " + incident);
                assertFalse(err.toString(StandardCharsets.UTF_8).contains(TOKEN), "the token is never logged");
                // A measurement, not an assertion (DESIGN.md section 9): bench/alerts reports it properly.
                System.out.println("alert posted to Alertmanager -> incident listed by dbtool serve: " + millis + " ms");
            }
        }
    }

    /** Polls the incident list until a diagnosed (or failed) incident is there; null at the deadline. */
    private static JsonObject awaitIncident(HttpClient client, String base, long timeoutMillis) throws Exception {
        long end = System.nanoTime() + timeoutMillis * 1_000_000;
        while (System.nanoTime() < end) {
            JsonArray incidents = JsonParser.parseString(get(client, base + "/api/v1/incidents").body()).getAsJsonObject().getAsJsonArray("incidents");
            if (!incidents.isEmpty()) {
                return incidents.get(0).getAsJsonObject();
            }
            Thread.sleep(20);
        }
        return null;
    }

    private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
