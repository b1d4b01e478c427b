package dbtool.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dbtool.plugin.postgres.demo.LocalCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A real PostgreSQL writing its own log in all three formats at once (stderr with a custom
 * log_line_prefix, csvlog, jsonlog), with incidents staged against it: a deadlock, connection
 * exhaustion, failed logins, a statement timeout, a tiny max_wal_size forcing checkpoints, a query
 * on a missing table. {@code dbtool logs} must name each cause with its evidence, in every format.
 */
class PostgresLogIncidentsTest {

    static final String PREFIX = "%m [%p] %q%u@%d %h %e ";
    static LocalCluster cluster;
    static Path logs;

    @TempDir
    static Path home;

    @BeforeAll
    static void stageIncidents() throws Exception {
        cluster = LocalCluster.start(LocalCluster.Settings.defaults().withMaxConnections(8).withConfig(
                "logging_collector = on", "log_destination = 'stderr,csvlog,jsonlog'", "log_directory = 'log'",
                "log_filename = 'pg.log'", "log_rotation_size = 0", "log_line_prefix = '" + PREFIX + "'",
                "log_connections = on", "log_disconnections = on", "lc_messages = 'C'",
                "max_wal_size = '32MB'", "min_wal_size = '32MB'", "checkpoint_warning = '1h'", "deadlock_timeout = '100ms'"));
        logs = cluster.dataDirectory().resolve("log");
        cluster.execute("postgres", "CREATE ROLE app LOGIN PASSWORD 'right-password'", "CREATE TABLE accounts (id int PRIMARY KEY, v int)",
                "INSERT INTO accounts VALUES (1, 0), (2, 0)", "GRANT ALL ON accounts TO app",
                "CREATE TABLE filler (id int, pad text)");

        failedLogins(cluster, 3);
        // connection exhaustion: 8 slots less 3 reserved for superusers
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < 7; i++) {
                try {
                    held.add(cluster.connect("postgres", "app", "right-password", "dbtool-test"));
                } catch (SQLException refused) {
                    // 53300 once the slots are taken
                }
            }
        } finally {
            for (Connection c : held) {
                c.close();
            }
        }
        // a statement timeout and a query on a missing table
        try (Connection c = cluster.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("SET statement_timeout = '50ms'");
            try {
                s.execute("SELECT pg_sleep(2)");
            } catch (SQLException expected) {
                // 57014
            }
            s.execute("RESET statement_timeout");
            try {
                s.execute("SELECT * FROM missing_table");
            } catch (SQLException expected) {
                // 42P01
            }
        }
        deadlock(cluster);
        // checkpoints too frequent: WAL-driven checkpoints back to back with max_wal_size = 32MB
        for (int i = 0; i < 4; i++) {
            cluster.execute("postgres", "INSERT INTO filler SELECT g, repeat('x', 900) FROM generate_series(1, 40000) g");
        }
        // the logging collector writes asynchronously: wait for the last staged message
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.readString(logs.resolve("pg.log")).contains("checkpoints are occurring too frequently")
                && System.nanoTime() < deadline) {
            cluster.execute("postgres", "INSERT INTO filler SELECT g, repeat('x', 900) FROM generate_series(1, 40000) g");
        }
        Thread.sleep(300);
    }

    /** Wrong passwords for app from 127.0.0.1 (28P01); app must exist with another password. */
    static void failedLogins(LocalCluster cluster, int times) {
        for (int i = 0; i < times; i++) {
            try (Connection _ = cluster.connect("postgres", "app", "wrong-password", "dbtool-test")) {
                throw new AssertionError("a wrong password logged in");
            } catch (SQLException expected) {
                // 28P01
            }
        }
    }

    /** Two sessions of app updating accounts rows 1 and 2 in opposite orders: one is the deadlock victim. */
    static void deadlock(LocalCluster cluster) throws Exception {
        try (Connection a = cluster.connect("postgres", "app", "right-password", "deadlock-a");
             Connection b = cluster.connect("postgres", "app", "right-password", "deadlock-b")) {
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            a.createStatement().execute("UPDATE accounts SET v = v + 1 WHERE id = 1");
            b.createStatement().execute("UPDATE accounts SET v = v + 1 WHERE id = 2");
            // A thread of its own: on two cores the common pool has one thread, which a blocked task would hold.
            CompletableFuture<Void> first = CompletableFuture.runAsync(() -> update(a, 2), Thread.ofPlatform().daemon()::start);
            Thread.sleep(200);
            update(b, 1);
            first.get(10, TimeUnit.SECONDS);
        }
    }

    private static void update(Connection c, int id) {
        try (Statement s = c.createStatement()) {
            s.execute("UPDATE accounts SET v = v + 1 WHERE id = " + id);
            c.commit();
        } catch (SQLException e) {
            try {
                c.rollback(); // the deadlock victim
            } catch (SQLException ignored) {
                // the connection is closed with the test
            }
        }
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"pg.log", "pg.csv", "pg.json"})
    void everyStagedIncidentIsNamedWithItsEvidence(String file) {
        LogsRun run = LogsRun.run(home, logs.resolve(file).toString(), "--prefix", PREFIX, "--format", "json");
        assertEquals(2, run.exitCode(), run.toString()); // CRITICAL: too many clients
        assertEquals("postgresql", run.json().getAsJsonObject("target").get("engine").getAsString());

        JsonObject clients = run.finding("PG_LOG_TOO_MANY_CLIENTS");
        assertNotNull(clients, run.toString());
        assertTrue(clients.getAsJsonObject("evidence").get("count").getAsInt() >= 1, clients.toString());

        JsonObject auth = run.finding("PG_LOG_AUTH_FAILURES");
        assertNotNull(auth, run.toString());
        JsonObject authEvidence = auth.getAsJsonObject("evidence");
        assertEquals(3, authEvidence.getAsJsonObject("byUser").get("app").getAsInt(), auth.toString());
        assertEquals(3, authEvidence.getAsJsonObject("byHost").get("127.0.0.1").getAsInt(), auth.toString());

        JsonObject deadlocks = run.finding("PG_LOG_DEADLOCKS");
        assertNotNull(deadlocks, run.toString());
        String items = deadlocks.getAsJsonObject("evidence").getAsJsonArray("items").toString();
        assertTrue(items.contains("UPDATE accounts SET v = v + 1 WHERE id = 1") && items.contains("WHERE id = 2"), items);

        JsonObject timeouts = run.finding("PG_LOG_STATEMENT_TIMEOUTS");
        assertNotNull(timeouts, run.toString());
        assertTrue(timeouts.getAsJsonObject("evidence").getAsJsonObject("byStatement").has("SELECT pg_sleep(2)"), timeouts.toString());

        JsonObject missing = run.finding("PG_LOG_MISSING_OBJECTS");
        assertNotNull(missing, run.toString());
        assertTrue(missing.getAsJsonObject("evidence").getAsJsonObject("byObject").has("relation \"missing_table\" does not exist"),
                missing.toString());

        JsonObject checkpoints = run.finding("PG_LOG_CHECKPOINTS_TOO_FREQUENT");
        assertNotNull(checkpoints, run.toString());
        assertTrue(checkpoints.getAsJsonObject("evidence").has("minSecondsApart"), checkpoints.toString());

        // connections and disconnections are routine: collapsed with their count, not dropped
        JsonObject routine = run.finding("LOG_ROUTINE");
        assertNotNull(routine, run.toString());
        assertTrue(routine.getAsJsonObject("evidence").getAsJsonArray("routine").toString().contains("connection authorized"), routine.toString());
    }

    @Test
    void theTextReportNamesTheCausesAndRanksThePatterns() {
        LogsRun run = LogsRun.run(home, logs.resolve("pg.log").toString(), "--prefix", PREFIX, "--no-color");
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.out().startsWith("dbtool logs "), run.out());
        assertTrue(run.out().contains("PG_LOG_TOO_MANY_CLIENTS") && run.out().contains("PG_LOG_DEADLOCKS"), run.out());
        assertTrue(run.out().contains("routine entries in"), run.out());
        int fatal = run.out().indexOf("FATAL ");
        int log = run.out().indexOf(" LOG ");
        assertTrue(fatal > 0 && (log < 0 || fatal < log), "FATAL patterns rank before LOG ones:\n" + run.out());
    }

    @Test
    void templatesMapsEveryEntryToItsTemplate() {
        LogsRun run = LogsRun.run(home, "templates", logs.resolve("pg.json").toString());
        assertEquals(0, run.exitCode(), run.toString());
        String[] lines = run.out().strip().split("\n");
        assertTrue(lines.length > 20, run.out());
        for (String line : lines) {
            JsonObject event = com.google.gson.JsonParser.parseString(line).getAsJsonObject();
            assertTrue(event.has("line") && event.has("templateId") && event.has("template"), line);
        }
        assertTrue(run.out().contains("password authentication failed for user \\\"<*>\\\"")
                || run.out().contains("password authentication failed for user \\\"app\\\""), run.out());
    }
}
