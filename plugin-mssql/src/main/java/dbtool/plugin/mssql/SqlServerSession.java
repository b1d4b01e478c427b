package dbtool.plugin.mssql;

import dbtool.plugin.mssql.activity.SqlServerActivity;
import dbtool.plugin.mssql.activity.SqlServerPlan;
import dbtool.spi.ActiveSession;
import dbtool.spi.Activity;
import dbtool.spi.ActivityView;
import dbtool.spi.CheckContext;
import dbtool.spi.LogSource;
import dbtool.spi.QueryPlan;
import dbtool.spi.SessionSettings;
import dbtool.toolkit.Values;
import dbtool.toolkit.jdbc.JdbcSession;
import java.io.IOException;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The one connection of a troubleshoot, on jTDS or mssql-jdbc: lazy connect, remembered failure,
 * timeouts, cancel and row conversion come from the toolkit's {@link JdbcSession}; this class adds
 * the named instance's port (SQL Browser), the session settings that keep dbtool out of the locks it
 * diagnoses, the server's version, and dbtool top's live view (the activity package). Its statements go out as plain SQL batches, never prepared:
 * jTDS would wrap a prepared one in sp_prepare/sp_execute RPCs that create a handle per statement.
 */
public final class SqlServerSession extends JdbcSession implements ActivityView, LogSource {

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
    private ServerInfo server = ServerInfo.UNKNOWN;
    private final boolean write;

    /**
     * @param jdbc     the driver's URL (for the target's port, or the default 1433 when the URL gave none) and properties
     * @param instance the named instance to look up with SQL Browser when the URL gave no port; null otherwise
     * @param write    only for dbtool config's set and rollback: the connection is not marked read-only
     */
    SqlServerSession(Driver driver, JdbcConnection jdbc, String host, NamedInstance instance, SessionSettings settings, boolean write) {
        super(settings);
        this.driver = driver;
        this.jdbc = jdbc;
        this.properties = jdbc.properties();
        this.host = host;
        this.port = jdbc.port();
        this.instance = instance;
        this.portKnown = instance == null;
        this.write = write;
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
            port = SqlBrowser.tcpPort(host, instance.browserPort(), instance.name(), connectTimeout());
            portKnown = true;
        }
        return port;
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

    @Override
    protected String driverName() {
        return jdbc.driver().displayName();
    }

    @Override
    public String describe(SQLException e) {
        return SqlServerErrors.describe(e);
    }

    @Override
    protected void forgetSecrets() {
        properties.remove("password");
    }

    @Override
    protected Connection connect() throws SQLException {
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
            statement.execute("SET LOCK_TIMEOUT " + settings().lockTimeout().toMillis()
                    + "; SET TRANSACTION ISOLATION LEVEL READ UNCOMMITTED; SET DEADLOCK_PRIORITY LOW;");
            opened.setReadOnly(!write);
        } catch (SQLException | RuntimeException e) {
            // Logged in but not safe to use: hang up now, or the connection stays open until the process ends.
            closeQuietly(opened);
            throw e;
        }
        server = learnServer(opened, statementTimeout());
        return opened;
    }

    private static void closeQuietly(Connection opened) {
        try {
            opened.close();
        } catch (SQLException e) {
            // the failure being reported matters more
        }
    }

    private static ServerInfo learnServer(Connection opened, Duration statementTimeout) {
        try (Statement statement = opened.createStatement()) {
            statement.setQueryTimeout((int) Math.max(1, statementTimeout.toSeconds()));
            try (ResultSet rs = statement.executeQuery(ServerInfo.SQL)) {
                if (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("version", rs.getString("version"));
                    row.put("edition", rs.getString("edition"));
                    row.put("engine_edition", Values.plain(rs.getObject("engine_edition")));
                    return ServerInfo.of(row);
                }
            }
        } catch (SQLException e) {
            // Without it, every check runs and reports its own error: better than guessing a version.
        }
        return ServerInfo.UNKNOWN;
    }

    /** The current error log through sys.sp_readerrorlog (the login needs securityadmin, or VIEW SERVER STATE where accepted). */
    @Override
    public ServerLog readLog(long maxBytes, CheckContext context) throws Exception {
        return SqlServerServerLog.read(this, maxBytes, context);
    }

    @Override
    public Activity activity(CheckContext context) throws SQLException {
        return SqlServerActivity.read(this, context);
    }

    @Override
    public QueryPlan plan(ActiveSession session, CheckContext context) throws SQLException {
        return SqlServerPlan.read(this, session, context);
    }
}
