package dbtool.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.Environment;
import dbtool.core.cli.CommandContext;
import dbtool.core.plugin.PluginRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.commons.cli.DefaultParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** POST /-/reload (and SIGHUP, which calls the same) serves the new file's targets, or keeps the old ones when it is broken. */
class ReloadTest {

    @TempDir
    Path home;

    @Test
    void aReloadServesTheNewTargetsAndABrokenFileChangesNothing() throws Exception {
        Path config = home.resolve("config.json");
        Files.writeString(config, "{\"targets\": {\"orders\": {\"url\": \"postgresql://127.0.0.1:1/x\"}}}");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandContext context = new CommandContext(new Environment(Map.of("DBTOOL_CONFIG", config.toString()), home, "Linux", null),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), false)
                .withPlugins(PluginRegistry.ofLoaded(List.of()));
        try (Serving serving = Serving.start(new DefaultParser().parse(new ServeCommand().options(),
                new String[] {"--listen", "127.0.0.1:0", "--interval", "1s", "--access-log", "off"}), context)) {
            HttpClient client = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + serving.address().getPort();

            Files.writeString(config, "{\"targets\": {\"billing\": {\"url\": \"postgresql://127.0.0.1:1/y\"},"
                    + " \"ledger\": {\"url\": \"postgresql://127.0.0.1:1/z\"}}}");
            HttpResponse<String> reloaded = client.send(HttpRequest.newBuilder(URI.create(base + "/-/reload"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, reloaded.statusCode(), reloaded.body());
            assertEquals("{\"reloaded\":true,\"targets\":2}\n", reloaded.body());
            String targets = client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/targets")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(targets.contains("billing") && targets.contains("ledger") && !targets.contains("orders"), targets);

            Files.writeString(config, "{\"targets\": {\"billing\": ");
            HttpResponse<String> broken = client.send(HttpRequest.newBuilder(URI.create(base + "/-/reload"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(500, broken.statusCode());
            assertTrue(broken.body().contains("reload failed, the previous configuration stays: ") && broken.body().contains("config.json"),
                    broken.body());
            String still = client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/targets")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(still.contains("billing") && still.contains("ledger"), still);
        }
    }
}
