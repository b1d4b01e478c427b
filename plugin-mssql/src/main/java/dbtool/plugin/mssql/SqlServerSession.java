package dbtool.plugin.mssql;

import dbtool.spi.CheckContext;
import dbtool.spi.EngineSession;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.sql.Timestamp;
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

    /** A named instance whose port SQL Browser (UDP, normally 1434) tells; null name for none. */
    record NamedInstance(String name, int browserPort) {
    }

    private final Driver driver;
    private final JdbcConnection jdbc;
    private final Properties properties;
    private final String host;
    private final NamedInstance instance;
    private int port;
    private boolean portKnown;
    private final Duration connectTimeout;
    private final Duration statementTimeout;
    private final Duration lockTimeout;
    private Connection connection;
    private SQLException failure;
    private ServerInfo server = ServerInfo.UNKNOWN;
    private volatile Statement running;

    /**
     * @param jdbc     the driver's URL (for the target's port, or the default 1433 when the URL gave none) and properties
     * @param instance the named instance to look up with SQL Browser when the URL gave no port; null otherwise
     */
    SqlServerSession(Driver driver, JdbcConnection jdbc, String host, NamedInstance instance,
                     Duration connectTimeout, Duration statementTimeout, Duration lockTimeout) {
        this.driver = driver;
        this.jdbc = jdbc;
        this.properties = jdbc.properties();
        this.host = host;
        this.port = jdbc.port();
        this.instance = instance;
        this.portKnown = instance == null;
        this.connectTimeout = connectTimeout;
        this.statementTimeout = statementTimeout;
        this.lockTimeout = lockTimeout;
    }

    public String host() {
        return host;
    }

    /** The TCP port: the URL's, the instance's once SQL Browser told it, else 1433. */
    public synchronized int port() {
        return port;
    }

    /** The named instance to look up, or null when the URL named none or gave its port. */
    public String instance() {
        return instance == null ? null : instance.name();
    }

    public int browserPort() {
        return instance == null ? SqlBrowser.PORT : instance.browserPort();
    }

    /** Asks SQL Browser for the named instance's TCP port, once; the message of the IOException says what to check. */
    public synchronized int resolveInstancePort() throws IOException {
        if (!portKnown) {
            port = SqlBrowser.tcpPort(host, instance.browserPort(), instance.name(), connectTimeout);
            portKnown = true;
        }
        return port;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public String user() {
        return properties.getProperty("user", "");
    }

    public DriverKind driver() {
        return jdbc.driver();
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
            try {
                resolveInstancePort();
            } catch (IOException e) {
                throw new SQLException(e.getMessage(), "08001", e);
            }
            // The port is always given: the drivers' own Browser lookups are never used.
            String jdbcUrl = jdbc.url(port);
            Connection opened = driver.connect(jdbcUrl, properties);
            if (opened == null) {
                throw new SQLException("the " + jdbc.driver().displayName() + " driver does not accept " + jdbcUrl);
            }
            try (Statement statement = opened.createStatement()) {
                // Never queue behind the locks being diagnosed, and never take shared locks to read DMVs.
                statement.execute("SET LOCK_TIMEOUT " + lockTimeout.toMillis()
                        + "; SET TRANSACTION ISOLATION LEVEL READ UNCOMMITTED; SET DEADLOCK_PRIORITY LOW;");
                opened.setReadOnly(true);
            } catch (SQLException | RuntimeException e) {
                // Logged in but not safe to use: hang up now, or the connection stays open until the process ends.
                closeQuietly(opened);
                throw e;
            }
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

    private static void closeQuietly(Connection opened) {
        try {
            opened.close();
        } catch (SQLException e) {
            // the failure being reported matters more
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

    /**
     * Runs a read-only query; its timeout is no longer than what is left of the deadline. A plain
     * Statement, not a PreparedStatement: the checks' SQL has no parameters, and jTDS would wrap a
     * prepared one in sp_prepare/sp_execute RPCs that create a server-side handle per statement;
     * a Statement goes out as one SQL batch, which is what an incident's server should get (and
     * works the same whatever the driver's prepareSQL property says).
     */
    public List<Map<String, Object>> query(String sql, CheckContext context) throws SQLException {
        return query(sql, context, 1000);
    }

    /** As {@link #query}, without the 1000-row cap: for reads that must be complete (wait statistics compared row by row). */
    public List<Map<String, Object>> queryAll(String sql, CheckContext context) throws SQLException {
        return query(sql, context, 0);
    }

    private List<Map<String, Object>> query(String sql, CheckContext context, int maxRows) throws SQLException {
        try (Statement statement = connection().createStatement()) {
            long millis = Math.min(statementTimeout.toMillis(), context == null ? Long.MAX_VALUE : context.remaining().toMillis());
            int seconds = (int) Math.max(1, (millis + 999) / 1000);
            statement.setQueryTimeout(seconds);
            statement.setMaxRows(maxRows);
            running = statement;
            try (ResultSet rs = executeQuery(statement, sql, seconds)) {
                ResultSetMetaData meta = rs.getMetaData();
                List<Map<String, Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        Object value = rs.getObject(i);
                        row.put(meta.getColumnLabel(i), value instanceof BigDecimal d ? d.doubleValue()
                                : value instanceof Timestamp t ? t.toInstant().toString()
                                // nvarchar(max) (Extended Events data) may come as a Clob; checks read text.
                                : value instanceof Clob clob ? clob.getSubString(1, (int) Math.min(Integer.MAX_VALUE, clob.length()))
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

    /** The drivers say only "The query has timed out."; say which limit it was and what it means. */
    private static ResultSet executeQuery(Statement statement, String sql, int timeoutSeconds) throws SQLException {
        try {
            return statement.executeQuery(sql);
        } catch (SQLTimeoutException e) {
            throw new SQLTimeoutException("no answer within " + timeoutSeconds + " s (the statement timeout), so dbtool cancelled "
                    + "the query: the server is too busy or the read is blocked", e.getSQLState(), e.getErrorCode(), e);
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
