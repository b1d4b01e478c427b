package dbtool.change;

import static dbtool.testkit.tds.TdsScenario.statement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dbtool.plugin.mssql.ServerInfo;
import dbtool.plugin.mssql.SqlServerPlugin;
import dbtool.plugin.postgres.PostgresPlugin;
import dbtool.spi.EnginePlugin;
import dbtool.testkit.tds.TdsResponder;
import dbtool.testkit.tds.TdsResult;
import dbtool.testkit.tds.TdsScenario;
import dbtool.testkit.tds.TdsServerConfiguration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dbtool config on SQL Server: the real plugin and jTDS against testkit's TDS double, whose
 * sys.configurations, sp_configure and RECONFIGURE keep state as SQL Server does; what was written is
 * read from the double's state, not from dbtool's output.
 */
class ConfigSqlServerTest {

    private static final String PASSWORD = "Sp-c0nfig+pw-4711";
    private static final String COST = "cost threshold for parallelism";
    private static final List<EnginePlugin> PLUGINS = List.of(new PostgresPlugin(), new SqlServerPlugin());

    @TempDir
    Path home;

    private TdsServerConfiguration options;
    private TdsResponder server;

    @BeforeEach
    void start() throws Exception {
        options = TdsServerConfiguration.sqlServer2019();
        TdsScenario scenario = new TdsScenario().login("dba", PASSWORD).answer(statement(ServerInfo.SQL),
                TdsResult.columns("version", "edition", "engine_edition:int").row("15.0.4345.5", "Developer Edition (64-bit)", 3));
        server = TdsResponder.start(options.installOn(scenario));
        Files.writeString(home.resolve("config.json"), """
                {"targets": {"mssql": {"url": "sqlserver://dba:%s@127.0.0.1:%d/master"}},
                 "state": {"path": "%s"}}
                """.formatted(PASSWORD, server.port(), home.resolve("state")));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private ChangeRun config(String... args) {
        List<String> argv = new ArrayList<>(List.of("config"));
        argv.addAll(List.of(args));
        return ChangeRun.dbtool(home, PLUGINS, argv);
    }

    private List<String> writes() {
        return server.sqlTexts().stream().filter(sql -> sql.startsWith("EXEC sp_configure") || sql.startsWith("RECONFIGURE")).toList();
    }

    private void assertNoSecret(ChangeRun run) {
        assertFalse((run.out() + run.err() + run.log()).contains(PASSWORD), run.toString());
    }

    @Test
    void aDynamicAdvancedOptionIsSetVerifiedAndRolledBackStepByStep() {
        ChangeRun show = config("show", "mssql", COST, "--format", "json");
        assertEquals(0, show.exitCode(), show.toString());
        JsonObject cost = JsonParser.parseString(show.out()).getAsJsonArray().get(0).getAsJsonObject();
        assertEquals("5", cost.get("value").getAsString());
        assertEquals("dynamic", cost.get("context").getAsString());
        assertEquals("advanced", cost.get("source").getAsString());
        assertEquals("32767", cost.get("max").getAsString());

        ChangeRun first = config("set", "mssql", COST + "=50", "--yes");
        assertEquals(0, first.exitCode(), first.toString());
        assertTrue(first.out().contains(COST + " on mssql is now 50, read back from the server"), first.toString());
        assertTrue(first.err().contains("config set: set " + COST + " on mssql from 5 to 50 (EXEC sp_configure N'show advanced options', 1; RECONFIGURE; "
                + "EXEC sp_configure N'" + COST + "', 50; EXEC sp_configure N'show advanced options', 0; RECONFIGURE)"), first.toString());
        ChangeRun second = config("set", "mssql", COST + "=40", "--yes");
        assertEquals(0, second.exitCode(), second.toString());
        assertEquals(40, options.valueInUse(COST));
        assertEquals(0, options.valueInUse("show advanced options"), "show advanced options is left as it was");

        ChangeRun history = config("history", "mssql");
        assertTrue(history.out().contains(COST + ": 50 -> 40"), history.toString());
        assertTrue(second.log().contains("config set mssql by") && second.log().contains("\"previous\":\"50\""), second.log());

        ChangeRun back = config("rollback", "mssql", "--yes");
        assertEquals(0, back.exitCode(), back.toString());
        assertEquals(50, options.valueInUse(COST));
        ChangeRun backAgain = config("rollback", "mssql", COST, "--yes");
        assertEquals(0, backAgain.exitCode(), backAgain.toString());
        assertTrue(backAgain.err().contains("restore " + COST + " on mssql to 5"), backAgain.toString());
        assertEquals(5, options.valueInUse(COST));
        assertEquals(5, options.value(COST));
        ChangeRun nothingLeft = config("rollback", "mssql", "--yes");
        assertEquals(64, nothingLeft.exitCode(), nothingLeft.toString());
        assertTrue(nothingLeft.err().contains("no 'config set' on mssql left to roll back"), nothingLeft.toString());

        JsonArray audit = JsonParser.parseString(config("history", "mssql", "--format", "json").out()).getAsJsonArray();
        assertEquals(4, audit.size());
        JsonObject newest = audit.get(0).getAsJsonObject();
        assertEquals("config rollback", newest.get("action").getAsString());
        assertEquals("rolled back", newest.get("result").getAsString());
        assertTrue(newest.get("actor").getAsString().contains("dba@127.0.0.1:" + server.port()), newest.toString());
        assertEquals(List.of("applied", "applied"), List.of(audit.get(2).getAsJsonObject().get("result").getAsString(),
                audit.get(3).getAsJsonObject().get("result").getAsString()));
        for (ChangeRun run : new ChangeRun[] {show, first, second, history, back, backAgain, nothingLeft}) {
            assertNoSecret(run);
        }
        server.assertOnlyExpectedTraffic();
    }

    @Test
    void aStaticOptionIsRefusedWithoutTheFlagAndLeftPendingWithIt() {
        ChangeRun refused = config("set", "mssql", "remote access=0", "--yes");
        assertEquals(64, refused.exitCode(), refused.toString());
        assertEquals("dbtool: config set: remote access takes effect only after a restart (is_dynamic = 0); add --allow-restart to write it "
                + "now and restart the server later", refused.err().strip());
        assertEquals(List.of(), writes());

        ChangeRun pending = config("set", "mssql", "remote access=0", "--allow-restart", "--yes");
        assertEquals(0, pending.exitCode(), pending.toString());
        assertTrue(pending.out().contains("remote access on mssql written; it runs with 1 until the server restarts (pending restart)"),
                pending.toString());
        assertEquals(0, options.value("remote access"));
        assertEquals(1, options.valueInUse("remote access"));
        ChangeRun show = config("show", "mssql", "remote access");
        assertTrue(show.out().contains("static (pending restart)"), show.toString());
        assertTrue(config("history", "mssql").out().contains("pending restart"));

        // Rolled back before any restart: configured as running again, nothing pending.
        ChangeRun back = config("rollback", "mssql", "remote access", "--yes");
        assertEquals(0, back.exitCode(), back.toString());
        assertEquals(1, options.value("remote access"));
        assertEquals(1, options.valueInUse("remote access"));
        assertNoSecret(pending);
    }

    @Test
    void badValuesAreOneLineErrorsAndNothingIsWritten() {
        Map<String, String> cases = Map.of(
                COST + "=lots", COST + ": expected a whole number from 0 to 32767, got 'lots'",
                COST + "=2.5", COST + ": expected a whole number from 0 to 32767, got '2.5'",
                COST + "=40000", COST + ": 40000 is out of range; expected 0 to 32767",
                "max server memory (MB)=64", "max server memory (MB): 64 is out of range; expected 128 to 2147483647",
                "cost treshold for parallelism=50", "mssql has no parameter 'cost treshold for parallelism' (did you mean '" + COST + "'?)",
                "max degree of parallelism=-1", "max degree of parallelism: -1 is out of range; expected 0 to 32767");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            ChangeRun run = config("set", "mssql", c.getKey(), "--yes");
            assertEquals(64, run.exitCode(), run.toString());
            assertEquals(1, run.err().strip().lines().count(), run.toString());
            assertTrue(run.err().contains(c.getValue()), run.toString());
            assertNoSecret(run);
        }
        ChangeRun withoutYes = config("set", "mssql", COST + "=50");
        assertEquals(64, withoutYes.exitCode(), withoutYes.toString());
        assertTrue(withoutYes.err().contains("not on a terminal, so add --yes"), withoutYes.toString());
        assertEquals(List.of(), writes());
        assertEquals(5, options.value(COST));
        assertTrue(config("history", "mssql").out().contains("none"));
    }

