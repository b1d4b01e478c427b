package dbtool.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dbtool.plugin.postgres.PostgresPlugin;
import dbtool.plugin.postgres.demo.LocalCluster;
import dbtool.spi.EnginePlugin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real PostgreSQL whose log is read over SQL ({@code dbtool logs TARGET}, and {@code troubleshoot}'s
 * server-log check): the logging collector on, a log_line_prefix of its own that dbtool must take from the
 * server, failed logins and a deadlock staged; and roles that lack one grant or the other.
 */
class ServerLogTest {

    static final String PREFIX = "%t <%p> %q%u@%d from %h [%e] ";
    static final List<EnginePlugin> ENGINES = List.of(new PostgresPlugin());
    static LocalCluster cluster;

    @TempDir
    static Path home;

    @BeforeAll
    static void stageIncidents() throws Exception {
        cluster = LocalCluster.start(LocalCluster.Settings.defaults().withConfig(
                "logging_collector = on", "log_destination = 'stderr'", "log_directory = 'log'", "log_filename = 'pg.log'",
                "log_line_prefix = '" + PREFIX + "'", "lc_messages = 'C'", "deadlock_timeout = '100ms'")
                .withHba("host all reader,monitor,nobody 127.0.0.1/32 trust"));
        cluster.execute("postgres", "CREATE ROLE app LOGIN PASSWORD 'right-password'",
                "CREATE TABLE accounts (id int PRIMARY KEY, v int)", "INSERT INTO accounts VALUES (1, 0), (2, 0)",
                "GRANT ALL ON accounts TO app",
                "CREATE ROLE reader LOGIN", "GRANT pg_monitor TO reader",
                "GRANT EXECUTE ON FUNCTION pg_read_file(text, bigint, bigint, boolean) TO reader",
                // pg_read_server_files lifts pg_read_file's path limit but grants no EXECUTE: not enough on its own
                "CREATE ROLE monitor LOGIN", "GRANT pg_monitor, pg_read_server_files TO monitor",
                "CREATE ROLE nobody LOGIN");
        PostgresLogIncidentsTest.failedLogins(cluster, 3);
        PostgresLogIncidentsTest.deadlock(cluster);
        // the logging collector writes asynchronously: wait for the deadlock's report
        Path log = cluster.dataDirectory().resolve("log/pg.log");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!(Files.exists(log) && Files.readString(log).contains("deadlock detected")) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static String url(String role) {
        return "postgresql://" + role + "@127.0.0.1:" + cluster.port() + "/postgres";
    }

    @Test
    void logsOfATargetNameTheStagedCausesReadWithTheServersOwnPrefix() {
        LogsRun run = LogsRun.command(home, ENGINES, "logs", url("reader"), "--since", "1h", "--format", "json");
        assertEquals(1, run.exitCode(), run.toString()); // WARNING: a deadlock, failed logins
        JsonObject deadlocks = run.finding("PG_LOG_DEADLOCKS");
        assertNotNull(deadlocks, run.toString());
        assertTrue(deadlocks.getAsJsonObject("evidence").getAsJsonArray("items").toString().contains("UPDATE accounts"), deadlocks.toString());
        // user and host come from the server's log_line_prefix: with the default prefix they would be unknown
        JsonObject auth = run.finding("PG_LOG_AUTH_FAILURES");
        assertNotNull(auth, run.toString());
        assertEquals(3, auth.getAsJsonObject("evidence").getAsJsonObject("byUser").get("app").getAsInt(), auth.toString());
        assertEquals(3, auth.getAsJsonObject("evidence").getAsJsonObject("byHost").get("127.0.0.1").getAsInt(), auth.toString());
    }

    @Test
    void aRoleWithoutTheReadGrantGetsOneLineNamingIt() {
        LogsRun run = LogsRun.command(home, ENGINES, "logs", url("monitor"));
        assertEquals(78, run.exitCode(), run.toString());
        assertEquals("", run.out(), run.toString());
        assertEquals(1, run.err().strip().lines().count(), run.toString());
        assertTrue(run.err().contains("GRANT EXECUTE ON FUNCTION pg_read_file(text, bigint, bigint, boolean) TO monitor"), run.toString());

        LogsRun none = LogsRun.command(home, ENGINES, "logs", url("nobody"));
        assertEquals(78, none.exitCode(), none.toString());
        assertEquals(1, none.err().strip().lines().count(), none.toString());
        assertTrue(none.err().contains("GRANT pg_monitor TO nobody"), none.toString());
    }

    @Test
    void troubleshootReportsTheRecentLogFindingsUnderLogs() {
        LogsRun run = LogsRun.command(home, ENGINES, "troubleshoot", url("reader"), "--format", "json", "--timeout", "30");
        JsonObject check = check(run.json(), "server-log");
        assertNotNull(check, run.toString());
        assertEquals("logs", check.get("category").getAsString());
        assertTrue(check.getAsJsonArray("findings").toString().contains("PG_LOG_DEADLOCKS"), check.toString());
        assertEquals("WARNING", check.get("status").getAsString(), check.toString());
    }

    @Test
    void troubleshootLeavesTheLogOutWhenTheRoleMayNotReadIt() {
        LogsRun run = LogsRun.command(home, ENGINES, "troubleshoot", url("monitor"), "--format", "json", "--timeout", "30");
        assertTrue(run.json().getAsJsonArray("checks").size() > 3, run.toString()); // the engine's own checks ran
        assertEquals(null, check(run.json(), "server-log"), run.toString());
        assertFalse(run.err().contains("pg_read_file"), "an INFO for the run log, not a complaint on stderr: " + run);
    }

    private static JsonObject check(JsonObject report, String id) {
        for (JsonElement check : report.getAsJsonArray("checks")) {
            if (check.getAsJsonObject().get("id").getAsString().equals(id)) {
                return check.getAsJsonObject();
            }
        }
        return null;
    }
}
