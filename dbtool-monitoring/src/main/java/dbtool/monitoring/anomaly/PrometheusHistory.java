package dbtool.monitoring.anomaly;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Metric history from Prometheus's HTTP API ({@code GET /api/v1/query_range}), when the configuration names
 * {@code "prometheus": {"url": "..."}}: a fleet's history lives in the Prometheus that scrapes {@code dbtool serve}.
 * One query for all the families of a target per period the detector needs, at a 5-minute step (as the state store keeps
 * them).
 */
public final class PrometheusHistory implements HistorySource {

    static final Duration STEP = Duration.ofMinutes(5);
    private static final Pattern SAFE = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private final URI base;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final Duration timeout;

    public PrometheusHistory(URI base, Duration timeout) {
        this.base = base;
        this.timeout = timeout;
    }

    @Override
    public Optional<Instant> oldest(String target) throws IOException, InterruptedException {
        // dbtool_target_up exists for every run of the target: its first hourly sample in the window is where history starts
        Instant end = Instant.now();
        JsonArray result = queryRange("dbtool_target_up{target=\"" + escape(target) + "\"}", end.minus(AnomalyDetector.Settings.defaults().window()),
                end, Duration.ofHours(1));
        Instant oldest = null;
        for (JsonElement series : result) {
            JsonArray values = series.getAsJsonObject().getAsJsonArray("values");
            if (!values.isEmpty()) {
                Instant first = instant(values.get(0));
                oldest = (oldest == null || first.isBefore(oldest)) ? first : oldest;
            }
        }
        return Optional.ofNullable(oldest);
    }

    @Override
    public Map<String, List<Point>> history(String target, Set<String> families, List<Period> periods) throws IOException, InterruptedException {
        Map<String, List<Point>> history = new LinkedHashMap<>();
        List<String> names = families.stream().filter(f -> SAFE.matcher(f).matches()).sorted().toList();
        if (names.isEmpty()) {
            return history;
        }
        // max by name: one series per family even when several checks or replicas export it
        String query = "max by (__name__) ({__name__=~\"" + String.join("|", names) + "\",target=\"" + escape(target) + "\"})";
        for (Period period : periods.stream().sorted(Comparator.comparing(Period::from)).toList()) {
            for (JsonElement series : queryRange(query, period.from(), period.to().minusMillis(1), STEP)) {
                JsonObject object = series.getAsJsonObject();
                JsonElement name = object.getAsJsonObject("metric").get("__name__");
                if (name == null) {
                    continue;
                }
                List<Point> points = history.computeIfAbsent(name.getAsString(), n -> new ArrayList<>());
                for (JsonElement value : object.getAsJsonArray("values")) {
                    points.add(new Point(instant(value), Double.parseDouble(value.getAsJsonArray().get(1).getAsString())));
                }
            }
        }
        return history;
    }

    private JsonArray queryRange(String query, Instant start, Instant end, Duration step) throws IOException, InterruptedException {
        String url = base + "/api/v1/query_range?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)
                + "&start=" + start.getEpochSecond() + "&end=" + end.getEpochSecond() + "&step=" + step.toSeconds();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("Prometheus " + base + " answered " + response.statusCode());
        }
        return JsonParser.parseString(response.body()).getAsJsonObject().getAsJsonObject("data").getAsJsonArray("result");
    }

    private static Instant instant(JsonElement value) {
        return Instant.ofEpochMilli((long) (value.getAsJsonArray().get(0).getAsDouble() * 1000));
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    @Override
    public String description() {
        return "Prometheus " + base;
    }
}
