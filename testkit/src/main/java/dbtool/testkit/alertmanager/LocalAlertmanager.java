package dbtool.testkit.alertmanager;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dbtool.testkit.LocalServers;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus Alertmanager (Debian's {@code prometheus-alertmanager}, which scripts/env.sh installs)
 * on a free loopback port, with one route to a webhook: what {@code dbtool serve} receives in production.
 * Clustering is off and grouping waits nothing, so an alert posted to its API is delivered at once.
 */
public final class LocalAlertmanager implements AutoCloseable {

    private final Path directory;
    private final Process process;
    private final int port;
    private final HttpClient client = HttpClient.newHttpClient();

    private LocalAlertmanager(Path directory, Process process, int port) {
        this.directory = directory;
        this.process = process;
        this.port = port;
    }

    /** The binary: {@code ALERTMANAGER_BIN}, else Debian's, else one named alertmanager on the PATH; null when none. */
    public static Path binary() {
        String configured = System.getenv("ALERTMANAGER_BIN");
        if (configured != null && Files.isExecutable(Path.of(configured))) {
            return Path.of(configured);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            for (String name : List.of("prometheus-alertmanager", "alertmanager")) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    /**
     * Starts Alertmanager with one receiver whose webhook posts to {@code webhookUrl} with the bearer
     * token (Alertmanager's http_config.authorization), resolved alerts included.
     */
    public static LocalAlertmanager start(String webhookUrl, String bearerToken) throws IOException, InterruptedException {
        Path binary = binary();
        if (binary == null) {
            throw new IllegalStateException("no Alertmanager: install Debian's prometheus-alertmanager (scripts/env.sh does when it may)"
                    + " or set ALERTMANAGER_BIN");
        }
        Path directory = Files.createTempDirectory("dbtool-alertmanager-");
        try {
            Files.writeString(directory.resolve("alertmanager.yml"), """
                    route:
                      receiver: dbtool
                      group_by: ['...']
                      group_wait: 0s
                      group_interval: 1s
                      repeat_interval: 1h
                    receivers:
                      - name: dbtool
                        webhook_configs:
                          - url: '%s'
                            send_resolved: true
                            http_config:
                              authorization:
                                credentials: '%s'
                    """.formatted(webhookUrl, bearerToken));
            int port = LocalServers.freePort();
            Process process = new ProcessBuilder(binary.toString(), "--config.file=" + directory.resolve("alertmanager.yml"),
                    "--storage.path=" + directory.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                    "--cluster.listen-address=", "--log.level=warn")
                    .redirectErrorStream(true).redirectOutput(directory.resolve("alertmanager.log").toFile()).start();
            LocalAlertmanager alertmanager = new LocalAlertmanager(directory, process, port);
            alertmanager.awaitReady(Duration.ofSeconds(30));
            return alertmanager;
        } catch (IOException | InterruptedException | RuntimeException e) {
            LocalServers.deleteTree(directory);
            throw e;
        }
    }

    public int port() {
        return port;
    }

    /**
     * Posts one firing alert to Alertmanager's API ({@code POST /api/v2/alerts}), as Prometheus does;
     * Alertmanager then delivers it to the webhook.
     */
    public void fire(Map<String, String> labels, Map<String, String> annotations) throws IOException, InterruptedException {
        post(labels, annotations, null);
    }

    /**
     * Ends a firing alert as Prometheus does when its condition clears: the same labels with {@code endsAt}
     * now; Alertmanager then delivers it as resolved ({@code send_resolved}) at the next group interval.
     */
    public void resolve(Map<String, String> labels, Map<String, String> annotations) throws IOException, InterruptedException {
        post(labels, annotations, Instant.now());
    }

    private void post(Map<String, String> labels, Map<String, String> annotations, Instant endsAt) throws IOException, InterruptedException {
        JsonObject alert = new JsonObject();
        JsonObject labelObject = new JsonObject();
        labels.forEach(labelObject::addProperty);
        JsonObject annotationObject = new JsonObject();
        annotations.forEach(annotationObject::addProperty);
        alert.add("labels", labelObject);
        alert.add("annotations", annotationObject);
        alert.addProperty("startsAt", (endsAt == null ? Instant.now() : endsAt.minusSeconds(1)).toString());
        if (endsAt != null) {
            alert.addProperty("endsAt", endsAt.toString());
        }
        alert.addProperty("generatorURL", "http://prometheus.test/graph");
        JsonArray alerts = new JsonArray();
        alerts.add(alert);
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v2/alerts"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(alerts.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("Alertmanager refused the alert: " + response.statusCode() + " " + response.body());
        }
    }

    /** The tail of Alertmanager's log, for failure messages. */
    public String log() {
        try {
            List<String> lines = Files.readAllLines(directory.resolve("alertmanager.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IOException("Alertmanager exited with " + process.exitValue() + ": " + log());
            }
            try {
                HttpResponse<Void> ready = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        close();
        throw new IOException("Alertmanager not ready within " + timeout.toSeconds() + " s: " + log());
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        LocalServers.deleteTree(directory);
    }
}
