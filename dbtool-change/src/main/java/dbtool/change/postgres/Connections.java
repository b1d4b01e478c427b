package dbtool.change.postgres;

import dbtool.change.migrate.OpeningDataSource;
import dbtool.spi.Credentials;
import dbtool.spi.Target;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * Connections to one PostgreSQL database through pgjdbc taken from the PostgreSQL plugin's layer:
 * read-only ones for plan and dry run (the target is only read), write ones for apply and rollback,
 * each with its lock timeout. The password goes into the driver's properties and the tools'
 * {@code PGPASSWORD}, never onto a command line or into a message.
 */
public final class Connections {

    private final Driver driver;
    private final String host;
    private final int port;
    private final String database;
    private final String user;
    private final char[] password;
    private final Map<String, String> query;
    private final String applicationName;

    public Connections(Driver driver, String host, int port, String database, String user, char[] password, Map<String, String> query,
                       String applicationName) {
        this.driver = driver;
        this.host = host;
        this.port = port;
        this.database = database;
        this.user = user;
        this.password = password;
        this.query = query;
        this.applicationName = applicationName;
    }

    /** The target's database with the credentials dbtool resolved for it. */
    public static Connections of(Driver driver, Target target, Credentials credentials, String applicationName) {
        String user = credentials.user().orElse(target.urlUser().orElse(null));
        char[] password = credentials.password().orElse(target.urlPassword().map(String::toCharArray).orElse(null));
        Map<String, String> query = new LinkedHashMap<>(target.urlQuery());
        query.remove("password");
        query.remove("user");
        return new Connections(driver, target.host(), target.portOr(5432), target.database() == null || target.database().isBlank()
                ? "postgres" : target.database(), user, password, query, applicationName);
    }

    /** The same server, another database (the clone's). */
    public Connections database(String name) {
        return new Connections(driver, host, port, name, user, password, query, applicationName);
    }

    /** pgjdbc, from the PostgreSQL plugin's layer. */
    public Driver driver() {
        return driver;
    }

    public String database() {
        return database;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** A session whose transactions cannot write, with statement and lock timeouts. */
    public Connection readOnly(Duration statementTimeout, Duration lockTimeout) throws SQLException {
        return connect("-c default_transaction_read_only=on -c statement_timeout=" + statementTimeout.toMillis()
                + " -c lock_timeout=" + lockTimeout.toMillis());
    }

    /** A session that may write; its lock timeout keeps it from queueing behind a long transaction. */
    public Connection write(Duration lockTimeout) throws SQLException {
        return connect(lockTimeout == null ? null : "-c lock_timeout=" + lockTimeout.toMillis());
    }

    /** For Flyway: every connection it opens is made here (read-only for plan and dry run). */
    public DataSource dataSource(boolean readOnly, Duration lockTimeout) {
        String options = (readOnly ? "-c default_transaction_read_only=on " : "") + "-c lock_timeout=" + lockTimeout.toMillis();
        return new OpeningDataSource(() -> connect(options));
    }

    /** libpq's variables for pg_dump, pg_restore and psql: the password only here. */
    public Map<String, String> libpqEnvironment(String options) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PGHOST", host);
        env.put("PGPORT", Integer.toString(port));
        env.put("PGDATABASE", database);
        if (user != null) {
            env.put("PGUSER", user);
        }
        if (password != null) {
            env.put("PGPASSWORD", new String(password));
        }
        if (query.containsKey("sslmode")) {
            env.put("PGSSLMODE", query.get("sslmode"));
        }
        env.put("PGAPPNAME", applicationName);
        env.put("PGCONNECT_TIMEOUT", "10");
        if (options != null) {
            env.put("PGOPTIONS", options);
        }
        return env;
    }

    /** Where it connects, for messages: no password. */
    public String describe() {
        return (user == null ? "" : user + "@") + host + ":" + port + "/" + database;
    }

    private Connection connect(String options) throws SQLException {
        Properties properties = new Properties();
        query.forEach(properties::setProperty);
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", new String(password));
        }
        properties.setProperty("ApplicationName", applicationName);
        properties.setProperty("connectTimeout", "10");
        if (options != null) {
            properties.setProperty("options", options);
        }
        String url = "jdbc:postgresql://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/" + database;
        Connection connection = driver.connect(url, properties);
        if (connection == null) {
            throw new SQLException("the PostgreSQL driver does not accept " + describe());
        }
        return connection;
    }
}
