package dbtool.toolkit.jdbc;

import dbtool.spi.CheckContext;
import dbtool.spi.EngineSession;
import dbtool.spi.SessionSettings;
import dbtool.toolkit.FailureCause;
import dbtool.toolkit.Format;
import dbtool.toolkit.Stages;
import dbtool.toolkit.Values;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one connection of a troubleshoot, for a JDBC engine. It is made on first use (by the
 * connectivity check, which times its stages), and a failure is remembered so that later checks
 * report it at once instead of trying again: one connection per target, never a retry storm
 * against a struggling server. Secrets are dropped after the first attempt, whatever its outcome.
 *
 * <p>Every statement gets a client-side timeout no longer than the session's statement timeout
 * ({@link SessionSettings#statementTimeout()}) nor than what is left of the deadline, on top of the
 * server-side limits the engine sets at login, unless the engine says the server enforces that
 * timeout itself ({@link #serverEndsLongStatements()}); {@link #cancel()} stops it from the runner's thread.
 * Rows come back as ordered maps of plain values ({@link Values#plain}), so a number has the same
 * JSON type on every engine. A subclass says how to connect ({@link #connect()}) and which secrets
 * to forget ({@link #forgetSecrets()}); the rest is here.
 */
public abstract class JdbcSession implements EngineSession {

    /** Rows read per statement at the most, unless {@link #queryAll} says otherwise. */
    public static final int MAX_ROWS = 1000;

    private final SessionSettings settings;
    private final Stages stages = new Stages();
    private Connection connection;
    private SQLException connectFailure;
    private long connectMillis = -1;
    private volatile Statement running;
    private volatile String runningSql;
    private volatile long runningSince;

    /**
     * A session that connects on first use.
     *
     * @param settings the safety settings every connection and statement gets
     */
    protected JdbcSession(SessionSettings settings) {
        this.settings = settings;
    }

    /**
     * Opens the connection with the engine's driver and makes it safe to use (read-only, timeouts,
     * isolation). A connection that cannot be made safe must be closed before throwing. Called once.
     *
     * @return the open, safe connection
     * @throws SQLException when the connection fails; the session remembers it for later checks
     */
    protected abstract Connection connect() throws SQLException;

    /** Drops the password or key the login needed: called after the first attempt, whether it worked or not. */
    protected abstract void forgetSecrets();

    /**
     * The driver's name in messages.
     *
     * @return e.g. "PostgreSQL"
     */
    protected abstract String driverName();

    /**
     * The stage a login is, for the report when the deadline ends it.
     *
     * @return {@link Stages#LOGIN} unless the engine says more
     */
    protected Stages.Stage loginStage() {
        return Stages.LOGIN;
    }

    /**
     * What is remembered of a failed login; a session whose driver may echo a secret scrubs it here.
     *
     * @param failure the login's failure
     * @return what later checks are told; the failure itself by default
     */
    protected SQLException remembered(SQLException failure) {
        return failure;
    }

    /**
     * Refuses a statement before it is sent (e.g. one that is not read-only); nothing by default.
     *
     * @param sql the statement about to be sent
     * @throws SQLException to refuse it, with the reason
     */
    protected void vet(String sql) throws SQLException {
    }

    /**
     * Whether the server itself ends every statement of this session at the session's statement
     * timeout, because the engine set that limit at login (PostgreSQL's {@code statement_timeout} in
     * the startup options). Then no client-side timeout is armed per statement: with pgjdbc that is a
     * timer task per statement and a timer thread per connection, work that buys no protection the
     * server does not already give. The deadline still cancels a running statement from the runner's
     * thread ({@link #cancel()}), and the driver's socket timeout still ends a read from a server that
     * stopped answering.
     *
     * @return false by default: every statement gets a client-side timeout
     */
    protected boolean serverEndsLongStatements() {
        return false;
    }

    /**
     * One line for a failure, used in "not connected: ..." and by the checks.
     *
     * @param e the failure
     * @return the line
     */
    public String describe(SQLException e) {
        return FailureCause.describe(e);
    }

    /**
     * The safety settings this session was opened with.
     *
     * @return the settings
     */
    public SessionSettings settings() {
        return settings;
    }

    /**
     * How long a connection attempt may take.
     *
     * @return the settings' connect timeout
     */
    public Duration connectTimeout() {
        return settings.connectTimeout();
    }

    /**
     * How long a statement may run at most.
     *
     * @return the settings' statement timeout
     */
    public Duration statementTimeout() {
        return settings.statementTimeout();
    }

    /**
     * The connection's stages, for the connectivity check's evidence and for {@link #activity()}.
     *
     * @return the stages so far
     */
    public Stages stages() {
        return stages;
    }

    /**
     * The connection, made on first call; throws the remembered failure on later calls.
     *
     * @return the open connection
     * @throws SQLException when the connection failed (now or on an earlier call)
     */
    public final synchronized Connection connection() throws SQLException {
        if (connection != null) {
            return connection;
        }
        if (connectFailure != null) {
            throw new SQLException("not connected: " + describe(connectFailure), connectFailure.getSQLState(), connectFailure.getErrorCode());
        }
        boolean staged = stages.beginIfIdle(loginStage());
        long start = System.nanoTime();
        try {
            Connection made = connect();
            if (made == null) {
                throw new SQLException("the " + driverName() + " driver does not accept the URL", "08001");
            }
            connection = made;
            return connection;
        } catch (SQLException e) {
            connectFailure = remembered(e);
            throw connectFailure;
        } catch (RuntimeException e) {
            // Drivers throw unchecked exceptions for some malformed answers; they are login failures too.
            connectFailure = remembered(new SQLException(e.getClass().getSimpleName() + ": " + e.getMessage(), "08001", e));
            throw connectFailure;
        } catch (LinkageError e) {
            connectFailure = new SQLException(missingClass(driverName(), e), "08001");
            throw connectFailure;
        } finally {
            connectMillis = (System.nanoTime() - start) / 1_000_000;
            if (staged) {
                stages.idle();
            }
            forgetSecrets();
        }
    }

    /**
     * One line for a driver that cannot link in this runtime (a JDK module missing from the runtime image).
     *
     * @param driverName the driver's name in messages
     * @param e the linkage failure
     * @return the line
     */
    public static String missingClass(String driverName, LinkageError e) {
        String what = String.valueOf(e.getMessage()).replace('/', '.');
        return "the " + driverName + " driver cannot run in this Java runtime: " + e.getClass().getSimpleName() + " " + what
                + " (a JDK module is missing from the runtime image)";
    }

    /**
     * Records that the server cannot be reached (found by the connectivity check before the driver
     * tried): later checks fail at once instead of waiting for another connect timeout.
     *
     * @param reason one line: why, e.g. {@code TCP connect to db1:5432 failed: Connection refused}
     */
    public synchronized void markUnreachable(String reason) {
        if (connection == null && connectFailure == null) {
            connectFailure = new SQLException(reason, "08001");
            forgetSecrets();
        }
    }

    /**
     * The dns stage: resolves the host; a failure is recorded, remembered (later checks fail at once) and thrown.
     *
     * @param host the host name or address
     * @return its first address
     * @throws IOException when it does not resolve
     */
    public InetAddress resolve(String host) throws IOException {
        try {
            return stages.resolve(host);
        } catch (IOException e) {
            markUnreachable("host name " + host + " does not resolve");
            throw e;
        }
    }

    /**
     * The tcp stage: connects to {@code where} and closes again; a failure is recorded, remembered and thrown.
     *
     * @param address the server's address
     * @param port the server's TCP port
     * @param where host and port as the messages name them
     * @param timeoutMillis how long the connection may take ({@link #tcpTimeoutMillis})
     * @throws IOException when the connection fails or times out
     */
    public void reach(InetAddress address, int port, String where, int timeoutMillis) throws IOException {
        open(address, port, where, timeoutMillis).close();
    }

    /**
     * As {@link #reach}, keeping the connection open for the caller (which closes it), e.g. to read
     * the server's greeting.
     *
     * @param address       the server's address, from {@link #resolve}
     * @param port          the server's TCP port
     * @param where         host and port as the messages name them
     * @param timeoutMillis how long the connection may take ({@link #tcpTimeoutMillis})
     * @return the connected socket, without a read timeout
     * @throws IOException when the connection fails or times out; the session remembers it, so later checks fail at once
     */
    public Socket open(InetAddress address, int port, String where, int timeoutMillis) throws IOException {
        try {
            return stages.open(address, port, timeoutMillis);
        } catch (IOException e) {
            markUnreachable("TCP connect to " + where + " failed: " + e.getMessage());
            throw e;
        }
    }

    /**
     * The tcp stage's timeout: the connect timeout, or what is left of the deadline when that is shorter.
     *
     * @param context the running check's context, for the deadline
     * @return milliseconds, at least 100
     */
    public int tcpTimeoutMillis(CheckContext context) {
        return (int) Math.max(100, Math.min(connectTimeout().toMillis(), context.remaining().toMillis()));
    }

    /**
     * How long the connection attempt took.
     *
     * @return milliseconds, or -1 before it was made
     */
    public long connectMillis() {
        return connectMillis;
    }

    /**
     * Runs a read-only query and returns at most {@link #MAX_ROWS} rows as ordered maps (column label
     * to plain value). Without parameters it goes out as a plain statement (one SQL batch; jTDS would
     * wrap a prepared one in sp_prepare/sp_execute), with parameters as a prepared statement.
     *
     * @param sql        the statement, read-only
     * @param context    the running check's context, for the deadline
     * @param parameters values for its {@code ?} placeholders; none for a plain statement
     * @return the rows, each by column label in column order
     * @throws SQLException when the statement fails, times out or is refused; also the remembered failure of a login that failed
     */
    public List<Map<String, Object>> query(String sql, CheckContext context, Object... parameters) throws SQLException {
        return read(sql, context, MAX_ROWS, parameters);
    }

    /**
     * As {@link #query}, without the row cap: for reads that must be complete.
     *
     * @param sql the statement, read-only
     * @param context the running check's context, for the deadline
     * @return every row, each by column label in column order
     * @throws SQLException when the statement fails, times out or is refused; also the remembered failure of a login that failed
     */
    public List<Map<String, Object>> queryAll(String sql, CheckContext context) throws SQLException {
        return read(sql, context, 0);
    }

    /**
     * The first row of a query, as {@link #query} runs it.
     *
     * @param sql the statement, read-only
     * @param context the running check's context, for the deadline
     * @param parameters values for its {@code ?} placeholders; none for a plain statement
     * @return the first row, or an empty map when there is none
     * @throws SQLException when the statement fails, times out or is refused; also the remembered failure of a login that failed
     */
    public Map<String, Object> queryOne(String sql, CheckContext context, Object... parameters) throws SQLException {
        List<Map<String, Object>> rows = query(sql, context, parameters);
        return rows.isEmpty() ? Map.of() : rows.getFirst();
    }

    private List<Map<String, Object>> read(String sql, CheckContext context, int maxRows, Object... parameters) throws SQLException {
        vet(sql);
        Connection c = connection();
        int seconds = timeoutSeconds(context);
        try (Statement statement = parameters.length == 0 ? c.createStatement() : c.prepareStatement(sql)) {
            if (!serverEndsLongStatements()) {
                statement.setQueryTimeout(seconds);
            }
            statement.setMaxRows(maxRows);
            if (statement instanceof PreparedStatement prepared) {
                for (int i = 0; i < parameters.length; i++) {
                    prepared.setObject(i + 1, parameters[i]);
                }
            }
            runningSince = System.nanoTime();
            runningSql = sql;
            running = statement;
            try (ResultSet rs = statement instanceof PreparedStatement prepared ? prepared.executeQuery() : statement.executeQuery(sql)) {
                return rows(rs);
            } catch (SQLTimeoutException e) {
                // Drivers say only "The query has timed out."; say which limit it was and what it means.
                throw new SQLTimeoutException("no answer within " + seconds + " s (the statement timeout), so dbtool cancelled "
                        + "the query: the server is too busy or the read is blocked", e.getSQLState(), e.getErrorCode(), e);
            } finally {
                running = null;
                runningSql = null;
            }
        }
    }

    private static List<Map<String, Object>> rows(ResultSet rs) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        List<Map<String, Object>> rows = new ArrayList<>();
        while (rs.next()) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                row.put(meta.getColumnLabel(i), Values.plain(rs.getObject(i)));
            }
            rows.add(row);
        }
        return rows;
    }

    /**
     * Whole seconds for a statement: the session's statement timeout or what is left of the deadline, the shorter.
     *
     * @param context the running check's context, for the deadline
     * @return seconds, at least 1
     */
    public int timeoutSeconds(CheckContext context) {
        long millis = settings.statementTimeout().toMillis();
        if (context != null) {
            millis = Math.min(millis, context.remaining().toMillis());
        }
        return (int) Math.max(1, (millis + 999) / 1000);
    }

    /**
     * Where the session is: a connection stage that has not answered, or the statement running
     * and for how long.
     */
    @Override
    public Optional<String> activity() {
        Optional<String> stage = stages.progress();
        if (stage.isPresent()) {
            return stage;
        }
        String sql = runningSql;
        if (sql == null) {
            return Optional.empty();
        }
        return Optional.of("the statement running was " + Format.oneLine(sql, 160) + " (for "
                + Format.millis((System.nanoTime() - runningSince) / 1_000_000) + ")");
    }

    @Override
    public void cancel() {
        Statement statement = running;
        if (statement != null) {
            try {
                statement.cancel();
            } catch (SQLException | RuntimeException e) {
                // Best effort: the server-side statement timeout ends it anyway.
            }
        }
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException | RuntimeException e) {
                // Closing a broken connection: nothing left to release.
            }
            connection = null;
        }
    }
}
