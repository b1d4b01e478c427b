package dbtool.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.testkit.DbtoolBundle;
import dbtool.testkit.ProcessResult;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 'dbtool alert' and the alert intake of 'dbtool serve' from the bundle: the command is in the runtime
 * image, and the embedded state store's H2, which is not (decision 0009), loads from store/.
 */
class AlertBundleIT {

    @TempDir
    Path home;

    @Test
    void aSimulatedAlertIsTroubleshotThroughTheLauncher() {
        ProcessResult result = DbtoolBundle.locate(home).run("alert", "--simulate", "PostgresqlDown", "postgresql://127.0.0.1:1/orders",
                "--format", "json");
        assertEquals(2, result.exitCode(), result.describe()); // nothing listens on port 1: the session fails, CRITICAL
        assertTrue(result.stdout().contains("\"kind\": \"alerts\"") && result.stdout().contains("\"state\": \"diagnosed\""), result.stdout());
    }

    @Test
    void serveStoresAnIncidentInTheEmbeddedStoreLoadedFromStoreFolder() throws Exception {
        DbtoolBundle bundle = DbtoolBundle.locate(home).env("XDG_DATA_HOME", home.resolve("data").toString());
        try (Stream<Path> store = Files.list(bundle.home().resolve("store"))) {
            assertTrue(store.anyMatch(p -> p.getFileName().toString().startsWith("h2-")), "H2 in store/, outside the runtime image");
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Process serve = bundle.start(home.resolve("serve.err"), "serve", "--listen", "127.0.0.1:" + port, "--interval", "1h");
        try {
            HttpClient client = HttpClient.newHttpClient();
            URI incidents = URI.create("http://127.0.0.1:" + port + "/api/v1/incidents");
            String listed = "";
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            boolean posted = false;
            while (System.nanoTime() < end && !listed.contains("\"state\":\"unrouted\"")) {
                try {
                    if (!posted) {
                        HttpResponse<String> accepted = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/alerts"))
                                .POST(HttpRequest.BodyPublishers.ofString("""
                                        {"version": "4", "status": "firing", "alerts": [{"status": "firing", "fingerprint": "b1",
                                          "labels": {"alertname": "PostgresqlDown", "instance": "nowhere:9187"}}]}""")).build(),
                                HttpResponse.BodyHandlers.ofString());
                        assertEquals(202, accepted.statusCode(), accepted.body());
                        posted = true;
                    }
                    listed = client.send(HttpRequest.newBuilder(incidents).build(), HttpResponse.BodyHandlers.ofString()).body();
                } catch (ConnectException notYet) {
                    // still starting
                }
                Thread.sleep(50);
            }
            assertTrue(listed.contains("\"alert\":\"PostgresqlDown\""), listed + "\n" + Files.readString(home.resolve("serve.err")));
            assertTrue(Files.exists(home.resolve("data/dbtool/state/dbtool.mv.db")), "the H2 file under the data directory");
        } finally {
            serve.destroy();
            serve.waitFor();
        }
    }
}
