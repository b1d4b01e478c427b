package dbtool.plugin.mssql;

import static dbtool.testkit.tds.TdsScenario.statement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.plugin.mssql.checks.SqlServerScenario;
import dbtool.spi.ConfigurationException;
import dbtool.spi.Credentials;
import dbtool.spi.ServerConfiguration;
import dbtool.spi.SessionSettings;
import dbtool.spi.UsageException;
import dbtool.testkit.PluginRun;
import dbtool.testkit.tds.TdsAnswer;
import dbtool.testkit.tds.TdsResponder;
import dbtool.testkit.tds.TdsResult;
import dbtool.testkit.tds.TdsScenario;
import dbtool.testkit.tds.TdsServerConfiguration;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The plugin's {@link ServerConfiguration} against the TDS double's sys.configurations, sp_configure and
 * RECONFIGURE through the real jTDS driver: what is sent, in which order, and what is left behind when
 * the server refuses. The command around it (confirmation, audit, exit codes) is tested in dbtool-change.
 */
class SqlServerConfigurationTest {

    private static final SessionSettings SETTINGS = new SessionSettings("dbtool-config", Duration.ofSeconds(5), Duration.ofSeconds(5),
            Duration.ofMillis(2500));

    private final TdsServerConfiguration options = TdsServerConfiguration.sqlServer2019();
    private TdsResponder server;

    /** A healthy SQL Server 2019 whose options are {@link #options}; rules added to it later win. */
    private TdsScenario scenario() {
        return options.installOn(SqlServerScenario.healthy());
    }

