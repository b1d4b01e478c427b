package dbtool.monitoring.dashboards;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dbtool.core.DbtoolException;
import dbtool.core.ExitCodes;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Posts dashboards to Grafana's HTTP API ({@code POST /api/dashboards/db}, overwriting the dashboard with the same
 * uid) with a bearer token (a service account token). The token is sent in the Authorization header only: no
 * message, exception or log line holds it. A refused token (401, 403) is a configuration error (exit 78); a
 * Grafana that fails (5xx) or does not answer is exit 74; both stop at that dashboard and say which were pushed.
 */
public final class GrafanaPush {

    private final URI base;
    private final char[] token;
    private final HttpClient client;

    public GrafanaPush(URI base, char[] token) {
        this.base = base;
        this.token = token.clone();
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Checks the URL given to {@code --push}: http or https, a host, no credentials in it. */
    public static URI parse(String url) {
        URI uri;
        try {
            uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        } catch (IllegalArgumentException e) {
            throw new DbtoolException(ExitCodes.USAGE, "--push: not a URL; expected Grafana's address such as https://grafana.example.com", e);
        }
        if (uri.getScheme() == null || !List.of("http", "https").contains(uri.getScheme()) || uri.getHost() == null) {
            throw DbtoolException.usage("--push: expected Grafana's http(s) address such as https://grafana.example.com");
        }
        if (uri.getRawUserInfo() != null) {
            throw DbtoolException.usage("--push: the URL holds credentials; give the token in DBTOOL_GRAFANA_TOKEN or grafana.auth instead");
        }
        return uri;
    }

    /** Pushes each dashboard in order; returns the URLs Grafana gives them. */
    public List<String> push(List<JsonObject> dashboards) {
        List<String> pushed = new ArrayList<>();
        for (JsonObject dashboard : dashboards) {
            String title = dashboard.get("title").getAsString();
            JsonObject body = new JsonObject();
            JsonObject copy = dashboard.deepCopy();
            copy.add("id", null);
            body.add("dashboard", copy);
            body.addProperty("overwrite", true);
            body.addProperty("message", "dbtool monitoring dashboards");
            HttpRequest request = HttpRequest.newBuilder(base.resolve(base.getPath() + "/api/dashboards/db"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .header("Authorization", "Bearer " + new String(token))
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
            HttpResponse<String> response;
            try {
                response = client.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw failure(ExitCodes.IO_ERROR, title, "no answer (" + why(e) + ")", pushed, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure(ExitCodes.INTERRUPTED, title, "interrupted", pushed, e);
            }
            int status = response.statusCode();
            if (status == 401 || status == 403) {
                throw failure(ExitCodes.CONFIG, title, status + ": the token was refused (a service account token with the "
                        + "dashboards:write permission is needed)", pushed, null);
            }
            if (status / 100 != 2) {
                throw failure(ExitCodes.IO_ERROR, title, "Grafana answered " + status, pushed, null);
            }
            pushed.add(base + answeredUrl(response.body()));
        }
        return pushed;
    }

    private static String why(IOException e) {
        if (e instanceof ConnectException) {
            return "connection refused or unreachable";
        }
        if (e instanceof HttpTimeoutException) {
            return "timed out";
        }
        return e.getMessage() == null ? "connection failed" : e.getMessage().replaceAll("\\s+", " ");
    }

    private static String answeredUrl(String body) {
        try {
            JsonObject json = JsonParser.parseString(body).getAsJsonObject();
            return json.has("url") ? json.get("url").getAsString() : "";
        } catch (RuntimeException e) {
            return "";
        }
    }

    private DbtoolException failure(int code, String title, String what, List<String> pushed, Exception cause) {
        return new DbtoolException(code, "--push " + base + ": dashboard '" + title + "' not imported: " + what
                + (pushed.isEmpty() ? "" : " (" + pushed.size() + " imported before it)"), cause);
    }
}
