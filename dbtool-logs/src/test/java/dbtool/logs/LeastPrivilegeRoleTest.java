package dbtool.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dbtool.plugin.postgres.PostgresPlugin;
import dbtool.plugin.postgres.demo.LocalCluster;
import dbtool.spi.Check;
import dbtool.spi.EnginePlugin;
import dbtool.spi.Grant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 23's proof for {@code dbtool grants postgresql}: on a real PostgreSQL, a login role given exactly
 * the plugin's declared grants (and nothing else: not a superuser, no other membership) runs every check
 * of {@code dbtool troubleshoot}, the engine's own and the server-log check, without one UNKNOWN, and the
 * log check reads the server's log (the failed logins staged in it).
 */
class LeastPrivilegeRoleTest {

    static final String ROLE = "dbtool_ro";
    static final PostgresPlugin POSTGRES = new PostgresPlugin();
    static LocalCluster cluster;

    @TempDir
    static Path home;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalCluster.start(LocalCluster.Settings.defaults().withConfig(
                "logging_collector = on", "log_destination = 'stderr'", "log_directory = 'log'", "log_filename = 'pg.log'",
                "lc_messages = 'C'", "shared_preload_libraries = 'pg_stat_statements'")
                .withHba("host all " + ROLE + " 127.0.0.1/32 trust"));
        cluster.execute("postgres", "CREATE EXTENSION pg_stat_statements", "CREATE ROLE app LOGIN PASSWORD 'right-password'",
                "CREATE TABLE accounts (id int PRIMARY KEY, v int)", "INSERT INTO accounts SELECT g, 0 FROM generate_series(1, 1000) g",
                "GRANT ALL ON accounts TO app", "CREATE ROLE " + ROLE + " LOGIN");
        List<String> grants = new ArrayList<>();
        for (Grant grant : POSTGRES.grants()) {
            grants.add(grant.statement().replace("{{role}}", ROLE));
        }
        cluster.execute("postgres", grants.toArray(String[]::new));
        PostgresLogIncidentsTest.failedLogins(cluster, 2);
        Path log = cluster.dataDirectory().resolve("log/pg.log");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!(Files.exists(log) && Files.readString(log).contains("password authentication failed")) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theRoleHasTheDeclaredGrantsAndNothingMore() throws Exception {
        try (Connection admin = cluster.connect("postgres")) {
            ResultSet role = admin.createStatement().executeQuery("SELECT rolsuper, rolcreaterole, rolcreatedb, rolreplication,"
                    + " rolbypassrls, (SELECT array_agg(b.rolname::text ORDER BY b.rolname) FROM pg_auth_members m"
                    + " JOIN pg_roles b ON b.oid = m.roleid WHERE m.member = r.oid) AS member_of FROM pg_roles r WHERE rolname = '" + ROLE + "'");
            assertTrue(role.next());
            for (String attribute : List.of("rolsuper", "rolcreaterole", "rolcreatedb", "rolreplication", "rolbypassrls")) {
                assertFalse(role.getBoolean(attribute), attribute);
            }
            assertEquals(List.of("pg_monitor"), List.of((Object[]) role.getArray("member_of").getArray()));
            ResultSet tables = admin.createStatement().executeQuery(
                    "SELECT has_table_privilege('" + ROLE + "', 'accounts', 'SELECT') AS may_read_data");
            assertTrue(tables.next());
            assertFalse(tables.getBoolean("may_read_data"), "no table data");
        }
    }

    @Test
    void everyCheckRunsWithoutUnknownAndTheLogCheckReadsTheLog() {
        LogsRun run = LogsRun.command(home, List.<EnginePlugin>of(POSTGRES), "troubleshoot",
                "postgresql://" + ROLE + "@127.0.0.1:" + cluster.port() + "/postgres", "--format", "json", "--timeout", "30");
        JsonObject report = run.json();
        Set<String> ran = new TreeSet<>();
        List<String> unknown = new ArrayList<>();
        for (JsonElement element : report.getAsJsonArray("checks")) {
            JsonObject check = element.getAsJsonObject();
            ran.add(check.get("id").getAsString());
            if (check.get("status").getAsString().equals("UNKNOWN") || !check.get("error").isJsonNull()) {
                unknown.add(check.toString());
            }
            for (JsonElement finding : check.getAsJsonArray("findings")) {
                String severity = finding.getAsJsonObject().get("severity").getAsString();
                if (severity.equals("UNKNOWN")) {
                    unknown.add(finding.toString());
                }
            }
        }
        assertEquals(List.of(), unknown, run.toString());
        Set<String> expected = new TreeSet<>();
        POSTGRES.checks().stream().map(Check::id).forEach(expected::add);
        expected.add("server-log");
        assertEquals(expected, ran, "every check of the engine and the log check ran: " + run);

        JsonObject authFailures = run.finding("PG_LOG_AUTH_FAILURES");
        assertNotNull(authFailures, "the server-log check read the failed logins from the log: " + run);
        // pg_read_all_stats (in pg_monitor) shows other users' statement texts (the superuser's set-up here)
        // rather than <insufficient privilege>
        JsonObject top = run.finding("PG_TOP_STATEMENTS");
        assertNotNull(top, run.toString());
        assertTrue(top.toString().contains("CREATE TABLE accounts"), top.toString());
        assertFalse(run.out().contains("insufficient privilege"), run.toString());
    }
}