    private ServerConfiguration.Session open(TdsScenario scenario, boolean write) {
        server = TdsResponder.start(scenario);
        return new SqlServerPlugin().openConfiguration(PluginRun.target(SqlServerScenario.url(server, null, "master"), "sqlserver", Map.of()),
                Credentials.password(SqlServerScenario.USER, SqlServerScenario.PASSWORD.toCharArray(), "test"), SETTINGS, write);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** The batches of the connection that wrote, from the first sp_configure on. */
    private List<String> writes() {
        return server.sqlTexts().stream().dropWhile(sql -> !sql.startsWith("EXEC sp_configure")).filter(sql -> !sql.startsWith("SELECT")).toList();
    }

    @Test
    void showListsEveryOptionWithItsRangeAndWhenItTakesEffect() throws Exception {
        try (ServerConfiguration.Session session = open(scenario(), false)) {
            List<ServerConfiguration.Parameter> all = session.parameters(List.of());
            assertEquals(13, all.size());
            ServerConfiguration.Parameter maxdop = session.parameters(List.of("MAX DEGREE OF PARALLELISM")).getFirst();
            assertEquals(new ServerConfiguration.Parameter("max degree of parallelism", "0", null, "integer", "advanced", "dynamic", false, "0",
                    "32767", List.of(), "0", "maximum degree of parallelism"), maxdop);
            assertEquals("static", session.parameters(List.of("remote access")).getFirst().context());
            assertThrows(IllegalStateException.class, () -> session.apply(session.plan("remote admin connections", "1", false), Duration.ZERO));
        }
        assertEquals(0, options.value("remote admin connections"));
        server.assertOnlyExpectedTraffic();
    }

    @Test
    void anAdvancedOptionIsSetWithShowAdvancedOptionsOnForTheChangeOnly() throws Exception {
        try (ServerConfiguration.Session session = open(scenario(), true)) {
            ServerConfiguration.Change change = session.plan("cost threshold for parallelism", " 50 ", false);
            assertEquals("50", change.value());
            assertFalse(change.restart());
            assertEquals("EXEC sp_configure N'show advanced options', 1; RECONFIGURE; EXEC sp_configure N'cost threshold for parallelism', 50; "
                    + "EXEC sp_configure N'show advanced options', 0; RECONFIGURE", change.statement());
            ServerConfiguration.Outcome outcome = session.apply(change, Duration.ofSeconds(5));
            assertTrue(outcome.running());
            assertEquals("50", outcome.after().value());
            assertEquals("50", outcome.after().configured());
        }
        assertEquals(List.of("EXEC sp_configure N'show advanced options', 1", "RECONFIGURE", "EXEC sp_configure N'cost threshold for parallelism', 50",
                "EXEC sp_configure N'show advanced options', 0", "RECONFIGURE"), writes());
        assertEquals(50, options.valueInUse("cost threshold for parallelism"));
        assertEquals(0, options.value("show advanced options"));
        assertEquals(0, options.valueInUse("show advanced options"));
        // The write session keeps the lock timeout it was given, set once at login before anything else.
        assertTrue(server.sqlTexts().stream().anyMatch(sql -> sql.startsWith("SET LOCK_TIMEOUT 2500;")), server.sqlTexts().toString());
        server.assertOnlyExpectedTraffic();
    }

    @Test
    void withShowAdvancedOptionsAlreadyOnOnlyTheOptionIsWritten() throws Exception {
        options.configure("show advanced options", 1);
        options.restart();
        try (ServerConfiguration.Session session = open(scenario(), true)) {
            session.apply(session.plan("max degree of parallelism", "4", false), Duration.ofSeconds(5));
        }
        assertEquals(List.of("EXEC sp_configure N'max degree of parallelism', 4", "RECONFIGURE"), writes());
        assertEquals(1, options.valueInUse("show advanced options"));
    }

    @Test
    void whenReconfigureRefusesTheConfiguredValuesArePutBack() throws Exception {
        try (ServerConfiguration.Session session = open(scenario(), true)) {
            ServerConfiguration.Change change = session.plan("recovery interval (min)", "90", false);
            SQLException refused = assertThrows(SQLException.class, () -> session.apply(change, Duration.ofSeconds(5)));
            assertEquals("Recovery intervals above 60 minutes not recommended. Use the RECONFIGURE WITH OVERRIDE statement to force this "
                    + "configuration.; the configured values were put back as they were", refused.getMessage());
        }
        assertEquals(0, options.value("recovery interval (min)"));
        assertEquals(0, options.valueInUse("recovery interval (min)"));
        assertEquals(0, options.value("show advanced options"));
        assertEquals(0, options.valueInUse("show advanced options"));
        assertFalse(writes().contains("RECONFIGURE WITH OVERRIDE"));
    }

    @Test
    void aLoginWithoutAlterSettingsIsToldAndNothingIsChanged() throws Exception {
        TdsScenario noPermission = scenario().answer(TdsScenario.mentioning("sp_configure"),
                TdsAnswer.error(15247, 16, "User does not have permission to perform this action."));
        try (ServerConfiguration.Session session = open(noPermission, true)) {
            ServerConfiguration.Change change = session.plan("remote admin connections", "1", false);
            SQLException refused = assertThrows(SQLException.class, () -> session.apply(change, Duration.ofSeconds(5)));
            assertEquals("User does not have permission to perform this action.; nothing was changed", refused.getMessage());
        }
        assertEquals(0, options.value("remote admin connections"));
        assertEquals(List.of("EXEC sp_configure N'remote admin connections', 1"), writes());
    }

    @Test
    void aChangeIsRefusedWhileAnotherWaitsForReconfigure() throws Exception {
        options.configure("max degree of parallelism", 8);
        try (ServerConfiguration.Session session = open(scenario(), true)) {
            ConfigurationException refused = assertThrows(ConfigurationException.class, () -> session.plan("cost threshold for parallelism", "50",
                    false));
            assertEquals("cost threshold for parallelism: RECONFIGURE would also install 'max degree of parallelism' (configured 8, running 0), "
                    + "set with sp_configure but not installed; install or undo that first; nothing written", refused.getMessage());
        }
        assertEquals(List.of(), writes());
    }

    @Test
    void badValuesAndRestartOnlyOptionsAreRefusedBeforeAnythingIsSent() throws Exception {
        try (ServerConfiguration.Session session = open(scenario(), true)) {
            Map<String, String> cases = Map.of(
                    "max degree of parallelism=lots", "max degree of parallelism: expected a whole number from 0 to 32767, got 'lots'",
                    "max degree of parallelism=2.5", "max degree of parallelism: expected a whole number from 0 to 32767, got '2.5'",
                    "max degree of parallelism=40000", "max degree of parallelism: 40000 is out of range; expected 0 to 32767",
                    "max server memory (MB)=64", "max server memory (MB): 64 is out of range; expected 128 to 2147483647",
                    "max degree of parallelism=99999999999999999999", "max degree of parallelism: 99999999999999999999 is out of range; expected 0 to 32767",
                    "remote access=0", "remote access takes effect only after a restart (is_dynamic = 0); add --allow-restart to write it now "
                            + "and restart the server later",
                    "max degree=4", "unknown parameter 'max degree'");
            for (Map.Entry<String, String> c : cases.entrySet()) {
                String[] nameValue = c.getKey().split("=", 2);
                UsageException refused = assertThrows(UsageException.class, () -> session.plan(nameValue[0], nameValue[1], false), c.getKey());
                assertEquals(c.getValue(), refused.getMessage());
            }
            ServerConfiguration.Change pending = session.plan("remote access", "0", true);
            assertTrue(pending.restart());
            ServerConfiguration.Outcome outcome = session.apply(pending, Duration.ofSeconds(5));
            assertFalse(outcome.running());
            assertTrue(outcome.after().pendingRestart());
            assertEquals("1", outcome.after().value());
            assertEquals("0", outcome.after().configured());
        }
        assertEquals(List.of("EXEC sp_configure N'remote access', 0", "RECONFIGURE"), writes());
    }

    @Test
    void azureSqlDatabaseIsToldApart() throws Exception {
        TdsScenario azure = scenario().answer(statement(ServerInfo.SQL), TdsResult.columns("version", "edition", "engine_edition:int")
                .row(SqlServerScenario.AZURE_VERSION, "SQL Azure", 5));
        try (ServerConfiguration.Session session = open(azure, true)) {
            UsageException refused = assertThrows(UsageException.class, () -> session.plan("max degree of parallelism", "4", false));
            assertTrue(refused.getMessage().startsWith("Azure SQL Database has no sp_configure"), refused.getMessage());
        }
    }
}
