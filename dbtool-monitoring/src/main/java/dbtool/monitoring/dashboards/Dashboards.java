package dbtool.monitoring.dashboards;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dbtool.monitoring.Engines;
import dbtool.monitoring.Metric;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Grafana dashboards (the JSON model of Grafana 10 and 11, {@code schemaVersion} 39) over the metrics
 * {@code dbtool serve} exports: one overview of the fleet (status per target, worst findings, golden signals) and
 * one per engine, drilled down by target through the {@code target} template variable. The data source is a
 * variable too ({@code datasource}, of type prometheus), so the same JSON imports into any Grafana.
 */
public final class Dashboards {

    /** The JSON model version written; Grafana migrates older models on load, never newer ones. */
    public static final int SCHEMA_VERSION = 39;

    /** One panel: a title, a visualisation, a unit, and its PromQL queries with their legends. */
    public record Panel(String title, String type, String unit, List<String> queries, String legend) {
    }

    private Dashboards() {
    }

    /** File name to dashboard, for the engines given: the overview first. */
    public static Map<String, JsonObject> build(List<String> engines) {
        Map<String, JsonObject> dashboards = new LinkedHashMap<>();
        dashboards.put("dbtool-overview.json", dashboard("dbtool-overview", "dbtool: fleet overview", null, overview()));
        for (String engine : engines) {
            dashboards.put("dbtool-" + engine + ".json",
                    dashboard("dbtool-" + engine, "dbtool: " + Engines.title(engine), engine, engine(engine)));
        }
        return dashboards;
    }

    /** Every query of every panel of a dashboard, as written (with {@code $target}). */
    public static List<String> queries(JsonObject dashboard) {
        List<String> queries = new ArrayList<>();
        for (var panel : dashboard.getAsJsonArray("panels")) {
            for (var target : panel.getAsJsonObject().getAsJsonArray("targets")) {
                queries.add(target.getAsJsonObject().get("expr").getAsString());
            }
        }
        return queries;
    }

    static List<Panel> overview() {
        return List.of(
                new Panel("Status per target (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN)", "stat", "none",
                        List.of("max by (target, engine) (dbtool_target_status{target=~\"$target\"})"), "{{target}} ({{engine}})"),
                new Panel("Targets up", "stat", "none", List.of("sum(dbtool_target_up{target=~\"$target\"})",
                        "count(dbtool_target_up{target=~\"$target\"})"), "up / all"),
                new Panel("Worst findings now", "table", "none",
                        List.of("sort_desc(sum by (target, engine, code, severity) (dbtool_findings{severity=~\"CRITICAL|WARNING\",target=~\"$target\"}))"),
                        "{{target}} {{code}}"),
                new Panel("Latency: time to diagnose", "timeseries", "s",
                        List.of("dbtool_target_run_duration_seconds{target=~\"$target\"}"), "{{target}}"),
                new Panel("Saturation: connection slots used", "timeseries", "percentunit",
                        List.of(Metric.gauge("connection-headroom", "used_ratio").series() + "{target=~\"$target\"}"), "{{target}}"),
                new Panel("Saturation: blocked sessions", "timeseries", "none",
                        List.of("sum by (target, engine) (" + Metric.gauge("blocking", "blocked_sessions").series() + "{target=~\"$target\"})"),
                        "{{target}}"),
                new Panel("Throughput: PostgreSQL transactions per second", "timeseries", "ops",
                        List.of("rate(" + Metric.counter("database-stats", "xact_commit").series() + "{target=~\"$target\"}[5m])"),
                        "{{target}}"),
                new Panel("Errors: checks not OK", "timeseries", "none",
                        List.of("count by (target) (dbtool_check_status{target=~\"$target\"} > 0)"), "{{target}}"),
                new Panel("dbtool serve: runs per second", "timeseries", "ops",
                        List.of("sum by (target) (rate(dbtool_serve_runs_total{target=~\"$target\"}[5m]))"), "{{target}}"));
    }

    static List<Panel> engine(String engine) {
        String on = "{engine=\"" + engine + "\",target=~\"$target\"}";
        List<Panel> panels = new ArrayList<>(List.of(
                new Panel("Status", "stat", "none", List.of("dbtool_target_status" + on), "{{target}}"),
                new Panel("Up", "stat", "none", List.of("dbtool_target_up" + on), "{{target}}"),
                new Panel("Checks not OK", "table", "none", List.of("dbtool_check_status" + on + " > 0"), "{{target}} {{check}}"),
                new Panel("Findings", "table", "none", List.of("dbtool_findings" + on), "{{target}} {{code}}"),
                new Panel("Time to diagnose", "timeseries", "s", List.of("dbtool_target_run_duration_seconds" + on), "{{target}}")));
        for (Panel panel : switch (engine) {
            case "postgresql" -> postgres(on);
            case "sqlserver" -> sqlServer(on);
            case "mongodb" -> mongo(on);
            case "snowflake" -> snowflake(on);
            default -> List.<Panel>of();
        }) {
            panels.add(panel);
        }
        return panels;
    }

    private static String g(String check, String metric, String on) {
        return Metric.gauge(check, metric).series() + on;
    }

