package dbtool.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dbtool.core.Environment;
import dbtool.core.cli.CommandContext;
import dbtool.core.plugin.LoadedPlugin;
import dbtool.core.plugin.PluginDirectory;
import dbtool.core.plugin.PluginRegistry;
import dbtool.plugin.postgres.PostgresPlugin;
import dbtool.plugin.postgres.demo.Incident;
import dbtool.plugin.postgres.demo.LocalCluster;
import dbtool.testkit.Poll;
import dbtool.testkit.prometheus.LocalPrometheus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.commons.cli.DefaultParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole chain with real parts: a throwaway PostgreSQL with a blocking chain three sessions deep,
 * {@code dbtool serve} checking it every second, and a real Prometheus scraping {@code dbtool serve}.
 * What an on-call engineer relies on: the exposition passes Prometheus's own linter, PromQL over
 * Prometheus's HTTP API returns the blocked sessions dbtool saw, and the server's counters are
 * counters whose rate() is the throughput.
 */
class ServeEndToEndTest {

    @TempDir
    static Path home;

    static LocalCluster cluster;
    static Incident incident;
    static int headPid;
    static Serving serving;
    static LocalPrometheus prometheus;
    static final ByteArrayOutputStream err = new ByteArrayOutputStream();
    static final HttpClient client = HttpClient.newHttpClient();
    static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    static Connection traced;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalCluster.start(LocalCluster.Settings.defaults());
        incident = new Incident(cluster, "postgres");
        headPid = incident.blockingChain("accounts", 3);
        // A third waiter whose statement carries the application's trace context in a sqlcommenter comment.
        traced = cluster.connect("postgres");
        Thread.ofPlatform().daemon().start(() -> {
            try (Statement statement = traced.createStatement()) {
                statement.execute("UPDATE accounts SET balance = balance + 1 WHERE id = 1 /*application='checkout',traceparent='"
                        + TRACEPARENT + "'*/");
            } catch (SQLException e) {
                // cancelled when the test closes the connection
            }
        });
        try (Connection watch = cluster.connect("postgres")) {
            Poll.untilCount(watch, "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'",
                    n -> n == 3, Duration.ofSeconds(30), "three sessions wait behind the head");
        }