    @Test
    void whatTheServerRefusesIsAuditedAsFailedAndPutBack() {
        ChangeRun run = config("set", "mssql", "recovery interval (min)=90", "--yes");
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().strip().lines().toList().getLast().contains("Recovery intervals above 60 minutes not recommended. Use the RECONFIGURE "
                + "WITH OVERRIDE statement to force this configuration.; the configured values were put back as they were"), run.toString());
        assertEquals(0, options.value("recovery interval (min)"));
        assertEquals(0, options.value("show advanced options"));
        assertEquals(0, options.valueInUse("show advanced options"));
        JsonObject audit = JsonParser.parseString(config("history", "mssql", "--format", "json").out()).getAsJsonArray().get(0).getAsJsonObject();
        assertEquals("failed", audit.get("result").getAsString());
        assertNoSecret(run);

        // Someone's sp_configure without RECONFIGURE: dbtool's RECONFIGURE would install it too, so it writes nothing (78).
        options.configure("max degree of parallelism", 8);
        int before = writes().size();
        ChangeRun halfMade = config("set", "mssql", COST + "=50", "--yes");
        assertEquals(78, halfMade.exitCode(), halfMade.toString());
        assertTrue(halfMade.err().contains("RECONFIGURE would also install 'max degree of parallelism' (configured 8, running 0)"), halfMade.toString());
        assertEquals(before, writes().size());
    }
}
