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
     * A session that connects on first use.
     *
     * @param driver     the driver, instantiated from the plugin's layer (DriverManager does not see it)
     * @param jdbcUrl    the driver's URL, without credentials
     * @param properties the driver's properties, user and password among them; the session owns them
     * @param host       the target's host, as the messages name it
     * @param port       the target's port
     * @param database   the database the target named, or "" when the driver picks its default
     * @param settings   the session's timeouts
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

    /**
     * The target's host.
     *
     * @return the host name or address the target named
     */
    public String host() {
        return host;
    }

    /**
     * The target's port.
     *
     * @return the TCP port the session connects to
     */
    public int port() {
        return port;
    }

    /**
     * The target's database.
     *
     * @return the database the target named ("" for none, or the engine's default where the plugin fills it in)
     */
    public String database() {
        return database;
    }

    /**
     * The login's user, known before connecting (and after, when the password is gone).
     *
     * @return the {@code user} property, or "" when the driver finds the user itself
     */
    public String user() {
        return properties.getProperty("user", "");
    }

    /**
     * Asks the driver for the connection, for {@link #connect()} to make safe (read-only, timeouts).
     *
     * @return the driver's connection; null when the driver does not take the URL
     * @throws SQLException when the login fails
     */
    protected final Connection connectDriver() throws SQLException {
        return driver.connect(jdbcUrl, properties);
    }

    /** The password is needed only once: it is not kept for the rest of the run. */
    @Override
    protected void forgetSecrets() {
        properties.remove("password");
    }
}
