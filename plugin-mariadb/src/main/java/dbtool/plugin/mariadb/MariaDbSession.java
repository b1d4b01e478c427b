package dbtool.plugin.mariadb;

import dbtool.spi.CheckContext;
import dbtool.spi.EngineSession;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The one connection of a troubleshoot, made on first use (by the connectivity check, which times
 * it); a failure is remembered so that later checks report it at once instead of trying again.
 * Right after login the session is made read-only and every statement and lock wait is bounded
 * on the server ({@link Flavour#safetyStatements}), so dbtool never queues behind the locks it
 * diagnoses. (Kept apart so that the shared plugin toolkit's JDBC session can replace it.)
 */
public final class MariaDbSession implements EngineSession {

    /** Row cap of every query: reports are read by a human in an incident. */
    static final int MAX_ROWS = 1000;

    private final Driver driver;
    private final String jdbcUrl;
    private final Properties properties;
    private final String host;
    private final int port;
    private final String database;
    private final Duration connectTimeout;
    private final Duration statementTimeout;
    private final Duration lockTimeout;
    private final boolean tlsRequested;
    private final boolean handshakeProbe;

    private Connection connection;
    private SQLException connectFailure;
    private Flavour flavour;
    private String version;
    private long connectionId = -1;
    private volatile Statement running;

    MariaDbSession(Driver driver, String jdbcUrl, Properties properties, String host, int port, String database,
                   Duration connectTimeout, Duration statementTimeout, Duration lockTimeout, boolean tlsRequested,
                   boolean handshakeProbe) {
        this.driver = driver;
        this.jdbcUrl = jdbcUrl;
        this.properties = properties;
        this.host = host;
        this.port = port;
        this.database = database;
        this.connectTimeout = connectTimeout;
        this.statementTimeout = statementTimeout;
        this.lockTimeout = lockTimeout;
        this.tlsRequested = tlsRequested;
        this.handshakeProbe = handshakeProbe;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String where() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** The database named by the target, or empty. */
    public String database() {
        return database;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** Whether the target asks for TLS (sslMode other than disable). */
    public boolean tlsRequested() {
        return tlsRequested;
    }

    /** Whether the connectivity check may open its own connection to read the greeting (setting handshake_probe). */
    public boolean handshakeProbe() {
        return handshakeProbe;
    }

    /** The user the session logs in as, when known before connecting. */
    public String user() {
        return properties.getProperty("user", "");
    }

    /** The connection, made on first call; throws the remembered failure on later calls. */
    public synchronized Connection connection() throws SQLException {
        if (connection != null) {
            return connection;
        }
        if (connectFailure != null) {
            throw new SQLException("not connected: " + LoginFailure.describe(connectFailure), connectFailure.getSQLState(),
                    connectFailure.getErrorCode());
        }
        try {
            Connection made = driver.connect(jdbcUrl, properties);
            if (made == null) {
                throw new SQLException("the MariaDB driver does not accept " + jdbcUrl, "08001");
            }
            try {
                made.setAutoCommit(true);
                try (Statement statement = made.createStatement()) {
                    statement.setQueryTimeout((int) Math.max(1, statementTimeout.toSeconds()));
                    try (ResultSet rs = statement.executeQuery("SELECT VERSION(), CONNECTION_ID()")) {
                        rs.next();
                        version = rs.getString(1);
                        connectionId = rs.getLong(2);
                    }
                    flavour = Flavour.of(version);
                    for (String sql : flavour.safetyStatements(statementTimeout.toMillis(), lockTimeout.toMillis())) {
                        statement.execute(sql);
                    }
                }
            } catch (SQLException e) {
                made.close();
                throw e;
            }
            connection = made;
            return connection;
        } catch (SQLException e) {
            connectFailure = e;
            throw e;
        } finally {
            // The password is needed only once: do not keep it for the rest of the run.
            properties.remove("password");
        }
    }

    /**
     * Records that the server cannot be reached (found by the connectivity check before the
     * driver tried): later checks fail at once instead of waiting for another connect timeout.
     */
    public synchronized void markUnreachable(String reason) {
        if (connection == null && connectFailure == null) {
            connectFailure = new SQLException(reason, "08001");
            properties.remove("password");
        }
    }

    /** MariaDB or MySQL; connects first if needed. */
    public synchronized Flavour flavour() throws SQLException {
        connection();
        return flavour;
    }

    /** {@code VERSION()}, e.g. 10.11.6-MariaDB-0+deb12u1 or 8.0.40. */
    public synchronized String version() throws SQLException {
        connection();
        return version;
    }

    /** dbtool's own connection id, left out of every list of sessions. */
    public synchronized long connectionId() throws SQLException {
        connection();
        return connectionId;
    }

    /**
     * Runs a read-only query and returns its rows as ordered maps (column label to a plain JDK
     * value). The statement gets a client-side timeout no longer than what is left of the
     * deadline, on top of the server-side limits set at login.
     */
    public List<Map<String, Object>> query(String sql, CheckContext context, Object... parameters) throws SQLException {
        Connection c = connection();
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            statement.setQueryTimeout(timeoutSeconds(context));
            statement.setMaxRows(MAX_ROWS);
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            running = statement;
            try (ResultSet rs = statement.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                List<Map<String, Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        row.put(meta.getColumnLabel(i), Rows.plain(rs.getObject(i)));
                    }
                    rows.add(row);
                }
                return rows;
            } finally {
                running = null;
            }
        }
    }

    /** The first row, or an empty map. */
    public Map<String, Object> queryOne(String sql, CheckContext context, Object... parameters) throws SQLException {
        List<Map<String, Object>> rows = query(sql, context, parameters);
        return rows.isEmpty() ? Map.of() : rows.getFirst();
    }

    /** SHOW GLOBAL STATUS / VARIABLES rows (Variable_name, Value) as one map. */
    public Map<String, String> nameValues(String sql, CheckContext context) throws SQLException {
        Map<String, String> values = new LinkedHashMap<>();
        for (Map<String, Object> row : query(sql, context)) {
            values.put(Rows.text(row, "Variable_name"), Rows.text(row, "Value"));
        }
        return values;
    }

    private int timeoutSeconds(CheckContext context) {
        long millis = statementTimeout.toMillis();
        if (context != null) {
            millis = Math.min(millis, context.remaining().toMillis());
        }
        return (int) Math.max(1, (millis + 999) / 1000);
    }

    /** Stops the running statement on the server (the driver sends KILL QUERY on a connection of its own). */
    @Override
    public void cancel() {
        Statement statement = running;
        if (statement != null) {
            try {
                statement.cancel();
            } catch (SQLException e) {
                // Best effort: the server-side statement limit ends it anyway.
            }
        }
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // Closing a broken connection: nothing left to release.
            }
            connection = null;
        }
    }
}