        Path config = home.resolve("config.json");
        Files.writeString(config, """
                {"targets": {"orders": {"url": "%s", "tags": ["prod"]}}, "tracing": {"link": "https://tempo.example/trace/{traceId}"}}
                """.formatted(cluster.url("postgres")));
        Environment environment = new Environment(Map.of("DBTOOL_CONFIG", config.toString(), "PGPASSFILE", home.resolve("none").toString()),
                home, "Linux", null);
        CommandContext context = new CommandContext(environment, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
        context.withPlugins(PluginRegistry.ofLoaded(List.of(new LoadedPlugin(new PluginDirectory("postgresql", home, "test", Optional.empty()),
                List.of("dbtool.plugin.postgres"), List.of(new PostgresPlugin()), List.of(), List.of(), List.of(), List.of(), Optional.empty()))));
        ServeCommand command = new ServeCommand();
        serving = Serving.start(new DefaultParser().parse(command.options(),
                new String[] {"--listen", "127.0.0.1:0", "--interval", "1s", "--tag", "prod", "--access-log", "off"}), context);
        await("dbtool serve ready", () -> get("/ready").statusCode() == 200);
        prometheus = LocalPrometheus.start("dbtool", List.of("127.0.0.1:" + serving.address().getPort()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (prometheus != null) {
            prometheus.close();
        }
        if (serving != null) {
            serving.close();
        }
        if (traced != null) {
            traced.close();
        }
        if (incident != null) {
            incident.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    static HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + serving.address().getPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static void await(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within 30 s; dbtool serve said:\n" + err.toString(StandardCharsets.UTF_8));
            }
            Thread.sleep(200);
        }
    }

    @Test
    void theExpositionPassesPromtoolAndShowsTheBlockedSessions() throws Exception {
        HttpResponse<String> metrics = get("/metrics");
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"), metrics.headers().toString());
        assertTrue(metrics.body().contains("dbtool_blocked_sessions{check=\"blocking\",engine=\"postgresql\",target=\"orders\"} 3.0"), metrics.body());
        assertEquals("", LocalPrometheus.checkMetrics(metrics.body()), "promtool check metrics");
    }

    @Test
    void prometheusScrapesDbtoolServeAndPromqlReturnsTheBlockedSessionGauge() throws Exception {
        JsonArray[] result = new JsonArray[1];
        await("Prometheus has a sample of dbtool_blocked_sessions", () -> {
            result[0] = prometheus.query("dbtool_blocked_sessions{target=\"orders\"}");
            return !result[0].isEmpty();
        });
        JsonObject series = result[0].get(0).getAsJsonObject();
        assertEquals("dbtool", series.getAsJsonObject("metric").get("job").getAsString());
        assertEquals("postgresql", series.getAsJsonObject("metric").get("engine").getAsString());
        assertEquals("3", series.getAsJsonArray("value").get(1).getAsString(), "three sessions wait behind the head");
        JsonArray heads = prometheus.query("dbtool_head_blockers{target=\"orders\"}");
        assertEquals("1", heads.get(0).getAsJsonObject().getAsJsonArray("value").get(1).getAsString());
    }

    @Test
    void theDatabasesCommitsAndDeadlocksAreCountersWhoseRateIsTheThroughput() throws Exception {
        String body = get("/metrics").body();
        assertTrue(body.contains("# TYPE dbtool_xact_commit_total counter"), body);
        assertTrue(body.contains("# TYPE dbtool_xact_rollback_total counter"), body);
        assertTrue(body.contains("dbtool_database_stats_deadlocks_total{check=\"database-stats\",engine=\"postgresql\",target=\"orders\"} 0.0"), body);
        assertFalse(body.contains("# TYPE dbtool_xact_commit gauge"), "a counter is not also a gauge");
        // dbtool's own run every second commits in the target's database: Prometheus sees the count go up.
        await("Prometheus computes a commit rate", () -> !prometheus.query("rate(dbtool_xact_commit_total{target=\"orders\"}[5s]) > 0").isEmpty());
    }

    @Test
    void healthIs503AndTheReportNamesTheHeadBlocker() throws Exception {
        HttpResponse<String> health = get("/health");
        assertEquals(503, health.statusCode(), health.body());
        assertTrue(health.body().contains("\"status\":\"CRITICAL\""), health.body());
        HttpResponse<String> report = get("/api/v1/targets/orders/report");
        assertEquals(200, report.statusCode());
        JsonObject json = JsonParser.parseString(report.body()).getAsJsonObject();
        assertEquals("orders", json.getAsJsonObject("target").get("name").getAsString());
        List<Integer> heads = json.getAsJsonArray("checks").asList().stream()
                .flatMap(check -> check.getAsJsonObject().getAsJsonArray("findings").asList().stream())
                .map(finding -> finding.getAsJsonObject().getAsJsonObject("evidence"))
                .filter(evidence -> evidence != null && evidence.has("headBlockers"))
                .flatMap(evidence -> evidence.getAsJsonArray("headBlockers").asList().stream().map(pid -> pid.getAsInt()))
                .distinct().toList();
        assertEquals(List.of(headPid), heads, "every lock finding names the head blocker's pid");
    }

    @Test
    void theReportLinksTheTracedWaiterToTheConfiguredTraceView() throws Exception {
        String report = get("/api/v1/targets/orders/report").body();
        assertTrue(report.contains("\"traceId\": \"4bf92f3577b34da6a3ce929d0e0e4736\""), report);
        assertTrue(report.contains("\"traceUrl\": \"https://tempo.example/trace/4bf92f3577b34da6a3ce929d0e0e4736\""), report);
    }
}
