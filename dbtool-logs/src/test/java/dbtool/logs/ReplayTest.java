package dbtool.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dbtool.plugin.postgres.PostgresPlugin;
import dbtool.plugin.postgres.demo.LocalCluster;
import dbtool.spi.EnginePlugin;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Session replay end to end on real clusters: a workload (pgbench with the extended protocol, and a
 * scripted application with transactions, an error, a statement that sleeps and a lock wait) runs on a
 * source logging csvlog; its capture is replayed on a second cluster whose orders table lacks the
 * index the workload's lookups use and whose database has a statement_timeout the sleeping statement
 * exceeds. The report must show the lookup's regression, the new timeouts and the lock wait.
 */
class ReplayTest {

    static final List<EnginePlugin> ENGINES = List.of(new PostgresPlugin());
    static final String LOOKUP = "SELECT count(*) FROM orders WHERE customer = ?";
    static LocalCluster source;
    static LocalCluster target;
    static Path csvlog;
    static Instant workloadStart;

    @TempDir
    static Path home;

    @BeforeAll
    static void captureAWorkload() throws Exception {
        source = LocalCluster.start(LocalCluster.Settings.defaults().withConfig(
                "logging_collector = on", "log_destination = 'csvlog'", "log_directory = 'log'", "log_filename = 'pg'",
                "log_min_duration_statement = 0", "log_connections = on", "log_disconnections = on", "lc_messages = 'C'"));
        target = LocalCluster.start(LocalCluster.Settings.defaults());
        for (LocalCluster cluster : List.of(source, target)) {
            cluster.execute("postgres", "CREATE TABLE orders (id int PRIMARY KEY, customer int, note text)",
                    "INSERT INTO orders SELECT g, g % 5000, 'n' FROM generate_series(1, 300000) g", "ANALYZE orders");
            pgbench(cluster, "-i", "-s", "1", "-q");
        }
        source.execute("postgres", "CREATE INDEX orders_customer ON orders (customer)"); // the target lacks it
        target.execute("postgres", "ALTER DATABASE postgres SET statement_timeout = '300ms'"); // and has a setting changed
        Thread.sleep(1100); // the log's times have milliseconds: the set-up stays before --since
        workloadStart = Instant.now();
        Thread.sleep(20);
        List<Thread> app = new ArrayList<>();
        app.add(Thread.ofPlatform().start(() -> pgbench(source, "-c", "2", "-t", "40", "-M", "extended", "-n")));
        app.add(Thread.ofPlatform().start(ReplayTest::lookups));
        app.add(Thread.ofPlatform().start(ReplayTest::transactions));
        app.add(Thread.ofPlatform().start(ReplayTest::lockHolder));
        Thread.sleep(300);
        app.add(Thread.ofPlatform().start(ReplayTest::lockWaiter));
        for (Thread thread : app) {
            thread.join();
        }
        csvlog = source.dataDirectory().resolve("log/pg.csv");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!(Files.exists(csvlog) && Files.readString(csvlog).contains("-- the waiter's end")) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        Thread.sleep(500); // its disconnection follows
    }

