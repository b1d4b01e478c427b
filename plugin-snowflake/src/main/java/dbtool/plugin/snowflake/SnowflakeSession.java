package dbtool.plugin.snowflake;

import dbtool.spi.CheckContext;
import dbtool.spi.EngineSession;
import java.sql.Connection;
import java.sql.Driver;
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
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one connection of a troubleshoot. It is made on first use (by the connectivity check, which
 * times it), and a failure is remembered so that later checks report it at once instead of
 * logging in again: one login per target, never a retry storm against a struggling account.
 */
public final class SnowflakeSession implements EngineSession {

    /**
     * The driver logs failures at SEVERE through java.util.logging, which would print them (with
     * request URLs) to dbtool's stderr; dbtool reports failures itself. Held here because
     * java.util.logging keeps loggers only weakly.
     */
    private static final Logger DRIVER_LOG = Logger.getLogger("net.snowflake");

    private static final int MAX_ROWS = 1000;

    private final Supplier<Driver> driverFactory;
    private final SnowflakeAddress address;
    private final Login login;
    private final Properties properties;
    private final Duration connectTimeout;
    private final Duration statementTimeout;
    private final List<String> secrets;

    private Connection connection;
    private SQLException connectFailure;
    private long connectMillis = -1;
    private volatile Statement running;

    SnowflakeSession(Supplier<Driver> driverFactory, SnowflakeAddress address, Login login, Properties properties,
                     Duration connectTimeout, Duration statementTimeout) {
        this.driverFactory = driverFactory;
        this.address = address;
        this.login = login;
        this.properties = properties;
        this.connectTimeout = connectTimeout;
        this.statementTimeout = statementTimeout;
        this.secrets = new ArrayList<>(login.secrets());
        if (address.urlPassword() != null) {
            secrets.add(address.urlPassword());
        }
    }

    public SnowflakeAddress address() {
        return address;
    }

    /** How the session logs in: key-pair, oauth, password, externalbrowser or none. */
    public String loginMethod() {
        return login.method();
    }

    public String user() {
        return login.user() == null ? "" : login.user();
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** The connection, made on first call; throws the remembered failure on later calls. */
    public synchronized Connection connection() throws SQLException {
        if (connection != null) {
            return connection;
        }
        if (connectFailure != null) {
            throw new SQLException("not connected: " + SnowflakeErrors.describe(connectFailure), connectFailure.getSQLState(),
                    connectFailure.getErrorCode());
        }
        if (login.refusal() != null) {
            connectFailure = new SQLException(login.refusal(), SnowflakeErrors.REFUSED_STATE);
            throw connectFailure;
        }
        long start = System.nanoTime();
        try {
            ConnectionProperties.requireSafe(properties);
            Driver driver = driverFactory.get();
            DRIVER_LOG.setLevel(Level.OFF);
            Connection made = driver.connect(address.jdbcUrl(), properties);
            if (made == null) {
                throw new SQLException("the Snowflake driver does not accept " + address.jdbcUrl(), "08001");
            }
            connection = made;
            return connection;
        } catch (SQLException e) {
            connectFailure = scrubbed(e);
            throw connectFailure;
        } catch (RuntimeException e) {
            // The driver throws unchecked exceptions for some malformed answers; they are login failures too.
            connectFailure = scrubbed(new SQLException(e.getClass().getSimpleName() + ": " + e.getMessage(), "08001", e));
            throw connectFailure;
        } catch (LinkageError e) {
            // A JDK module the driver links against is missing from the runtime image.
            connectFailure = new SQLException(missingClass(e), "08001");
            throw connectFailure;
        } finally {
            connectMillis = (System.nanoTime() - start) / 1_000_000;
            // Secrets are needed for the login only: do not keep them for the rest of the run.
            Login.SECRET_PROPERTIES.forEach(properties::remove);
            secrets.clear();
        }
    }

    /**
     * Records that the account cannot be reached (found by the connectivity check before the
     * driver tried): later checks fail at once instead of waiting for another login timeout.
     */
    public synchronized void markUnreachable(String reason) {
        if (connection == null && connectFailure == null) {
            connectFailure = new SQLException(reason, "08001");
            Login.SECRET_PROPERTIES.forEach(properties::remove);
            secrets.clear();
        }
    }

    /** How long the login took, or -1 before it was attempted. */
    public long connectMillis() {
        return connectMillis;
    }

    /** The driver's version, e.g. 4.4.1. */
    public String driverVersion() throws SQLException {
        return connection().getMetaData().getDriverVersion();
    }

    /**
     * Runs one read-only statement and returns its rows as ordered maps (column label to plain
     * value). The statement's timeout is the shorter of the session's and what is left of the
     * deadline, and the driver sends it to the server as STATEMENT_TIMEOUT_IN_SECONDS
     * (IMPLICIT_SERVER_SIDE_QUERY_TIMEOUT), so nothing keeps running after dbtool has given up.
     */
    public List<Map<String, Object>> query(String sql, CheckContext context) throws SQLException {
        ReadOnlyStatements.require(sql);
        Connection c = connection();
        try (Statement statement = c.createStatement()) {
            statement.setQueryTimeout(timeoutSeconds(context));
            statement.setMaxRows(MAX_ROWS);
            running = statement;
            try (ResultSet rs = statement.executeQuery(sql)) {
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
    public Map<String, Object> queryOne(String sql, CheckContext context) throws SQLException {
        List<Map<String, Object>> rows = query(sql, context);
        return rows.isEmpty() ? Map.of() : rows.getFirst();
    }

    int timeoutSeconds(CheckContext context) {
        long millis = statementTimeout.toMillis();
        if (context != null) {
            millis = Math.min(millis, context.remaining().toMillis());
        }
        return (int) Math.max(1, (millis + 999) / 1000);
    }

    @Override
    public void cancel() {
        Statement statement = running;
        if (statement != null) {
            try {
                statement.cancel();
            } catch (SQLException e) {
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
                // Closing a broken session: nothing left to release.
            }
            connection = null;
        }
    }

    /** One line for a driver that cannot link in this runtime. */
    public static String missingClass(LinkageError e) {
        String what = String.valueOf(e.getMessage()).replace('/', '.');
        return "the Snowflake driver cannot run in this Java runtime: " + e.getClass().getSimpleName() + " " + what
                + " (a JDK module is missing from the runtime image)";
    }

    private SQLException scrubbed(SQLException e) {
        String message = SnowflakeErrors.scrub(e.getMessage(), secrets);
        SQLException clean = new SQLException(message, e.getSQLState(), e.getErrorCode());
        // Keep the cause chain's types (for classification) but not their messages, which might echo a secret.
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != e) {
            clean.initCause(new CauseType(root));
        }
        return clean;
    }

    /** A stand-in for a driver exception: its type for classification, its message scrubbed of everything. */
    static final class CauseType extends Exception {
        private final Class<? extends Throwable> type;

        CauseType(Throwable original) {
            super(original.getClass().getSimpleName(), null, false, false);
            this.type = original.getClass();
        }

        Class<? extends Throwable> type() {
            return type;
        }
    }
}
