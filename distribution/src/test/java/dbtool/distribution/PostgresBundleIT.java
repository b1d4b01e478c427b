package dbtool.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dbtool.plugin.postgres.demo.Incident;
import dbtool.plugin.postgres.demo.LocalCluster;
import dbtool.testkit.DbtoolBundle;
import dbtool.testkit.ProcessResult;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built bundle against a real PostgreSQL: launcher, module path, plugin layer and driver together. */
class PostgresBundleIT {

    static LocalCluster cluster;
    static Incident incident;
    static int head;

    @TempDir
    Path home;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalCluster.start(LocalCluster.Settings.defaults());
        cluster.execute("postgres", "CREATE DATABASE shop", "CREATE ROLE monitor LOGIN PASSWORD 'Sup3r-Secret-Pw' IN ROLE pg_monitor");
        incident = new Incident(cluster, "shop");
        head = incident.blockingChain("accounts", 3);
    }

    @AfterAll
    static void stop() {
        incident.close();
        cluster.close();
    }

    @Test
    void troubleshootAsJsonFollowsTheContractAndExitsCritical() {
        ProcessResult result = DbtoolBundle.locate(home).run("troubleshoot", cluster.url("shop"), "--format", "json");

        assertEquals(2, result.exitCode(), result.describe());
        JsonObject report = JsonParser.parseString(result.stdout()).getAsJsonObject();
        assertEquals(1, report.get("schemaVersion").getAsInt());
        assertEquals("CRITICAL", report.get("status").getAsString());
        assertEquals("postgresql", report.getAsJsonObject("target").get("engine").getAsString());
        JsonObject chain = JsonReports.finding(report, "PG_BLOCKING_CHAIN");
        assertEquals(head, chain.getAsJsonObject("evidence").getAsJsonArray("headBlockers").get(0).getAsInt());
        assertEquals("docs/playbooks/pg-blocking-chain.md", chain.get("playbook").getAsString());
        assertTrue(result.stderr().isBlank(), result.stderr());
    }

    @Test
    void textReportDrawsTheBlockingTreeAndSelectsByCategory() {
        ProcessResult result = DbtoolBundle.locate(home).run("troubleshoot", cluster.url("shop"), "--check", "locks");

        assertEquals(2, result.exitCode(), result.describe());
        assertTrue(result.stdout().contains("PG_BLOCKING_CHAIN"), result.stdout());
        assertTrue(result.stdout().contains("pid " + head + " idle in transaction"), result.stdout());
        assertTrue(result.stdout().contains("   └─ pid ") || result.stdout().contains("   `- pid "), "nested waiters are drawn as a tree");
        assertTrue(result.stdout().contains("SELECT pg_terminate_backend(" + head + ")"));
        assertFalse(result.stdout().contains("cache-hit"), "only the locks category ran");
        assertFalse(result.stdout().contains("\u001b["), "no colour when not on a terminal");
    }

    @Test
    void configuredTargetWithPasswordFromEnvironmentNeverShowsTheSecret() throws Exception {
        DbtoolBundle bundle = DbtoolBundle.locate(home).env("SHOP_PG_PASSWORD", "Sup3r-Secret-Pw");
        Files.createDirectories(bundle.configFile().getParent());
        Files.writeString(bundle.configFile(), """
                {
                  // a monitoring role, password from the environment
                  "targets": {
                    "shop-db": {
                      "url": "postgresql://127.0.0.1:%d/shop",
                      "auth": {"method": "password", "user": "monitor", "passwordEnv": "SHOP_PG_PASSWORD"},
                      "tags": ["test"]
                    }
                  }
                }
                """.formatted(cluster.port()));

        ProcessResult result = bundle.run("troubleshoot", "shop-db", "--format", "json");
        ProcessResult listing = bundle.run("targets");

        assertEquals(2, result.exitCode(), result.describe());
        assertTrue(result.stdout().contains("authenticated as monitor"), result.stdout());
        assertFalse((result.stdout() + result.stderr() + listing.stdout() + listing.stderr()).contains("Sup3r-Secret-Pw"));
        assertTrue(listing.stdout().contains("shop-db"), listing.stdout());
    }

    @Test
    void shellFedByStdinRunsSeveralTroubleshoots() {
        String commands = "troubleshoot " + cluster.url("shop") + " --check connection\n"
                + "troubleshoot " + cluster.url("shop") + " --check blocking --format json\n";
        ProcessResult result = DbtoolBundle.locate(home).run(commands, Duration.ofSeconds(60));

        assertEquals(2, result.exitCode(), "the last command's status: " + result.describe());
        assertTrue(result.stdout().contains("PG_CONNECTED"), result.stdout());
        assertTrue(result.stdout().contains("\"code\": \"PG_BLOCKING_CHAIN\""), result.stdout());
        assertTrue(result.stderr().isBlank(), "no terminal warnings on piped input: " + result.stderr());
    }

    @Test
    void demoStagesAnIncidentDiagnosesItAndCleansUp() {
        ProcessResult result = DbtoolBundle.locate(home).run(null, Duration.ofSeconds(120), "demo", "--no-color");

        assertEquals(0, result.exitCode(), result.describe());
        assertTrue(result.stdout().contains("PG_BLOCKING_CHAIN"), result.stdout());
        assertTrue(result.stdout().contains("PG_LONG_QUERY"), result.stdout());
        assertTrue(result.stdout().contains("PG_CONNECTIONS_NEAR_LIMIT"), result.stdout());
        assertTrue(result.stderr().contains("stopped and removed"), result.stderr());
    }

    @Test
    void demoKeepLeavesTheIncidentUpForOtherCommandsUntilTerminated(@TempDir Path keepHome) throws Exception {
        DbtoolBundle bundle = DbtoolBundle.locate(keepHome);
        Path stderr = keepHome.resolve("demo.err");
        Process demo = bundle.start(stderr, "demo", "--keep", "--no-color");
        try {
            Matcher kept = waitForLine(stderr, Pattern.compile("at (postgresql://\\S+) until Ctrl-C"), demo);
            ProcessResult other = bundle.run(null, Duration.ofSeconds(60), "troubleshoot", kept.group(1), "--check", "blocking");
            assertEquals(2, other.exitCode(), other.describe());
            assertTrue(other.stdout().contains("PG_BLOCKING_CHAIN"), other.stdout());
            assertTrue(demo.isAlive(), "the demo waits until it is told to stop");
        } finally {
            demo.destroy();
        }
        assertTrue(demo.waitFor(30, TimeUnit.SECONDS), "a SIGTERM ends the kept demo");
        String port = Pattern.compile("on port (\\d+)").matcher(Files.readString(stderr)).results().findFirst().orElseThrow().group(1);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(port)), 2000);
            throw new AssertionError("the demo's server still listens on port " + port + " after the demo ended");
        } catch (ConnectException expected) {
            // stopped and removed by the demo's shutdown hook
        }
    }

    /** The first match of {@code pattern} in a file a process writes, waiting for it at most two minutes. */
    private static Matcher waitForLine(Path file, Pattern pattern, Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            String text = Files.exists(file) ? Files.readString(file) : "";
            Matcher m = pattern.matcher(text);
            if (m.find()) {
                return m;
            }
            if (!process.isAlive()) {
                throw new AssertionError("the process ended (exit " + process.exitValue() + ") before printing " + pattern + ": " + text);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + pattern + " within two minutes: " + Files.readString(file));
    }
}