    private static String rate(String check, String metric, String on) {
        return "rate(" + Metric.counter(check, metric).series() + on + "[5m])";
    }

    private static List<Panel> postgres(String on) {
        return List.of(
                new Panel("Connection slots used", "timeseries", "percentunit", List.of(g("connection-headroom", "used_ratio", on)), "{{target}}"),
                new Panel("Connection headroom", "timeseries", "none", List.of(g("connection-headroom", "usable_connections", on)
                        + " - " + g("connection-headroom", "connections", on)), "{{target}}"),
                new Panel("Blocked sessions and head blockers", "timeseries", "none",
                        List.of(g("blocking", "blocked_sessions", on), g("blocking", "head_blockers", on)), "{{target}} {{__name__}}"),
                new Panel("Longest lock wait", "timeseries", "s", List.of(g("blocking", "longest_wait_seconds", on)), "{{target}}"),
                new Panel("Transactions per second", "timeseries", "ops",
                        List.of(rate("database-stats", "xact_commit", on), rate("database-stats", "xact_rollback", on)), "{{target}}"),
                new Panel("Deadlocks per second", "timeseries", "ops", List.of(rate("database-stats", "deadlocks", on)), "{{target}}"),
                new Panel("Longest transaction and query", "timeseries", "s",
                        List.of(g("long-transactions", "longest_transaction_seconds", on), g("long-queries", "longest_query_seconds", on)),
                        "{{target}} {{check}}"),
                new Panel("Replication: replay lag", "timeseries", "s", List.of(g("replication", "max_replay_lag_seconds", on)), "{{target}}"),
                new Panel("Replication: WAL retained by inactive slots", "timeseries", "bytes",
                        List.of(g("replication", "max_inactive_retained_bytes", on)), "{{target}}"),
                new Panel("Wraparound: transaction ID age", "timeseries", "none",
                        List.of(g("wraparound", "max_xid_age", on), g("wraparound", "max_mxid_age", on)), "{{target}} {{__name__}}"),
                new Panel("Cache hit ratio", "timeseries", "percentunit", List.of(g("cache-hit", "hit_ratio", on)), "{{target}}"),
                new Panel("Temporary bytes written per second", "timeseries", "Bps", List.of(rate("temp-files", "temp_bytes", on)), "{{target}}"),
                new Panel("Tables overdue for vacuum", "timeseries", "none", List.of(g("vacuum", "tables_overdue", on)), "{{target}}"));
    }

    private static List<Panel> sqlServer(String on) {
        return List.of(
                new Panel("Blocked sessions and head blockers", "timeseries", "none",
                        List.of(g("blocking", "blocked_sessions", on), g("blocking", "head_blockers", on)), "{{target}} {{__name__}}"),
                new Panel("Batch requests per second", "timeseries", "ops", List.of(rate("server-stats", "batch_requests", on)), "{{target}}"),
                new Panel("Deadlocks per second", "timeseries", "ops", List.of(rate("server-stats", "deadlocks", on)), "{{target}}"),
                new Panel("SQL Server CPU", "timeseries", "percent", List.of(g("cpu", "sql_cpu_percent_avg", on)), "{{target}}"),
                new Panel("Worker threads used", "timeseries", "percent", List.of(g("workers", "workers_used_percent", on)), "{{target}}"),
                new Panel("Log space used (fullest database)", "timeseries", "percent", List.of(g("log-space", "max_percent_log_used", on)),
                        "{{target}}"),
                new Panel("tempdb used", "timeseries", "percent", List.of(g("tempdb", "tempdb_used_percent", on)), "{{target}}"));
    }

    private static List<Panel> mongo(String on) {
        return List.of(
                new Panel("Connections used", "timeseries", "percentunit", List.of(g("connections", "used_ratio", on)), "{{target}}"),
                new Panel("Operations per second", "timeseries", "ops", List.of(g("activity", "operations_per_second", on)), "{{target}}"),
                new Panel("Operations waiting for locks", "timeseries", "none", List.of(g("lock-waits", "waiting_for_lock", on)), "{{target}}"),
                new Panel("Replication lag", "timeseries", "s", List.of(g("replication", "max_lag_seconds", on)), "{{target}}"),
                new Panel("Oplog window", "timeseries", "h", List.of(g("oplog-window", "oplog_window_hours", on)), "{{target}}"),
                new Panel("Queued for tickets", "timeseries", "none",
                        List.of(g("tickets", "queued_readers", on), g("tickets", "queued_writers", on)), "{{target}} {{__name__}}"),
                new Panel("WiredTiger cache used", "timeseries", "percentunit", List.of(g("wiredtiger-cache", "cache_used_ratio", on)),
                        "{{target}}"));
    }

