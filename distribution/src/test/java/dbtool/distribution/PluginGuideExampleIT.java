package dbtool.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.testkit.DbtoolBundle;
import dbtool.testkit.ProcessResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin guide's complete example (docs/plugins.md, "A complete example: a Redis plugin", and
 * the Book's plugin chapter) is the code a reader copies: its Java blocks are taken from the page
 * as they stand, compiled against this build's dbtool-core into a modular jar with the manifest
 * the page gives, dropped into a plugin folder, and run by the built bundle against a Redis
 * stand-in on loopback that answers PING. A page that no longer compiles or loads fails here.
 */
class PluginGuideExampleIT {

    private static final Path GUIDE = Path.of("").toAbsolutePath().getParent().resolve("docs").resolve("plugins.md");

    @TempDir
    static Path work;
    static Path plugins;

    @TempDir
    Path home;

    @BeforeAll
    static void buildTheExample() throws Exception {
        plugins = Files.createDirectories(work.resolve("plugins"));
        PluginJars.modularJar(work, "com.example.dbtool.redis", sources(), List.of(), plugins.resolve("redis").resolve("redis.jar"),
                Map.of("Dbtool-Engine", "redis", "Dbtool-Schemes", "redis"));
    }

    /** The example's Java blocks, by their path in the module (module-info.java, com/example/.../X.java). */
    static Map<String, String> sources() throws IOException {
        String page = Files.readString(GUIDE);
        int start = page.indexOf("## A complete example: a Redis plugin");
        int end = page.indexOf("### Building it", start);
        assertTrue(start >= 0 && end > start, "docs/plugins.md lost its Redis example section");
        Map<String, String> sources = new TreeMap<>();
        Matcher block = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(page.substring(start, end));
        Pattern type = Pattern.compile("(?m)^(?:public )?(?:final )?(?:class|record|interface|enum) (\\w+)");
        Pattern pkg = Pattern.compile("(?m)^package ([\\w.]+);");
        while (block.find()) {
            String code = block.group(1);
            Matcher name = type.matcher(code);
            Matcher in = pkg.matcher(code);
            if (code.contains("module com.example")) {
                sources.put("module-info.java", code);
            } else if (name.find() && in.find()) {
                sources.put(in.group(1).replace('.', '/') + "/" + name.group(1) + ".java", code);
            }
        }
        assertEquals(List.of("com/example/dbtool/redis/PingCheck.java", "com/example/dbtool/redis/RedisPlugin.java",
                "com/example/dbtool/redis/RedisSession.java", "module-info.java"), List.copyOf(sources.keySet()));
        return sources;
    }

    private DbtoolBundle bundle() {
        return DbtoolBundle.locate(home).env("DBTOOL_PLUGIN_PATH", plugins.toString());
    }

    @Test
    void theExampleLoadsAndListsItsCheckAndThreshold() {
        ProcessResult checks = bundle().run("checks", "redis");
        assertEquals(0, checks.exitCode(), checks.describe());
        assertTrue(checks.stdout().lines().anyMatch(l -> l.matches("redis\\s+ping\\s+connectivity\\s+TCP connect and PING round trip")),
                checks.stdout());
        assertTrue(checks.stdout().contains("redis_ping_warning_ms"), checks.stdout());
    }

    @Test
    void aServerThatAnswersPingIsOk() throws Exception {
        try (RedisStandIn redis = new RedisStandIn("+PONG")) {
            ProcessResult result = bundle().run("troubleshoot", "redis://127.0.0.1:" + redis.port(), "--format", "json");
            assertEquals(0, result.exitCode(), result.describe());
            assertTrue(result.stdout().contains("\"ping_ms\""), result.stdout());
        }
    }

    @Test
    void aServerThatWantsAuthIsTheExamplesWarning() throws Exception {
        try (RedisStandIn redis = new RedisStandIn("-NOAUTH Authentication required.")) {
            ProcessResult result = bundle().run("troubleshoot", "redis://127.0.0.1:" + redis.port());
            assertEquals(1, result.exitCode(), result.describe());
            assertTrue(result.stdout().contains("REDIS_AUTH_REQUIRED"), result.stdout());
        }
    }

    @Test
    void nothingListeningIsCritical() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        ProcessResult result = bundle().run("troubleshoot", "redis://127.0.0.1:" + port);
        assertEquals(2, result.exitCode(), result.describe());
        assertTrue(result.stdout().contains("REDIS_CONNECTION_REFUSED"), result.stdout());
    }

    /** Answers every line it reads with one fixed reply, as Redis answers PING (or refuses it without AUTH). */
    private static final class RedisStandIn implements AutoCloseable {
        private final ServerSocket server;
        private final Thread acceptor;

        RedisStandIn(String reply) throws IOException {
            server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
            acceptor = Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket client = server.accept();
                        Thread.ofVirtual().start(() -> answer(client, reply));
                    } catch (IOException e) {
                        return; // closed
                    }
                }
            });
        }

        private static void answer(Socket client, String reply) {
            try (client; var in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8))) {
                OutputStream out = client.getOutputStream();
                while (in.readLine() != null) {
                    out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            } catch (IOException e) {
                // the client went away
            }
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
            try {
                acceptor.join(2000);
            } catch (InterruptedException e) {
                // javac's try lint: a close() that throws InterruptedException would swallow an interrupt
                Thread.currentThread().interrupt();
            }
        }
    }
}
