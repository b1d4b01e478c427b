package dbtool.toolkit.jdbc;

import dbtool.spi.SessionSettings;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.Properties;

/**
 * A {@link JdbcSession} whose driver connects from a URL and properties, to a host, port and
 * database the target named (PostgreSQL, MariaDB/MySQL, a third-party engine with a plain JDBC
 * driver). It knows them before connecting, for the connectivity check's stages and messages, and
 * drops the {@code password} property after the first attempt. A subclass calls
 * {@link #connectDriver()} from {@link #connect()} and makes the connection safe.
 */
public abstract class JdbcUrlSession extends JdbcSession {

    private final Driver driver;
    private final String jdbcUrl;
    private final Properties properties;
    private final String host;
    private final int port;
    private final String database;

    /**
     * @param driver     the driver, instantiated from the plugin's layer (DriverManager does not see it)
     * @param jdbcUrl    the driver's URL, without credentials
     * @param properties the driver's properties, user and password among them; the session owns them
     * @param database   the database the target named, or "" when the driver picks its default
     */
    protected JdbcUrlSession(Driver driver, String jdbcUrl, Properties properties, String host, int port, String database,
                             SessionSettings settings) {
        super(settings);
        this.driver = driver;
        this.jdbcUrl = jdbcUrl;
        this.properties = properties;
        this.host = host;
        this.port = port;
        this.database = database;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** The database the target named ("" for none, or the engine's default where the plugin fills it in). */
    public String database() {
        return database;
    }

    /** The user the session logs in as, when known before connecting; "" otherwise. */
    public String user() {
        return properties.getProperty("user", "");
    }

    /** The driver's connection, not yet made safe; null when the driver does not take the URL. */
    protected final Connection connectDriver() throws SQLException {
        return driver.connect(jdbcUrl, properties);
    }

    /** The password is needed only once: it is not kept for the rest of the run. */
    @Override
    protected void forgetSecrets() {
        properties.remove("password");
    }
}
