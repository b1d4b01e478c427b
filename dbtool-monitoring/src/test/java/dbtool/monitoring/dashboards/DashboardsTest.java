package dbtool.monitoring.dashboards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dbtool.monitoring.Engines;
import dbtool.monitoring.ExportedMetrics;
import dbtool.monitoring.MonitoringRun;
import dbtool.monitoring.Promtool;
import dbtool.testkit.grafana.GrafanaTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboards as Grafana imports them: the structure its import API checks (GrafanaTestServer's rules), a data
 * source variable and a target variable on every dashboard, per-engine queries drilled down by target, every query
 * valid PromQL (promtool parses them as recording rules) over series serve exports.
 */
class DashboardsTest {

    @TempDir
    Path dir;

    static JsonObject request(JsonObject dashboard) {
        JsonObject request = new JsonObject();
        JsonObject copy = dashboard.deepCopy();
        copy.add("id", null);
        request.add("dashboard", copy);
        request.addProperty("overwrite", true);
        return request;
    }

    @Test
    void theCommandWritesAnOverviewAndOneDashboardPerEngineThatGrafanaWouldImport() throws Exception {
        MonitoringRun run = MonitoringRun.run(dir, Map.of(), "monitoring", "dashboards", "--out", dir.resolve("grafana").toString());
        assertEquals(0, run.exitCode(), run.toString());
        List<String> names = new ArrayList<>();
        try (var files = Files.list(dir.resolve("grafana"))) {
            files.forEach(f -> names.add(f.getFileName().toString()));
        }
        assertEquals(List.of("dbtool-mongodb.json", "dbtool-overview.json", "dbtool-postgresql.json", "dbtool-snowflake.json",
                "dbtool-sqlserver.json"), names.stream().sorted().toList(), "no temporary file left behind");
        for (String name : names) {
            JsonObject dashboard = JsonParser.parseString(Files.readString(dir.resolve("grafana").resolve(name))).getAsJsonObject();
            assertEquals(List.of(), GrafanaTestServer.problems(request(dashboard)), name);
            assertEquals(Dashboards.SCHEMA_VERSION, dashboard.get("schemaVersion").getAsInt());
            List<String> variables = new ArrayList<>();
            for (JsonElement variable : dashboard.getAsJsonObject("templating").getAsJsonArray("list")) {
                variables.add(variable.getAsJsonObject().get("name").getAsString() + ":" + variable.getAsJsonObject().get("type").getAsString());
            }
            assertEquals(List.of("datasource:datasource", "target:query"), variables, name);
            for (JsonElement panel : dashboard.getAsJsonArray("panels")) {
                assertEquals("${datasource}", panel.getAsJsonObject().getAsJsonObject("datasource").get("uid").getAsString());
            }
        }
    }

    @Test
    void engineDashboardsDrillDownByTargetAndUseOnlyTheirEnginesSeries() {
        Map<String, JsonObject> dashboards = Dashboards.build(Engines.ALL);
        List<String> problems = new ArrayList<>();
        for (String engine : Engines.ALL) {
            JsonObject dashboard = dashboards.get("dbtool-" + engine + ".json");
            assertTrue(dashboard.getAsJsonObject("templating").toString().contains("label_values(dbtool_target_up{engine=\\\"" + engine + "\\\"}, target)"),
                    engine);
            for (String query : Dashboards.queries(dashboard)) {
                assertTrue(query.contains("target=~\"$target\""), engine + ": " + query);
                assertTrue(query.contains("engine=\"" + engine + "\""), engine + ": " + query);
                if (!ExportedMetrics.unknown(query, List.of(engine)).isEmpty()) {
                    problems.add(engine + ": " + ExportedMetrics.unknown(query, List.of(engine)) + " in " + query);
                }
            }
        }
        for (String query : Dashboards.queries(dashboards.get("dbtool-overview.json"))) {
            if (!ExportedMetrics.unknown(query, Engines.ALL).isEmpty()) {
                problems.add("overview: " + query);
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void everyPanelQueryIsValidPromql() throws Exception {
        StringBuilder rules = new StringBuilder("groups:\n  - name: panels\n    rules:\n");
        int n = 0;
        for (JsonObject dashboard : Dashboards.build(Engines.ALL).values()) {
            for (String query : Dashboards.queries(dashboard)) {
                rules.append("      - record: panel_").append(n++).append("\n        expr: '")
                        .append(query.replace("$target", ".*").replace("'", "''")).append("'\n");
            }
        }
        Files.writeString(dir.resolve("panels.yml"), rules);
        Promtool check = Promtool.run(dir, "check", "rules", "panels.yml");
        assertEquals(0, check.exitCode(), check.output());
        assertTrue(check.output().contains("SUCCESS: " + n + " rules found"), check.output());
    }
}
