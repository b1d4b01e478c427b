package dbtool.testkit.grafana;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * Grafana's dashboard import API ({@code POST /api/dashboards/db}) on a free loopback port, for tests of what
 * dbtool pushes: no Grafana can run here. It does what Grafana does before it stores a dashboard: the bearer token
 * (401 otherwise, as Grafana answers an invalid service account token), the request's shape ({@code dashboard},
 * {@code overwrite}, {@code folderUid}, {@code message}) and the parts of the dashboard model Grafana needs to
 * import and render it (title, uid of at most 40 safe characters, no id for a new dashboard, schemaVersion, panels
 * with type, gridPos inside the 24-column grid and targets with unique refIds, template variables with name and
 * type); what is wrong is answered 400 with Grafana's {@code {"message": ...}}. Accepted imports are kept for the
 * test to read; {@link #failWith} makes it answer a status of the test's choosing (500, 503...).
 */
public final class GrafanaTestServer implements AutoCloseable {

    private static final Pattern UID = Pattern.compile("[a-zA-Z0-9_-]{1,40}");
    private static final Set<String> PANEL_TYPES = Set.of("timeseries", "stat", "table", "gauge", "bargauge", "text", "row",
            "heatmap", "logs", "piechart", "state-timeline", "status-history");

    private final HttpServer server;
    private final String token;
    private final List<JsonObject> imported = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private volatile int failWith;

    private GrafanaTestServer(String token) throws IOException {
        this.token = token;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a server that accepts {@code token} as a bearer token. */
    public static GrafanaTestServer start(String token) throws IOException {
        return new GrafanaTestServer(token);
    }

    /** Its base URL, {@code http://127.0.0.1:PORT}. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** From now on, every request is answered {@code status} (0: behave again). */
    public void failWith(int status) {
        this.failWith = status;
    }

    /** The dashboards imported so far, as sent (the {@code dashboard} object). */
    public List<JsonObject> imported() {
        return List.copyOf(imported);
    }

    /** The Authorization headers received, for tests that check what was sent. */
    public List<String> authorizations() {
        return List.copyOf(authorizations);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            authorizations.add(authorization == null ? "" : authorization);
            if (failWith != 0) {
                answer(exchange, failWith, message(failWith >= 500 ? "Internal Server Error" : "failed"));
                return;
            }
            if (!exchange.getRequestMethod().equals("POST") || !exchange.getRequestURI().getPath().equals("/api/dashboards/db")) {
                answer(exchange, 404, message("Not found"));
                return;
            }
            if (authorization == null || !authorization.equals("Bearer " + token)) {
                answer(exchange, 401, message("Invalid API key"));
                return;
            }
            JsonObject request;
            try {
                request = JsonParser.parseString(new String(body, StandardCharsets.UTF_8)).getAsJsonObject();
            } catch (RuntimeException e) {
                answer(exchange, 400, message("bad request data"));
                return;
            }
            List<String> problems = problems(request);
            if (!problems.isEmpty()) {
                answer(exchange, 400, message(String.join("; ", problems)));
                return;
            }
            JsonObject dashboard = request.getAsJsonObject("dashboard");
            imported.add(dashboard);
            String uid = dashboard.get("uid").getAsString();
            String slug = dashboard.get("title").getAsString().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
                    .replaceAll("(^-|-$)", "");
            JsonObject answer = new JsonObject();
            answer.addProperty("id", imported.size());
            answer.addProperty("uid", uid);
            answer.addProperty("url", "/d/" + uid + "/" + slug);
            answer.addProperty("status", "success");
            answer.addProperty("version", 1);
            answer.addProperty("slug", slug);
            answer(exchange, 200, answer.toString());
        }
    }

    /** What Grafana would refuse in an import request; empty when it imports it. */
    public static List<String> problems(JsonObject request) {
        List<String> problems = new ArrayList<>();
        for (String field : request.keySet()) {
            if (!Set.of("dashboard", "overwrite", "folderUid", "folderId", "message").contains(field)) {
                problems.add("unknown field " + field);
            }
        }
        if (request.has("overwrite") && !isBoolean(request.get("overwrite"))) {
            problems.add("overwrite: expected a boolean");
        }
        if (!request.has("dashboard") || !request.get("dashboard").isJsonObject()) {
            problems.add("dashboard: required object");
            return problems;
        }
        JsonObject dashboard = request.getAsJsonObject("dashboard");
        if (!isString(dashboard.get("title")) || dashboard.get("title").getAsString().isBlank()) {
            problems.add("Dashboard title cannot be empty");
        }
        if (dashboard.has("uid") && !(isString(dashboard.get("uid")) && UID.matcher(dashboard.get("uid").getAsString()).matches())) {
            problems.add("uid: at most 40 letters, digits, - or _");
        }
        if (!dashboard.has("uid")) {
            problems.add("uid: dbtool's dashboards need a stable uid to be overwritten");
        }
        if (dashboard.has("id") && !dashboard.get("id").isJsonNull()) {
            problems.add("Dashboard not found (an id names an existing dashboard: send null for an import)");
        }
        if (!isNumber(dashboard.get("schemaVersion"))) {
            problems.add("schemaVersion: expected a number");
        }
        if (!dashboard.has("panels") || !dashboard.get("panels").isJsonArray()) {
            problems.add("panels: expected an array");
        } else {
            Set<Integer> ids = new HashSet<>();
            for (JsonElement element : dashboard.getAsJsonArray("panels")) {
                panelProblems(element, ids, problems);
            }
        }
        if (dashboard.has("templating")) {
            JsonElement list = dashboard.getAsJsonObject("templating").get("list");
            if (list == null || !list.isJsonArray()) {
                problems.add("templating.list: expected an array");
            } else {
                for (JsonElement variable : list.getAsJsonArray()) {
                    JsonObject v = variable.getAsJsonObject();
                    if (!isString(v.get("name")) || !isString(v.get("type"))) {
                        problems.add("templating: a variable needs name and type");
                    }
                }
            }
        }
        return problems;
    }

    private static void panelProblems(JsonElement element, Set<Integer> ids, List<String> problems) {
        if (!element.isJsonObject()) {
            problems.add("panels: expected objects");
            return;
        }
        JsonObject panel = element.getAsJsonObject();
        String title = isString(panel.get("title")) ? panel.get("title").getAsString() : "?";
        if (!isString(panel.get("type")) || !PANEL_TYPES.contains(panel.get("type").getAsString())) {
            problems.add("panel " + title + ": unknown type " + panel.get("type"));
        }
        if (!isNumber(panel.get("id")) || !ids.add(panel.get("id").getAsInt())) {
            problems.add("panel " + title + ": id missing or not unique");
        }
        JsonElement grid = panel.get("gridPos");
        if (grid == null || !grid.isJsonObject()) {
            problems.add("panel " + title + ": gridPos required");
        } else {
            JsonObject g = grid.getAsJsonObject();
            for (String key : List.of("h", "w", "x", "y")) {
                if (!isNumber(g.get(key))) {
                    problems.add("panel " + title + ": gridPos." + key + " required");
                    return;
                }
            }
            if (g.get("x").getAsInt() + g.get("w").getAsInt() > 24 || g.get("w").getAsInt() < 1) {
                problems.add("panel " + title + ": outside the 24-column grid");
            }
        }
        if (panel.has("targets")) {
            JsonArray targets = panel.getAsJsonArray("targets");
            Set<String> refIds = new HashSet<>();
            for (JsonElement target : targets) {
                JsonObject t = target.getAsJsonObject();
                if (!isString(t.get("refId")) || !refIds.add(t.get("refId").getAsString())) {
                    problems.add("panel " + title + ": every query needs a unique refId");
                }
                if (!isString(t.get("expr")) || t.get("expr").getAsString().isBlank()) {
                    problems.add("panel " + title + ": a Prometheus query needs expr");
                }
            }
        }
    }

    private static boolean isString(JsonElement element) {
        return element != null && element.isJsonPrimitive() && element.getAsJsonPrimitive().isString();
    }

    private static boolean isNumber(JsonElement element) {
        return element != null && element.isJsonPrimitive() && element.getAsJsonPrimitive().isNumber();
    }

    private static boolean isBoolean(JsonElement element) {
        return element != null && element.isJsonPrimitive() && element.getAsJsonPrimitive().isBoolean();
    }

    private static String message(String text) {
        JsonObject json = new JsonObject();
        json.addProperty("message", text);
        return json.toString();
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
