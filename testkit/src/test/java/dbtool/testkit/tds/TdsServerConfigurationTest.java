package dbtool.testkit.tds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The double's server options through the real jTDS driver: sp_configure's checks and errors, RECONFIGURE, a restart. */
class TdsServerConfigurationTest {

    private static final String READ = "SELECT name, CAST(value AS bigint) AS value, CAST(value_in_use AS bigint) AS value_in_use "
            + "FROM sys.configurations ORDER BY name";

    private TdsServerConfiguration options;
    private TdsResponder server;
    private Connection connection;

    @BeforeEach
    void start() throws SQLException {
        options = TdsServerConfiguration.sqlServer2019();
        server = TdsResponder.start(options.installOn(new TdsScenario().login("dba", TdsResponderTest.PASSWORD)));
        Properties properties = new Properties();
        properties.setProperty("user", "dba");
        properties.setProperty("password", TdsResponderTest.PASSWORD);
        properties.setProperty("loginTimeout", "5");
        properties.setProperty("socketTimeout", "20");
        connection = new net.sourceforge.jtds.jdbc.Driver().connect("jdbc:jtds:sqlserver://127.0.0.1:" + server.port() + "/master", properties);
    }

    @AfterEach
    void stop() throws SQLException {
        connection.close();
        server.close();
    }

    private SQLException refused(String sql) {
        return assertThrows(SQLException.class, () -> {
            try (Statement s = connection.createStatement()) {
                s.execute(sql);
            }
        });
    }

    private SQLWarning run(String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
            return s.getWarnings();
        }
    }

    @Test
    void aDynamicOptionRunsItsValueAfterReconfigure() throws SQLException {
        SQLWarning notice = run("EXEC sp_configure N'remote admin connections', 1");
        assertEquals("Configuration option 'remote admin connections' changed from 0 to 1. Run the RECONFIGURE statement to install.",
                notice.getMessage());
        assertEquals(1, options.value("remote admin connections"));
        assertEquals(0, options.valueInUse("remote admin connections"));
        run("RECONFIGURE");
        assertEquals(1, options.valueInUse("remote admin connections"));
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(READ)) {
            int rows = 0;
            while (rs.next()) {
                rows++;
                if (rs.getString("name").equals("remote admin connections")) {
                    assertEquals(1, rs.getLong("value_in_use"));
                }
            }
            assertEquals(13, rows);
        }
        assertTrue(server.unexpected().isEmpty(), server.unexpected().toString());
    }

    @Test
    void aStaticOptionWaitsForARestart() throws SQLException {
        run("EXEC sp_configure N'remote access', 0");
        run("RECONFIGURE");
        assertEquals(0, options.value("remote access"));
        assertEquals(1, options.valueInUse("remote access"));
        options.restart();
        assertEquals(0, options.valueInUse("remote access"));
    }

    @Test
    void anAdvancedOptionNeedsShowAdvancedOptionsRunning() throws SQLException {
        SQLException hidden = refused("EXEC sp_configure N'cost threshold for parallelism', 50");
        assertEquals(15123, hidden.getErrorCode());
        assertEquals("The configuration option 'cost threshold for parallelism' does not exist, or it may be an advanced option.", hidden.getMessage());
        // Configured but not installed is not enough: sp_configure looks at the running value.
        run("EXEC sp_configure N'show advanced options', 1");
        assertEquals(15123, refused("EXEC sp_configure N'cost threshold for parallelism', 50").getErrorCode());
        run("RECONFIGURE");
        run("EXEC sp_configure N'cost threshold for parallelism', 50");
        assertEquals(50, options.value("cost threshold for parallelism"));
    }

    @Test
    void badNamesAndValuesGetSqlServersErrors() throws SQLException {
        assertEquals(15123, refused("EXEC sp_configure N'no such option', 1").getErrorCode());
        run("EXEC sp_configure N'show advanced options', 1");
        run("RECONFIGURE");
        SQLException notUnique = refused("EXEC sp_configure N'server memory', 4096");
        assertEquals(15124, notUnique.getErrorCode());
        assertEquals("The configuration option 'server memory' is not unique.", notUnique.getMessage());
        SQLException range = refused("EXEC sp_configure N'max degree of parallelism', 40000");
        assertEquals(15129, range.getErrorCode());
        assertEquals("'40000' is not a valid value for configuration option 'max degree of parallelism'.", range.getMessage());
        assertEquals(8114, refused("EXEC sp_configure N'max degree of parallelism', 'lots'").getErrorCode());
        // A unique part of a name is enough for sp_configure.
        run("EXEC sp_configure N'max degree', 4");
        assertEquals(4, options.value("max degree of parallelism"));
    }

    @Test
    void reconfigureRefusesALongRecoveryIntervalAndInstallsNothing() throws SQLException {
        run("EXEC sp_configure N'show advanced options', 1");
        run("RECONFIGURE");
        run("EXEC sp_configure N'max degree of parallelism', 4");
        run("EXEC sp_configure N'recovery interval (min)', 90");
        SQLException refused = refused("RECONFIGURE");
        assertEquals(5807, refused.getErrorCode());
        assertEquals(0, options.valueInUse("max degree of parallelism"));
        run("RECONFIGURE WITH OVERRIDE");
        assertEquals(90, options.valueInUse("recovery interval (min)"));
        assertEquals(4, options.valueInUse("max degree of parallelism"));
    }
}
