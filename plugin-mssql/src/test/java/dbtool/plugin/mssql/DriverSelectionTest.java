package dbtool.plugin.mssql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.spi.Credentials;
import dbtool.spi.SessionSettings;
import dbtool.spi.Target;
import dbtool.spi.TargetConfigurationException;
import java.net.URI;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** jTDS by default, Microsoft's mssql-jdbc when a target asks for it: each with its own URL and properties. */
class DriverSelectionTest {

    static Target target(String name, String url, Map<String, String> options) {
        URI uri = URI.create(url);
        String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        return new Target(name, uri, "sqlserver", uri.getHost(), uri.getPort(), path, List.of(), options);
    }

    static JdbcConnection describe(Target target) {
        SqlServerOptions options = SqlServerOptions.of(target);
        return JdbcConnections.describe(target, target.portOr(1433), options, IntegratedLogin.choose(options, true, false, Optional.empty()),
                "app", "S3cret;pw", SessionSettings.defaults());
    }

    /** Stands in for mssql-jdbc: accepts jdbc:sqlserver: URLs and records what connect receives. */
    static final class FakeMicrosoftDriver extends StandInMicrosoftDriver {
        String url;
        Properties properties;

        public Connection connect(String url, Properties info) throws SQLException {
            this.url = url;
            this.properties = (Properties) info.clone();
            throw new SQLException("Login failed for user 'app'.", "S0001", 18456);
        }
    }

    @Test
    void jtdsIsTheDefaultWithItsOwnUrlAndTimeoutsInSeconds() {
        JdbcConnection jtds = describe(target("orders", "sqlserver://db1:1433/orders?instance=SQL2", Map.of()));
        assertEquals(DriverKind.JTDS, jtds.driver());
        assertEquals("jdbc:jtds:sqlserver://db1:1433/orders", jtds.url());
        Properties p = jtds.properties();
        assertEquals(null, p.getProperty("instance"), "never jTDS's own Browser lookup, which falls back to 1433 silently");
        assertEquals("app", p.getProperty("user"));
        assertEquals("S3cret;pw", p.getProperty("password"));
        assertEquals("dbtool", p.getProperty("appName"));
        assertEquals("5", p.getProperty("loginTimeout"));
        assertEquals("10", p.getProperty("socketTimeout"));
        assertEquals("off", p.getProperty("ssl"));
        assertEquals("false", p.getProperty("useLOBs"));
    }

    @Test
    void jtdsWindowsLoginsGoToTheDriverAsNtlmV2() {
        Properties p = describe(target("erp", "sqlserver://db1:1433/erp", Map.of("domain", "CORP"))).properties();
        assertEquals("CORP", p.getProperty("domain"));
        assertEquals("true", p.getProperty("useNTLMv2"), "jTDS would send NTLMv1, which hardened domains refuse");
        assertEquals("app", p.getProperty("user"));
    }

    @Test
    void mssqlJdbcGetsItsUrlFormWithEncryptionOnAndTheSecretOnlyInProperties() {
        JdbcConnection microsoft = describe(target("billing", "sqlserver://db1:1433/billing", Map.of("driver", "mssql-jdbc")));
        assertEquals(DriverKind.MSSQL_JDBC, microsoft.driver());
        assertEquals("jdbc:sqlserver://db1:1433;databaseName=billing;applicationName=dbtool;loginTimeout=5;encrypt=true;"
                + "trustServerCertificate=false", microsoft.url());
        assertEquals("app", microsoft.properties().getProperty("user"));
        assertEquals("S3cret;pw", microsoft.properties().getProperty("password"));
        assertEquals("10000", microsoft.properties().getProperty("socketTimeout"), "mssql-jdbc counts milliseconds");
        assertFalse(microsoft.url().contains("S3cret") || microsoft.toString().contains("S3cret"));
    }

    @Test
    void mssqlJdbcNamedInstancesGetThePortSqlBrowserToldAndOddValuesAreBraced() {
        JdbcConnection named = describe(target("erp", "sqlserver://db3/we;ird%7Dname", Map.of("driver", "MSSQL-JDBC", "instance", "SQL2",
                "encrypt", "strict", "hostNameInCertificate", "*.corp.example")));
        // The session asks SQL Browser itself (as for jTDS) and connects to the port it was told.
        assertEquals("jdbc:sqlserver://db3:50123;databaseName={we;ird}}name};applicationName=dbtool;loginTimeout=5;"
                + "encrypt=strict;trustServerCertificate=false;hostNameInCertificate=*.corp.example", named.url(50123));
    }