    private static List<Panel> snowflake(String on) {
        return List.of(
                new Panel("Blocked queries", "timeseries", "none", List.of(g("blocked-transactions", "blocked_queries", on)), "{{target}}"),
                new Panel("Longest queue wait", "timeseries", "s", List.of(g("queued-queries", "longest_queue_seconds", on)), "{{target}}"),
                new Panel("Warehouse queued load", "timeseries", "none", List.of(g("warehouse-load", "max_avg_queued_load", on)), "{{target}}"),
                new Panel("Longest running query", "timeseries", "s", List.of(g("long-queries", "longest_query_seconds", on)), "{{target}}"),
                new Panel("Bytes spilled to remote storage", "timeseries", "bytes", List.of(g("spilling", "bytes_spilled_remote", on)),
                        "{{target}}"),
                new Panel("Credits used today", "timeseries", "none", List.of(g("credits", "credits_today", on)), "{{target}}"));
    }

    private static JsonObject dashboard(String uid, String title, String engine, List<Panel> panels) {
        JsonObject dashboard = new JsonObject();
        dashboard.addProperty("uid", uid);
        dashboard.addProperty("title", title);
        JsonArray tags = new JsonArray();
        tags.add("dbtool");
        if (engine != null) {
            tags.add(engine);
        }
        dashboard.add("tags", tags);
        dashboard.addProperty("schemaVersion", SCHEMA_VERSION);
        dashboard.addProperty("version", 1);
        dashboard.addProperty("editable", true);
        dashboard.addProperty("graphTooltip", 1);
        dashboard.addProperty("refresh", "30s");
        dashboard.addProperty("timezone", "browser");
        JsonObject time = new JsonObject();
        time.addProperty("from", "now-6h");
        time.addProperty("to", "now");
        dashboard.add("time", time);
        JsonObject annotations = new JsonObject();
        annotations.add("list", new JsonArray());
        dashboard.add("annotations", annotations);
        dashboard.add("links", new JsonArray());
        JsonObject templating = new JsonObject();
        JsonArray variables = new JsonArray();
        variables.add(datasourceVariable());
        variables.add(targetVariable(engine));
        templating.add("list", variables);
        dashboard.add("templating", templating);
        JsonArray panelArray = new JsonArray();
        int x = 0;
        int y = 0;
        int id = 1;
        for (Panel panel : panels) {
            int width = panel.type().equals("stat") ? 6 : 12;
            if (x + width > 24) {
                x = 0;
                y += 8;
            }
            panelArray.add(panel(id++, panel, x, y, width));
            x += width;
        }
        dashboard.add("panels", panelArray);
        return dashboard;
    }

    private static JsonObject datasource() {
        JsonObject datasource = new JsonObject();
        datasource.addProperty("type", "prometheus");
        datasource.addProperty("uid", "${datasource}");
        return datasource;
    }

    private static JsonObject panel(int id, Panel panel, int x, int y, int width) {
        JsonObject json = new JsonObject();
        json.addProperty("id", id);
        json.addProperty("type", panel.type());
        json.addProperty("title", panel.title());
        json.add("datasource", datasource());
        JsonObject grid = new JsonObject();
        grid.addProperty("h", 8);
        grid.addProperty("w", width);
        grid.addProperty("x", x);
        grid.addProperty("y", y);
        json.add("gridPos", grid);
        JsonArray targets = new JsonArray();
        char refId = 'A';
        for (String query : panel.queries()) {
            JsonObject target = new JsonObject();
            target.addProperty("refId", String.valueOf(refId++));
            target.add("datasource", datasource());
            target.addProperty("expr", query);
            target.addProperty("legendFormat", panel.legend());
            if (panel.type().equals("table")) {
                target.addProperty("instant", true);
                target.addProperty("format", "table");
            }
            targets.add(target);
        }
        json.add("targets", targets);
        JsonObject fieldConfig = new JsonObject();
        JsonObject defaults = new JsonObject();
        defaults.addProperty("unit", panel.unit());
        fieldConfig.add("defaults", defaults);
        fieldConfig.add("overrides", new JsonArray());
        json.add("fieldConfig", fieldConfig);
        json.add("options", new JsonObject());
        return json;
    }

    private static JsonObject datasourceVariable() {
        JsonObject variable = new JsonObject();
        variable.addProperty("name", "datasource");
        variable.addProperty("label", "Prometheus");
        variable.addProperty("type", "datasource");
        variable.addProperty("query", "prometheus");
        variable.addProperty("hide", 0);
        variable.add("current", new JsonObject());
        return variable;
    }

    private static JsonObject targetVariable(String engine) {
        String selector = engine == null ? "dbtool_target_up" : "dbtool_target_up{engine=\"" + engine + "\"}";
        JsonObject variable = new JsonObject();
        variable.addProperty("name", "target");
        variable.addProperty("label", "Target");
        variable.addProperty("type", "query");
        variable.add("datasource", datasource());
        JsonObject query = new JsonObject();
        query.addProperty("query", "label_values(" + selector + ", target)");
        query.addProperty("refId", "PrometheusVariableQueryEditor-VariableQuery");
        variable.add("query", query);
        variable.addProperty("definition", "label_values(" + selector + ", target)");
        variable.addProperty("refresh", 2);
        variable.addProperty("includeAll", true);
        variable.addProperty("multi", true);
        variable.addProperty("allValue", ".*");
        variable.addProperty("sort", 1);
        variable.add("current", new JsonObject());
        variable.add("options", new JsonArray());
        return variable;
    }
}
