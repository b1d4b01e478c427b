package dbtool.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dbtool.core.Environment;
import dbtool.core.cli.CommandContext;
import dbtool.core.cli.CommandLineInterface;
import dbtool.core.plugin.LoadedPlugin;
import dbtool.core.plugin.PluginDirectory;
import dbtool.core.plugin.PluginRegistry;
import dbtool.monitoring.anomaly.HistorySource;
import dbtool.monitoring.anomaly.Point;
import dbtool.monitoring.anomaly.PrometheusHistory;
import dbtool.monitoring.dashboards.Dashboards;
import dbtool.monitoring.rules.AlertRule;
import dbtool.monitoring.rules.RuleCatalog;
import dbtool.plugin.postgres.PostgresPlugin;
import dbtool.plugin.postgres.demo.Incident;
import dbtool.plugin.postgres.demo.LocalCluster;
import dbtool.serve.store.StateStore;
import dbtool.testkit.LocalServers;
import dbtool.testkit.prometheus.LocalPrometheus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated rules and dashboards against the real thing: a throwaway PostgreSQL with a blocking chain three
 * sessions deep, {@code dbtool serve} in its default configuration (every check) checking it every second, and a real
 * Prometheus scraping serve. Every rule expression and every panel query is evaluated through Prometheus's HTTP API
 * and answers without error; every PostgreSQL series a rule names is there; the expressions about the staged incident
 * (the blocking chain) return it.
 */
class MonitoringEndToEndTest {

    @TempDir
    static Path home;

    static LocalCluster cluster;
    static Incident incident;
    static Thread serve;
    static int port;
    static LocalPrometheus prometheus;
    static final ByteArrayOutputStream err = new ByteArrayOutputStream();
    static final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalCluster.start(LocalCluster.Settings.defaults());
        incident = new Incident(cluster, "postgres");
        incident.blockingChain("accounts", 3);
        Path config = home.resolve("config.json");
        Files.writeString(config, """
                {"targets": {"orders": {"url": "%s"}}}
                """.formatted(cluster.url("postgres")));
        Environment environment = new Environment(Map.of("DBTOOL_CONFIG", config.toString(), "PGPASSFILE", home.resolve("none").toString(),
                "XDG_DATA_HOME", home.resolve("data").toString()), home, "Linux", null);
        CommandContext context = new CommandContext(environment, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
        context.withPlugins(PluginRegistry.ofLoaded(List.of(new LoadedPlugin(new PluginDirectory("postgresql", home, "test", Optional.empty()),
                List.of("dbtool.plugin.postgres"), List.of(new PostgresPlugin()), List.of(), List.of(), List.of(), List.of(), Optional.empty()))));
        port = LocalServers.freePort();
        serve = Thread.ofPlatform().name("dbtool-serve").start(() -> CommandLineInterface.standard().execute(
                new ArrayList<>(List.of("serve", "--listen", "127.0.0.1:" + port, "--interval", "1s", "--access-log", "off")), context));
        await("dbtool serve ready", () -> {
            try {
                return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
            } catch (IOException notYet) {
                return false;
            }
        });
        prometheus = LocalPrometheus.start("dbtool", List.of("127.0.0.1:" + port));
        await("Prometheus has the blocked sessions", () -> !prometheus.query("dbtool_blocked_sessions").isEmpty());
        // rate() over the counters needs two scrapes of them
        await("Prometheus has a commit rate", () -> !prometheus.query("rate(dbtool_xact_commit_total[1m])").isEmpty());
    }