    @Test
    void aBrowserPortThatIsNoPortIsAConfigurationErrorNamingTargetAndField() {
        Target target = target("sales", "sqlserver://db3/sales?instance=SALES&browserPort=14x4", Map.of());
        TargetConfigurationException error = assertThrows(TargetConfigurationException.class, () -> new SqlServerPlugin().open(target,
                Credentials.password("app", "Cred-Pw".toCharArray(), "test"), SessionSettings.defaults()));
        assertEquals("target 'sales': options.browserPort: expected a UDP port number (1-65535), got '14x4'", error.getMessage());
        TargetConfigurationException zero = assertThrows(TargetConfigurationException.class, () -> new SqlServerPlugin().open(
                target("sales", "sqlserver://db3/sales", Map.of("instance", "SALES", "browserPort", "0")), Credentials.none(),
                SessionSettings.defaults()));
        assertTrue(zero.getMessage().endsWith("got '0'"), zero.getMessage());
    }

    @Test
    void aUrlOptionKeepsItsPlusAndDecodesItsEscapes() {
        SqlServerOptions options = SqlServerOptions.of(target("erp", "sqlserver://db3/erp?hostNameInCertificate=db+3%2Ecorp&serverSpn=MSSQLSvc/db3%2B:1433", Map.of()));
        assertEquals(Optional.of("db+3.corp"), options.get("hostNameInCertificate"));
        assertEquals(Optional.of("MSSQLSvc/db3+:1433"), options.get("serverSpn"));
    }

    @Test
    void unknownOptionsAndDriversAreConfigurationErrorsNamingTargetAndField() {
        TargetConfigurationException unknown = assertThrows(TargetConfigurationException.class,
                () -> describe(target("erp", "sqlserver://db3/erp", Map.of("applicationIntent", "ReadOnly"))));
        assertTrue(unknown.getMessage().startsWith("target 'erp': unknown option 'applicationIntent' for SQL Server; known options: driver, "),
                unknown.getMessage());
        TargetConfigurationException driver = assertThrows(TargetConfigurationException.class,
                () -> describe(target("erp", "sqlserver://db3/erp", Map.of("driver", "odbc"))));
        assertEquals("target 'erp': options.driver: expected jtds or mssql-jdbc, got 'odbc'", driver.getMessage());
    }

    @Test
    void withoutTheMicrosoftJarTheTargetIsAConfigurationErrorSayingWhereTheJarGoes() {
        Target target = target("billing", "sqlserver://app:Url-Pw@db1:1433/billing", Map.of("driver", "mssql-jdbc"));
        TargetConfigurationException error = assertThrows(TargetConfigurationException.class, () -> new SqlServerPlugin().open(target,
                Credentials.password("app", "Cred-Pw".toCharArray(), "test"), SessionSettings.defaults(),
                () -> List.of(new net.sourceforge.jtds.jdbc.Driver()), false, Optional.empty()));
        assertTrue(error.getMessage().startsWith("target 'billing': options.driver is \"mssql-jdbc\" but Microsoft's JDBC driver is not "
                + "installed; put mssql-jdbc-<version>.jre11.jar into "), error.getMessage());
        assertTrue(error.getMessage().contains("plugins/sqlserver/"), error.getMessage());
        assertFalse(error.getMessage().contains("Pw"), "no password in the message");
        assertEquals(1, error.getMessage().lines().count());
    }

    @Test
    void theMicrosoftDriverFromThePluginsDriversIsTheOneThatConnects() {
        FakeMicrosoftDriver microsoft = new FakeMicrosoftDriver();
        Target target = target("billing", "sqlserver://db1:1433/billing", Map.of("driver", "mssql-jdbc"));
        SqlServerSession session = new SqlServerPlugin().open(target, Credentials.password("app", "Cred-Pw".toCharArray(), "test"),
                SessionSettings.defaults(), () -> List.of(new net.sourceforge.jtds.jdbc.Driver(), microsoft), false, Optional.empty());
        assertEquals(DriverKind.MSSQL_JDBC, session.driver());
        SQLException failure = assertThrows(SQLException.class, session::connection);
        assertEquals(18456, failure.getErrorCode());
        assertTrue(microsoft.url.startsWith("jdbc:sqlserver://db1:1433;databaseName=billing;"), microsoft.url);
        assertEquals("Cred-Pw", microsoft.properties.getProperty("password"));
        SQLException later = assertThrows(SQLException.class, session::server);
        assertTrue(later.getMessage().startsWith("not connected: Login failed"), "one login attempt per run: " + later.getMessage());
    }

    @Test
    void theDriversThePluginSeesIncludeJtdsAndWithoutTheJarNoMicrosoftDriver() {
        // The test class path holds jTDS and no mssql-jdbc: what a plugin folder without the jar holds.
        List<Driver> drivers = DriverLoader.pluginDrivers();
        assertTrue(drivers.stream().anyMatch(d -> d instanceof net.sourceforge.jtds.jdbc.Driver), "found through ServiceLoader: " + drivers);
        assertThrows(TargetConfigurationException.class, () -> DriverLoader.mssqlJdbc("billing", drivers));
    }
}
