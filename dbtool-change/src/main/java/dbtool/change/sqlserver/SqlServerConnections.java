package dbtool.change.sqlserver;

import dbtool.change.migrate.OpeningDataSource;
import dbtool.core.DbtoolException;
import dbtool.core.plugin.PluginRegistry;
import dbtool.spi.Credentials;
import dbtool.spi.EnginePlugin;
import dbtool.spi.Target;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.ServiceLoader;
import javax.sql.DataSource;

/**
 * Connections to one SQL Server database through jTDS, taken from the SQL Server plugin's layer (the
 * driver dbtool troubleshoots SQL Server with), each with {@code SET LOCK_TIMEOUT} so that no statement
 * of a change queues behind another session's lock for longer. SQL Server has no read-only session:
 * plan and history are read-only by what they run. The password goes into the driver's properties
 * only, never into a message.
 */
public final class SqlServerConnections {

    static final String JTDS = "net.sourceforge.jtds.jdbc.Driver";

    private final Driver driver;
    private final String host;
    private final int port;
    private final String database;
    private final String user;
    private final char[] password;
    private final String applicationName;

    private SqlServerConnections(Driver driver, String host, int port, String database, String user, char[] password, String applicationName) {
        this.driver = driver;
        this.host = host;
        this.port = port;
        this.database = database;
        this.user = user;
        this.password = password;
        this.applicationName = applicationName;
    }

    /** The target's database with the credentials dbtool resolved for it. */
    public static SqlServerConnections of(PluginRegistry plugins, Target target, Credentials credentials, String applicationName) {
        String user = credentials.user().orElse(target.urlUser().orElse(null));
        char[] password = credentials.password().orElse(target.urlPassword().map(String::toCharArray).orElse(null));
        return new SqlServerConnections(jtds(plugins), target.host(), target.portOr(1433),
                target.database() == null || target.database().isBlank() ? "master" : target.database(), user, password, applicationName);
    }

    /** jTDS, a {@code java.sql.Driver} provider of the SQL Server plugin's layer. */
    static Driver jtds(PluginRegistry plugins) {
        EnginePlugin plugin = plugins.engineForScheme("sqlserver").orElseThrow(() -> DbtoolException.config(
                "dbtool change on SQL Server needs the SQL Server plugin, which is not installed ('dbtool plugins')"));
        ModuleLayer layer = plugin.getClass().getModule().getLayer();
        ServiceLoader<Driver> loader = layer == null || layer == ModuleLayer.boot()
                ? ServiceLoader.load(Driver.class, plugin.getClass().getClassLoader())
                : ServiceLoader.load(layer, Driver.class);
        for (ServiceLoader.Provider<Driver> provider : loader.stream().toList()) {
            if (provider.type().getName().equals(JTDS)) {
                return provider.get();
            }
        }
        throw DbtoolException.config("the SQL Server plugin carries no jTDS driver; reinstall it ('dbtool plugins')");
    }

    public String database() {
        return database;
    }

    /** Where it connects, for messages and the audit: no password. */
    public String describe() {
        return (user == null ? "" : user + "@") + host + ":" + port + "/" + database;
    }

    /** A session with this lock timeout (SET LOCK_TIMEOUT, in milliseconds). */
    public Connection open(Duration lockTimeout) throws SQLException {
        Properties properties = new Properties();
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", new String(password));
        }
        properties.setProperty("appName", applicationName);
        properties.setProperty("progName", applicationName);
        properties.setProperty("loginTimeout", "10");
        // Parameters as literals in the batch (jTDS escapes them) instead of sp_prepare round trips: a migration's
        // statements run once each, so preparing them buys nothing and leaves handles on the server.
        properties.setProperty("prepareSQL", "0");
        properties.setProperty("useLOBs", "false");
        String url = "jdbc:jtds:sqlserver://" + host + ":" + port + "/" + database;
        Connection connection = driver.connect(url, properties);
        if (connection == null) {
            throw new SQLException("the jTDS driver does not accept " + describe());
        }
        try (Statement s = connection.createStatement()) {
            s.execute("SET LOCK_TIMEOUT " + lockTimeout.toMillis());
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    /** For Flyway: every connection it opens is made here, with the lock timeout. */
    public DataSource dataSource(Duration lockTimeout) {
        return new OpeningDataSource(() -> open(lockTimeout));
    }
}
