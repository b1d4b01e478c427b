package dbtool.testkit.prometheus;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dbtool.testkit.LocalServers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway Prometheus server from the machine's own binaries (Debian's {@code prometheus}
 * package; scripts/env.sh installs it when missing), on a free loopback port with its storage in a
 * temp dir, scraping the given loopback targets every second. Stopped and deleted on {@link #close}.
 * {@link #checkMetrics(String)} runs {@code promtool check metrics}, the linter Prometheus ships.
 */
public final class LocalPrometheus implements AutoCloseable {

    private final Path directory;
    private final int port;
    private final Process process;

    private LocalPrometheus(Path directory, int port, Process process) {
        this.directory = directory;
        this.port = port;
        this.process = process;
    }

    /** Whether this machine has the prometheus and promtool binaries. */
    public static boolean available() {
        return binary("prometheus") != null && binary("promtool") != null;
    }

    /**
     * @param job     the job label of the scraped targets
     * @param targets HOST:PORT of each target, scraped at /metrics every second
     */
    public static LocalPrometheus start(String job, List<String> targets) throws IOException, InterruptedException {
        Path prometheus = binary("prometheus");
        if (prometheus == null) {
            throw new IllegalStateException("no prometheus binary: install Debian's prometheus package (scripts/env.sh does when it may)");
        }
        Path directory = Files.createTempDirectory("dbtool-prometheus-");
        try {
            Path config = directory.resolve("prometheus.yml");
            Files.writeString(config, """
                    global:
                      scrape_interval: 1s
                      evaluation_interval: 1s
                    scrape_configs:
                      - job_name: %s
                        scrape_timeout: 1s
                        static_configs:
                          - targets: [%s]
                    """.formatted(job, String.join(", ", targets.stream().map(t -> "'" + t + "'").toList())));
            int port = LocalServers.freePort();
            Process process = new ProcessBuilder(prometheus.toString(), "--config.file=" + config,
                    "--storage.tsdb.path=" + directory.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                    "--log.level=warn")
                    .redirectErrorStream(true).redirectOutput(directory.resolve("prometheus.log").toFile()).start();
            LocalPrometheus server = new LocalPrometheus(directory, port, process);
            server.awaitReady(Duration.ofSeconds(30));
            return server;
        } catch (IOException | InterruptedException | RuntimeException e) {
            LocalServers.deleteTree(directory);
            throw e;
        }
    }

    public int port() {
        return port;
    }

    /**
     * Runs an instant PromQL query over the HTTP API ({@code /api/v1/query}) and returns the result
     * vector: one object per series, with {@code metric} (its labels) and {@code value} ([time, "value"]).
     */
    public JsonArray query(String promql) throws IOException {
        String body = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        JsonObject response = JsonParser.parseString(body).getAsJsonObject();
        if (!"success".equals(response.get("status").getAsString())) {
            throw new IOException("query " + promql + " failed: " + body);
        }
        return response.getAsJsonObject("data").getAsJsonArray("result");
    }

    /** The scrape targets' health as Prometheus sees it ({@code /api/v1/targets}), for failure messages. */
    public String targets() throws IOException {
        return get("/api/v1/targets");
    }

    /** {@code promtool check metrics} on an exposition: the linter's complaints, empty when there are none. */
    public static String checkMetrics(String exposition) throws IOException, InterruptedException {
        Path promtool = binary("promtool");
        if (promtool == null) {
            throw new IllegalStateException("no promtool binary: install Debian's prometheus package");
        }
        Process process = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(exposition.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("promtool check metrics did not finish within 30 s");
        }
        return process.exitValue() == 0 ? "" : output.strip();
    }

    private String get(String pathAndQuery) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + pathAndQuery).toURL().openConnection();
        connection.setConnectTimeout(2000);
        connection.setReadTimeout(5000);
        try (InputStream in = connection.getResponseCode() < 400 ? connection.getInputStream() : connection.getErrorStream()) {
            return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            connection.disconnect();
        }
    }

    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("prometheus exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                if (get("/-/ready").contains("Ready")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IOException("prometheus was not ready within " + timeout.toSeconds() + " s:\n" + log());
    }

    /** The server's own log, for failure messages. */
    public String log() {
        try {
            return Files.readString(directory.resolve("prometheus.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        LocalServers.deleteTree(directory);
    }

    private static Path binary(String name) {
        for (String dir : List.of("/usr/bin", "/usr/local/bin", "/usr/sbin")) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
