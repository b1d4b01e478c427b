package dbtool.change;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dbtool.plugin.postgres.demo.LocalCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dbtool config against a real throwaway PostgreSQL cluster: what ALTER SYSTEM wrote is read back from
 * postgresql.auto.conf (pg_file_settings) and the running values from new sessions, not from dbtool's own.
 */
class ConfigClusterTest {

    private static final String PASSWORD = "Conf-ig+pw-0815";
    private static LocalCluster server;

    @TempDir
    Path home;

    @BeforeAll
    static void start() throws Exception {
        server = LocalCluster.start(LocalCluster.Settings.defaults());
        server.execute("postgres", "CREATE ROLE dba LOGIN SUPERUSER PASSWORD '" + PASSWORD + "'");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void config() throws Exception {
        Files.writeString(home.resolve("config.json"), """
                {"targets": {"pg": {"url": "postgresql://dba:%s@127.0.0.1:%d/postgres"}},
                 "state": {"path": "%s"}}
                """.formatted(PASSWORD, server.port(), home.resolve("state")));
    }

    /** What postgresql.auto.conf holds, by parameter. */
    private static Map<String, String> autoConf() throws SQLException {
        Map<String, String> out = new TreeMap<>();
        try (Connection c = server.connect("postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT name, setting FROM pg_file_settings WHERE sourcefile LIKE '%postgresql.auto.conf' ORDER BY seqno")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }

    /** The running value and pending_restart as a new session sees them. */
    private static String running(String name) throws SQLException {
        try (Connection c = server.connect("postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_setting(name) || ' ' || pending_restart FROM pg_settings WHERE name = '" + name + "'")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private void assertNoSecret(ChangeRun run) {
        assertFalse((run.out() + run.err() + run.log()).contains(PASSWORD), run.toString());
    }

    @Test
    void aReloadableParameterIsSetVerifiedAndRolledBackStepByStep() throws Exception {
        ChangeRun show = ChangeRun.config(home, "show", "pg", "work_mem", "--format", "json");
        assertEquals(0, show.exitCode(), show.toString());
        JsonObject workMem = JsonParser.parseString(show.out()).getAsJsonArray().get(0).getAsJsonObject();
        assertEquals("4MB", workMem.get("value").getAsString());
        assertEquals("user", workMem.get("context").getAsString());
        assertEquals("kB", workMem.get("unit").getAsString());

        ChangeRun first = ChangeRun.config(home, "set", "pg", "work_mem=8MB", "--yes");
        assertEquals(0, first.exitCode(), first.toString());
        assertTrue(first.out().contains("work_mem on pg is now 8MB, read back from the server"), first.toString());
        assertTrue(first.err().contains("ALTER SYSTEM SET work_mem = '8MB'; SELECT pg_reload_conf()"), first.toString());
        ChangeRun second = ChangeRun.config(home, "set", "pg", "work_mem=64MB", "--yes");
        assertEquals(0, second.exitCode(), second.toString());
        assertEquals("64MB false", running("work_mem"));
        assertEquals(Map.of("work_mem", "64MB"), autoConf());

        ChangeRun history = ChangeRun.config(home, "history", "pg");
        assertTrue(history.out().contains("config set") && history.out().contains("work_mem: 8MB -> 64MB"), history.toString());
        assertTrue(second.log().contains("config set pg by") && second.log().contains("\"previous\":\"8MB\""), second.log());

        // The first rollback restores what the second set replaced, the next one what the first replaced: nothing (RESET).
        ChangeRun back = ChangeRun.config(home, "rollback", "pg", "--yes");
        assertEquals(0, back.exitCode(), back.toString());
        assertEquals("8MB false", running("work_mem"));
        assertEquals(Map.of("work_mem", "8MB"), autoConf());
        ChangeRun backAgain = ChangeRun.config(home, "rollback", "pg", "work_mem", "--yes");
        assertEquals(0, backAgain.exitCode(), backAgain.toString());
        assertTrue(backAgain.err().contains("ALTER SYSTEM RESET work_mem"), backAgain.toString());
        assertEquals("4MB false", running("work_mem"));
        assertEquals(Map.of(), autoConf());
        ChangeRun nothingLeft = ChangeRun.config(home, "rollback", "pg", "--yes");
        assertEquals(64, nothingLeft.exitCode(), nothingLeft.toString());
        assertTrue(nothingLeft.err().contains("no 'config set' on pg left to roll back"), nothingLeft.toString());

        JsonArray audit = JsonParser.parseString(ChangeRun.config(home, "history", "pg", "--format", "json").out()).getAsJsonArray();
        assertEquals(4, audit.size());
        assertEquals("config rollback", audit.get(0).getAsJsonObject().get("action").getAsString());
        assertEquals("rolled back", audit.get(0).getAsJsonObject().get("result").getAsString());
        assertTrue(audit.get(0).getAsJsonObject().get("actor").getAsString().contains("dba@127.0.0.1:" + server.port()));
        for (ChangeRun run : new ChangeRun[] {show, first, second, history, back, backAgain, nothingLeft}) {
            assertNoSecret(run);
        }
    }

    @Test
    void aRestartOnlyParameterIsRefusedWithoutTheFlagAndLeftPendingWithIt() throws Exception {
        Map<String, String> before = autoConf();
        ChangeRun refused = ChangeRun.config(home, "set", "pg", "shared_buffers=32MB", "--yes");
        assertEquals(64, refused.exitCode(), refused.toString());
        assertEquals("dbtool: config set: shared_buffers takes effect only after a restart (context postmaster); add --allow-restart to "
                + "write it now and restart the server later", refused.err().strip());
        assertEquals(before, autoConf());

        ChangeRun pending = ChangeRun.config(home, "set", "pg", "shared_buffers=32MB", "--allow-restart", "--yes");
        assertEquals(0, pending.exitCode(), pending.toString());
        assertTrue(pending.out().contains("shared_buffers on pg written; it runs with 16MB until the server restarts (pending restart)"),
                pending.toString());
        assertEquals("16MB true", running("shared_buffers"));
        Map<String, String> expected = new TreeMap<>(before);
        expected.put("shared_buffers", "32MB");
        assertEquals(expected, autoConf());
        assertTrue(ChangeRun.config(home, "history", "pg").out().contains("pending restart"));

        // Rolled back before any restart: the file holds nothing for it again and nothing is pending.
        ChangeRun back = ChangeRun.config(home, "rollback", "pg", "shared_buffers", "--yes");
        assertEquals(0, back.exitCode(), back.toString());
        assertEquals("16MB false", running("shared_buffers"));
        assertEquals(before, autoConf());
    }

    @Test
    void badValuesAreOneLineErrorsAndNothingIsWritten() throws Exception {
        Map<String, String> before = autoConf();
        Map<String, String> cases = Map.of(
                "work_mem=64XB", "work_mem: unknown unit 'XB'; expected one of B, kB, MB, GB, TB, got '64XB'",
                "work_mem=1kB", "work_mem: 1kB is out of range; expected 64kB to 2147483647kB (1kB given)",
                "wal_level=maximal", "wal_level: expected one of minimal, replica, logical, got 'maximal'",
                "work_mme=64MB", "pg has no parameter 'work_mme' (did you mean 'work_mem'?)",
                "block_size=4096", "block_size cannot be changed: it is fixed when the server is built or initialized (context internal)",
                "statement_timeout=lots", "statement_timeout: expected a whole number with a unit such as 500ms or 30s");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            ChangeRun run = ChangeRun.config(home, "set", "pg", c.getKey(), "--yes");
            assertEquals(64, run.exitCode(), run.toString());
            assertEquals(1, run.err().strip().lines().count(), run.toString());
            assertTrue(run.err().contains(c.getValue()), run.toString());
            assertNoSecret(run);
        }
        ChangeRun unknown = ChangeRun.config(home, "show", "pg", "shared_bufers");
        assertEquals(64, unknown.exitCode(), unknown.toString());
        assertTrue(unknown.err().contains("did you mean 'shared_buffers'?"), unknown.toString());
        assertEquals(64, ChangeRun.config(home, "set", "pg", "work_mem").exitCode());
        assertEquals(before, autoConf());
        assertEquals("4MB false", running("work_mem"));
    }

    @Test
    void withoutATerminalAndWithoutYesNothingIsWritten() throws Exception {
        Map<String, String> before = autoConf();
        ChangeRun run = ChangeRun.config(home, "set", "pg", "work_mem=64MB");
        assertEquals(64, run.exitCode(), run.toString());
        assertTrue(run.err().contains("config set: will set work_mem on pg from 4MB to 64MB") && run.err().contains("not on a terminal, so add --yes"),
                run.toString());
        assertEquals(before, autoConf());
        assertEquals("4MB false", running("work_mem"));
        assertTrue(ChangeRun.config(home, "history", "pg").out().contains("none"));
    }

    @Test
    void showListsEveryParameterReadOnly() {
        ChangeRun all = ChangeRun.config(home, "show", "pg");
        assertEquals(0, all.exitCode(), all.toString());
        assertTrue(all.out().lines().count() > 200, all.toString());
        assertTrue(all.out().contains("shared_buffers") && all.out().contains("postmaster"), all.toString());
        assertTrue(all.out().contains("minimal|replica|logical"), all.toString());
        assertNoSecret(all);
    }
}