    @AfterAll
    static void stop() throws Exception {
        if (prometheus != null) {
            prometheus.close();
        }
        if (serve != null) {
            serve.interrupt();
            serve.join(15_000);
        }
        if (incident != null) {
            incident.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    static void await(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within 60 s; dbtool serve said:\n" + err.toString(StandardCharsets.UTF_8)
                        + (prometheus == null ? "" : "\nPrometheus targets: " + prometheus.targets()));
            }
            Thread.sleep(200);
        }
    }

    @Test
    void everyRuleExpressionOfEveryEngineEvaluatesWithoutErrorAndTheBlockingChainFires() throws Exception {
        for (AlertRule rule : RuleCatalog.all()) {
            prometheus.query(rule.expr()); // throws when Prometheus answers an error
        }
        JsonArray chain = prometheus.query(rule("PostgresqlBlockingChain").expr());
        assertEquals(1, chain.size(), chain.toString());
        JsonObject labels = chain.get(0).getAsJsonObject().getAsJsonObject("metric");
        assertEquals("orders", labels.get("target").getAsString(), "the label dbtool_target is made of");
        assertEquals("2", chain.get(0).getAsJsonObject().getAsJsonArray("value").get(1).getAsString());
        assertEquals(List.of(), prometheus.query(rule("PostgresqlDown").expr()).asList(), "the server is up");
    }

    @Test
    void everyPostgresSeriesARuleNamesIsExportedByServesDefaultConfiguration() throws Exception {
        Set<String> missing = new TreeSet<>();
        for (AlertRule rule : RuleCatalog.forEngines(List.of("postgresql"))) {
            for (String series : ExportedMetrics.used(rule.expr())) {
                if (prometheus.query("count(" + series + "{engine=\"postgresql\",target=\"orders\"})").isEmpty()) {
                    missing.add(series);
                }
            }
        }
        assertEquals(Set.of(), missing, "series no rule may use: dbtool serve does not export them for PostgreSQL");
    }

    @Test
    void everyPanelQueryEvaluatesAndThePostgresDashboardShowsTheIncident() throws Exception {
        Map<String, JsonObject> dashboards = Dashboards.build(Engines.ALL);
        for (JsonObject dashboard : dashboards.values()) {
            for (String query : Dashboards.queries(dashboard)) {
                prometheus.query(query.replace("$target", ".*"));
            }
        }
        List<String> empty = new ArrayList<>();
        for (String query : Dashboards.queries(dashboards.get("dbtool-postgresql.json"))) {
            if (prometheus.query(query.replace("$target", "orders")).isEmpty()) {
                empty.add(query);
            }
        }
        // What a healthy single server has nothing of: no standby (replay lag), no inactive slot, nothing overdue.
        assertFalse(empty.stream().anyMatch(q -> q.contains("blocked_sessions")), "the blocking panel shows the chain: " + empty);
        assertTrue(empty.size() <= 3, "panels without data on a server with a blocking chain: " + empty);
        List<String> overviewEmpty = new ArrayList<>();
        for (String query : Dashboards.queries(dashboards.get("dbtool-overview.json"))) {
            if (prometheus.query(query.replace("$target", ".*")).isEmpty()) {
                overviewEmpty.add(query);
            }
        }
        assertEquals(List.of(), overviewEmpty, "every overview panel has data");
    }

    @Test
    void anomalyHistoryIsReadFromPrometheusHttpApi() throws Exception {
        PrometheusHistory history = new PrometheusHistory(URI.create("http://127.0.0.1:" + prometheus.port()), Duration.ofSeconds(5));
        Instant oldest = history.oldest("orders").orElseThrow();
        assertTrue(oldest.isBefore(Instant.now().plusSeconds(1)), oldest.toString());
        assertEquals(Optional.empty(), history.oldest("no-such-target"));
        Instant now = Instant.now();
        Map<String, List<Point>> points = history.history("orders", Set.of("dbtool_blocked_sessions", "dbtool_no_such_metric"),
                List.of(new HistorySource.Period(now.minus(Duration.ofMinutes(10)), now.plusSeconds(1))));
        assertEquals(Set.of("dbtool_blocked_sessions"), points.keySet());
        assertEquals(2.0, points.get("dbtool_blocked_sessions").getLast().value());
    }

    @Test
    void serveKeepsTheGaugesAsHistoryAndItsRunsSkipAnomaliesUntilADayOfItExists() throws Exception {
        StateStore store = StateStore.serving().orElseThrow();
        Instant oldest = store.oldestMetrics("orders").orElseThrow();
        Map<String, List<StateStore.MetricPoint>> kept = store.metricHistory("orders", List.of("dbtool_blocked_sessions"),
                List.of(new StateStore.Period(oldest, Instant.now().plusSeconds(1))));
        assertEquals(2.0, kept.get("dbtool_blocked_sessions").getFirst().value(), "the run's gauge, kept for anomaly detection");
        String report = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/targets/orders/report")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(report.contains("\"id\": \"blocking\""), report);
        assertFalse(report.contains("\"id\": \"anomalies\""), "less than a day of history: the check is left out, not UNKNOWN");
    }

    static AlertRule rule(String name) {
        return RuleCatalog.all().stream().filter(r -> r.alert().equals(name)).findFirst().orElseThrow();
    }
}
