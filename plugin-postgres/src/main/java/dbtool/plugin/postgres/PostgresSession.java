package dbtool.plugin.postgres;

import dbtool.plugin.postgres.tls.CertificateRecordingFactory;
import dbtool.spi.CheckContext;
import dbtool.spi.EngineSession;
import java.security.cert.X509Certificate;
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
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletionException;
import javax.security.auth.Subject;

/**
 * The one connection of a troubleshoot. It is made on first use (by the connectivity check, which
 * times it), and a failure is remembered so that later checks report it at once instead of
 * trying again: one connection per target, never a retry storm against a struggling server.
 */
public final class PostgresSession implements EngineSession {

    private final Driver driver;
    private final String jdbcUrl;
    private final Properties properties;
    private final String host;
    private final int port;
    private final String database;
    private final String certificateId;
    private X509Certificate serverCertificate;
    private final Duration connectTimeout;
    private final Duration statementTimeout;

    private Connection connection;
    private SQLException connectFailure;
    private long connectMillis = -1;
    private Integer serverVersion;
    private volatile Statement running;
    private Subject kerberosSubject;

    PostgresSession(Driver driver, String jdbcUrl, Properties properties, String host, int port, String database,
                    Duration connectTimeout, Duration statementTimeout, String certificateId) {
        this.database = database;
        this.certificateId = certificateId;
        this.driver = driver;
        this.jdbcUrl = jdbcUrl;
        this.properties = properties;
        this.host = host;
        this.port = port;
        this.connectTimeout = connectTimeout;
        this.statementTimeout = statementTimeout;
    }

    /**
     * Connects as the Kerberos principal in this Subject (GSSAPI): the driver's JGSS calls run
     * inside it, so they find the ticket the credential provider loaded.
     */
    void useKerberos(Subject subject) {
        this.kerberosSubject = subject;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** The database named by the target (postgres when the URL names none). */
    public String database() {
        return database;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** The server's TLS certificate, when the session is encrypted. */
    public Optional<X509Certificate> serverCertificate() {
        return Optional.ofNullable(serverCertificate);
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
            throw new SQLException("not connected: " + PostgresErrors.describe(connectFailure), connectFailure.getSQLState());
        }
        long start = System.nanoTime();
        try {
            connection = kerberosSubject == null ? driver.connect(jdbcUrl, properties) : connectAs(kerberosSubject);
            if (connection == null) {
                throw new SQLException("the PostgreSQL driver does not accept " + jdbcUrl, "08001");
            }
            connection.setAutoCommit(true);
            connection.setReadOnly(true);
            if (certificateId != null) {
                serverCertificate = CertificateRecordingFactory.take(certificateId).orElse(null);
            }
            return connection;
        } catch (SQLException e) {
            connectFailure = e;
            throw e;
        } finally {
            connectMillis = (System.nanoTime() - start) / 1_000_000;
            // The password is needed only once: do not keep it for the rest of the run.
            properties.remove("password");
        }
    }

    private Connection connectAs(Subject subject) throws SQLException {
        try {
            return Subject.callAs(subject, () -> driver.connect(jdbcUrl, properties));
        } catch (CompletionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw new SQLException("GSSAPI login failed: " + e.getCause(), "08001", e.getCause());
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

    /** How long the connection attempt took, or -1 before it was made. */
    public long connectMillis() {
        return connectMillis;
    }

    /** {@code server_version_num}, e.g. 150004. */
    public synchronized int serverVersion() throws SQLException {
        if (serverVersion == null) {
            serverVersion = Integer.parseInt(String.valueOf(queryOne("SHOW server_version_num", null).get("server_version_num")));
        }
        return serverVersion;
    }

    /**
     * Runs a read-only query and returns its rows as ordered maps (column label to JDBC value).
     * The statement gets a client-side timeout no longer than what is left of the deadline, on
     * top of the server-side statement_timeout set at connect.
     */
    public List<Map<String, Object>> query(String sql, CheckContext context, Object... parameters) throws SQLException {
        Connection c = connection();
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            statement.setQueryTimeout(timeoutSeconds(context));
            statement.setMaxRows(1000);
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

    private int timeoutSeconds(CheckContext context) {
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
                // Best effort: the socket timeout ends it anyway.
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