    @AfterAll
    static void stop() {
        for (LocalCluster cluster : Arrays.asList(source, target)) {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    private static void pgbench(LocalCluster cluster, String... args) {
        List<String> command = new ArrayList<>(List.of(cluster.binaries().resolve("pgbench").toString(), "-h", "127.0.0.1",
                "-p", Integer.toString(cluster.port()), "-U", "postgres"));
        command.addAll(List.of(args));
        command.add("postgres");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("pgbench failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Extended protocol with a bind parameter: an index lookup on the source, a scan of 300,000 rows on the target. */
    private static void lookups() {
        try (Connection c = source.connect("postgres", "postgres", null, "shop"); PreparedStatement lookup = c.prepareStatement(LOOKUP)) {
            for (int i = 0; i < 30; i++) {
                lookup.setInt(1, i * 7);
                lookup.executeQuery().close();
                Thread.sleep(20);
            }
        } catch (SQLException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Transactions (explicit and the driver's), an error the capture has (division by zero), a sleep the target's timeout cuts. */
    private static void transactions() {
        try (Connection c = source.connect("postgres", "postgres", null, "shop"); Statement s = c.createStatement()) {
            for (int i = 1; i <= 5; i++) {
                s.execute("BEGIN");
                s.execute("UPDATE orders SET note = 'paid " + i + "' WHERE id = " + i);
                s.execute("COMMIT");
            }
            try {
                s.execute("SELECT 1 / 0");
            } catch (SQLException expected) {
                // the capture's own error: on the replay too, so not a new one
            }
            for (int i = 0; i < 3; i++) {
                s.execute("SELECT pg_sleep(0.4)");
            }
            c.setAutoCommit(false);
            try (PreparedStatement p = c.prepareStatement("UPDATE orders SET note = ? WHERE id = ?")) {
                p.setString(1, "it's shipped");
                p.setInt(2, 10);
                p.executeUpdate();
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Holds a row lock for 1.5 s (its own statement_timeout off, so that the target's does not cut it). */
    private static void lockHolder() {
        try (Connection c = source.connect("postgres", "postgres", null, "shop"); Statement s = c.createStatement()) {
            s.execute("SET statement_timeout = 0");
            s.execute("BEGIN");
            s.execute("UPDATE orders SET note = 'held' WHERE id = 100");
            s.execute("SELECT pg_sleep(1.5)");
            s.execute("COMMIT");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void lockWaiter() {
        try (Connection c = source.connect("postgres", "postgres", null, "shop"); Statement s = c.createStatement()) {
            s.execute("SET statement_timeout = 0");
            s.execute("UPDATE orders SET note = 'waited' WHERE id = 100");
            s.execute("SELECT 1 -- the waiter's end");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path capture(String name) {
        Path capture = home.resolve(name);
        LogsRun run = LogsRun.command(home, ENGINES, "replay", "capture", csvlog.toString(), "--since", workloadStart.toString(),
                "--source", source.url("postgres"), "--out", capture.toString());
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().matches("(?s)captured \\d+ statements of \\d+ sessions.*"), run.toString());
        return capture;
    }

    @Test
    void theReportShowsTheMissingIndexTheNewTimeoutsAndTheLockWait() throws IOException {
        Path capture = capture("capture.dbr");
        String events = gunzip(capture);
        // the extended protocol's bind parameters, as the parameters: DETAIL gave them (a quote inside a value too)
        assertTrue(events.contains("\"sql\":\"SELECT count(*) FROM orders WHERE customer = $1\",\"params\":[\"7\"]"), events);
        assertTrue(events.contains("\"params\":[\"it's shipped\",\"10\"]"), events);
        assertTrue(events.contains("\"error\":\"22012\""), "the division by zero is captured as an error");
        assertTrue(events.contains("\"kind\":\"connect\"") && events.contains("\"kind\":\"disconnect\""), events);

        Path runFile = home.resolve("run.json");
        LogsRun run = LogsRun.command(home, ENGINES, "replay", "run", capture.toString(), "--against", target.url("postgres"),
                "--speed", "2", "--yes", "--out", runFile.toString());
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().startsWith("replayed "), run.toString());

        LogsRun report = LogsRun.command(home, ENGINES, "replay", "report", capture.toString(), runFile.toString(), "--format", "json");
        assertEquals(2, report.exitCode(), report.toString()); // CRITICAL: new errors
        JsonObject regressions = report.finding("REPLAY_REGRESSIONS");
        assertNotNull(regressions, report.toString());
        assertTrue(regressions.getAsJsonObject("evidence").toString().contains("FROM orders WHERE customer = $<*>"), regressions.toString());
        JsonObject fresh = report.finding("REPLAY_NEW_ERRORS");
        assertNotNull(fresh, report.toString());
        String newErrors = fresh.getAsJsonObject("evidence").toString();
        assertTrue(newErrors.contains("57014") && newErrors.contains("pg_sleep"), newErrors);
        assertTrue(!newErrors.contains("22012"), "the capture's own division by zero is no new error: " + newErrors);
        assertNotNull(report.finding("REPLAY_LOCK_WAITS"), report.toString());
        JsonObject summary = report.finding("REPLAY_SUMMARY");
        assertTrue(summary.get("title").getAsString().matches("\\d+ of \\d+ captured statements replayed in \\d+ templates"), summary.toString());

        LogsRun text = LogsRun.command(home, ENGINES, "replay", "report", capture.toString(), runFile.toString(), "--no-color");
        assertEquals(2, text.exitCode(), text.toString());
        assertTrue(text.out().contains("REPLAY_REGRESSIONS") && text.out().contains("Templates (captured / replayed, ms)"), text.out());
    }

    @Test
    void aTruncatedCaptureIsOneLineNamingTheFile() throws IOException {
        Path capture = capture("whole.dbr");
        byte[] bytes = Files.readAllBytes(capture);
        Path cut = home.resolve("cut.dbr");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length * 2 / 3));
        Path runFile = home.resolve("never.json");
        LogsRun run = LogsRun.command(home, ENGINES, "replay", "report", cut.toString(), runFile.toString());
        assertEquals(66, run.exitCode(), run.toString());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertTrue(run.err().contains(cut + ": truncated"), run.err());
    }

    @Test
    void theSourceIsRefusedUnlessSaidSo() {
        Path capture = capture("source.dbr");
        LogsRun run = LogsRun.command(home, ENGINES, "replay", "run", capture.toString(), "--against", source.url("postgres"),
                "--yes", "--out", home.resolve("source.json").toString());
        assertEquals(64, run.exitCode(), run.toString());
        assertTrue(run.err().contains("is the capture's source") && run.err().contains("--i-know-this-is-the-source"), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertTrue(Files.notExists(home.resolve("source.json")));
    }

    @Test
    void aTargetThatRefusesTheLoginIsOneLine() {
        Path capture = capture("refused.dbr");
        String url = "postgresql://ghost:wrong-password@127.0.0.1:" + target.port() + "/postgres";
        LogsRun run = LogsRun.command(home, ENGINES, "replay", "run", capture.toString(), "--against", url, "--yes",
                "--out", home.resolve("refused.json").toString());
        assertEquals(78, run.exitCode(), run.toString());
        assertTrue(run.err().contains("the login is refused"), run.err());
        assertTrue(!run.err().contains("wrong-password"), "no secret printed: " + run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
    }

    @Test
    void aLogWithoutTheNeededSettingsSaysWhichIsMissing() throws IOException {
        // the source's real log as if log_connections were off: its statements, no connection line
        Path noConnections = home.resolve("no-connections.csv");
        List<String> kept = new ArrayList<>();
        for (String line : Files.readAllLines(csvlog)) {
            if (!line.contains("connection authorized")) {
                kept.add(line);
            }
        }
        Files.write(noConnections, kept);
        LogsRun run = LogsRun.command(home, ENGINES, "replay", "capture", noConnections.toString(), "--out", home.resolve("x.dbr").toString());
        assertEquals(78, run.exitCode(), run.toString());
        assertTrue(run.err().contains("log_connections = on"), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertTrue(Files.notExists(home.resolve("x.dbr")), "a failed capture leaves no file");

        Path stderrLog = home.resolve("stderr.log");
        Files.writeString(stderrLog, "2026-12-07 10:00:00.000 UTC [42] postgres@postgres LOG:  connection authorized: user=postgres\n");
        LogsRun stderr = LogsRun.command(home, ENGINES, "replay", "capture", stderrLog.toString(), "--out", home.resolve("y.dbr").toString());
        assertEquals(78, stderr.exitCode(), stderr.toString());
        assertTrue(stderr.err().contains("not a PostgreSQL csvlog or jsonlog"), stderr.err());
    }

    @Test
    void prepareOnlyPrintsTheSettings() {
        LogsRun run = LogsRun.command(home, ENGINES, "replay", "prepare", "orders");
        assertEquals(0, run.exitCode(), run.toString());
        for (String setting : List.of("log_destination = 'csvlog'", "log_min_duration_statement = 0", "log_connections = on",
                "log_disconnections = on")) {
            assertTrue(run.out().contains(setting), run.out());
        }
    }

    private static String gunzip(Path file) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
