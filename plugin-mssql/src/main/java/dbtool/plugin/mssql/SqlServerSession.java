package dbtool.plugin.mssql;

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
 * The one connection of a troubleshoot, made on first use; a failure is remembered so that later
 * checks report it at once instead of logging in again.
 */
public final class SqlServerSession implements EngineSession {

    private final Driver driver;
    private final DriverKind driverKind;
    private final String jdbcUrl;
    private final Properties properties;
    private final String host;
    private final int port;
    private final Duration connectTimeout;
    private final Duration statementTimeout;
    private final Duration lockTimeout;
    private Connection connection;
    private SQLException failure;
    private ServerInfo server = ServerInfo.UNKNOWN;
    private volatile Statement running;

    SqlServerSession(Driver driver, JdbcConnection jdbc, String host, int port,
                     Duration connectTimeout, Duration statementTimeout, Duration lockTimeout) {
        this.driver = driver;
        this.driverKind = jdbc.driver();
        this.jdbcUrl = jdbc.url();
        this.properties = jdbc.properties();
        this.host = host;
        this.port = port;
        this.connectTimeout = connectTimeout;
        this.statementTimeout = statementTimeout;
        this.lockTimeout = lockTimeout;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public String user() {
        return properties.getProperty("user", "");
    }

    public DriverKind driver() {
        return driverKind;
    }

    /**
     * The server's version and edition, learnt once at login; the version guards of the checks
     * read it here. Connects if needed (and fails as {@link #connection()} does).
     */
    public synchronized ServerInfo server() throws SQLException {
        connection();
        return server;
    }

    public synchronized Connection connection() throws SQLException {
        if (connection != null) {
            return connection;
        }
        if (failure != null) {
            throw new SQLException("not connected: " + SqlServerErrors.describe(failure), failure.getSQLState(), failure.getErrorCode());
        }
        try {
            Connection opened = driver.connect(jdbcUrl, properties);
            if (opened == null) {
                throw new SQLException("the " + driverKind.displayName() + " driver does not accept " + jdbcUrl);
            }
            try (Statement statement = opened.createStatement()) {
                // Never queue behind the locks being diagnosed, and never take shared locks to read DMVs.
                statement.execute("SET LOCK_TIMEOUT " + lockTimeout.toMillis()
                        + "; SET TRANSACTION ISOLATION LEVEL READ UNCOMMITTED; SET DEADLOCK_PRIORITY LOW;");
            }
            opened.setReadOnly(true);
            server = learnServer(opened);
            connection = opened;
            return connection;
        } catch (SQLException e) {
            failure = e;
            throw e;
        } finally {
            properties.remove("password");
        }
    }

    private ServerInfo learnServer(Connection opened) {
        try (Statement statement = opened.createStatement()) {
            statement.setQueryTimeout((int) Math.max(1, statementTimeout.toSeconds()));
            try (ResultSet rs = statement.executeQuery(ServerInfo.SQL)) {
                if (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("version", rs.getString("version"));
                    row.put("edition", rs.getString("edition"));
                    row.put("engine_edition", rs.getObject("engine_edition"));
                    return ServerInfo.of(row);
                }
            }
        } catch (SQLException e) {
            // Without it, every check runs and reports its own error: better than guessing a version.
        }
        return ServerInfo.UNKNOWN;
    }

    /** Records that the server cannot be reached, so later checks fail at once. */
    public synchronized void markUnreachable(String reason) {
        if (connection == null && failure == null) {
            failure = new SQLException(reason, "08001");
            properties.remove("password");
        }
    }

    /** Runs a read-only query; its timeout is no longer than what is left of the deadline. */
    public List<Map<String, Object>> query(String sql, CheckContext context) throws SQLException {
        try (PreparedStatement statement = connection().prepareStatement(sql)) {
            long millis = Math.min(statementTimeout.toMillis(), context == null ? Long.MAX_VALUE : context.remaining().toMillis());
            statement.setQueryTimeout((int) Math.max(1, (millis + 999) / 1000));
            statement.setMaxRows(1000);
            running = statement;
            try (ResultSet rs = statement.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                List<Map<String, Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        Object value = rs.getObject(i);
                        row.put(meta.getColumnLabel(i), value instanceof java.math.BigDecimal d ? d.doubleValue()
                                : value instanceof java.sql.Timestamp t ? t.toInstant().toString()
                                // nvarchar(max) (Extended Events data) may come as a Clob; checks read text.
                                : value instanceof java.sql.Clob clob ? clob.getSubString(1, (int) Math.min(Integer.MAX_VALUE, clob.length()))
                                : value);
                    }
                    rows.add(row);
                }
                return rows;
            } finally {
                running = null;
            }
        }
    }

    @Override
    public void cancel() {
        Statement statement = running;
        if (statement != null) {
            try {
                statement.cancel();
            } catch (SQLException e) {
                // best effort; the socket timeout ends it anyway
            }
        }
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // nothing left to release
            }
            connection = null;
        }
    }
}
