package dbtool.plugin.postgres;

import dbtool.plugin.postgres.tls.CertificateRecordingFactory;
import dbtool.plugin.postgres.activity.PostgresActivity;
import dbtool.plugin.postgres.activity.PostgresPlan;
import dbtool.spi.Activity;
import dbtool.spi.ActiveSession;
import dbtool.spi.ActivityView;
import dbtool.spi.CatalogSource;
import dbtool.spi.CheckContext;
import dbtool.spi.LogSource;
import dbtool.spi.QueryPlan;
import dbtool.spi.SessionSettings;
import dbtool.toolkit.Stages;
import dbtool.toolkit.jdbc.JdbcSession;
import dbtool.toolkit.jdbc.JdbcUrlSession;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletionException;
import javax.security.auth.Subject;

/**
 * The one connection of a troubleshoot, on pgjdbc: lazy connect, remembered failure, timeouts and
 * cancel come from the toolkit's {@link JdbcSession}, the target's host, port, database and user
 * and the forgotten password from {@link JdbcUrlSession}; this class adds what PostgreSQL needs
 * (the Kerberos subject, the server's TLS certificate, the server version).
 */
public final class PostgresSession extends JdbcUrlSession implements ActivityView, LogSource, CatalogSource {

    /** pgjdbc's login: the startup message, then TLS and authentication inside the driver's handshake. */
    public static final Stages.Stage LOGIN = new Stages.Stage("login", "logged in", "the server did not answer the startup message",
            "the server process is hung or overloaded");

    private final String certificateId;
    /** Only dbtool config's write session: every other one is read-only. */
    private final boolean writable;
    private X509Certificate serverCertificate;
    private Integer serverVersion;
    private Subject kerberosSubject;
    /** {@link #sharedRead}'s values, for the run of {@link #sharedContext} only. */
    private final Map<String, Object> sharedReads = new HashMap<>();
    private CheckContext sharedContext;

    PostgresSession(Driver driver, String jdbcUrl, Properties properties, String host, int port, String database,
                    SessionSettings settings, String certificateId, boolean writable) {
        super(driver, jdbcUrl, properties, host, port, database, settings);
        this.certificateId = certificateId;
        this.writable = writable;
    }

    /**
     * Connects as the Kerberos principal in this Subject (GSSAPI): the driver's JGSS calls run
     * inside it, so they find the ticket the credential provider loaded.
     */
    void useKerberos(Subject subject) {
        this.kerberosSubject = subject;
    }

    /** The tail of the server's log through pg_ls_logdir() and pg_read_file(), when the role may read it. */
    @Override
    public ServerLog readLog(long maxBytes, CheckContext context) throws Exception {
        return PostgresServerLog.read(this, maxBytes, context);
    }

    /** Settings, extensions, schema objects and roles for {@code dbtool diff}. */
    @Override
    public Catalog catalog(CheckContext context) throws SQLException {
        return PostgresCatalog.read(this, context);
    }

    /** The server's TLS certificate, when the session is encrypted. */
    public Optional<X509Certificate> serverCertificate() {
        return Optional.ofNullable(serverCertificate);
    }

    /**
     * A read-only session gets statement_timeout in its startup options (see PostgresPlugin), so the server ends
     * every statement at the limit by itself; the write session of {@code dbtool config} sets it only around its
     * write, so its statements keep pgjdbc's client-side timeout.
     */
    @Override
    protected boolean serverEndsLongStatements() {
        return !writable;
    }

    /**
     * One read shared by the checks of one run: made by the first check that asks, within the same
     * {@link CheckContext} (one troubleshoot), and handed as it is to the others; a new context reads
     * again. E.g. one snapshot of pg_stat_activity instead of a statement per check. A read that fails
     * is not kept: the next check tries again and reports its own failure, as it would on its own.
     *
     * @param context the running check's context: the run the read belongs to
     * @param name    what is read, e.g. "activity"
     * @param read    the read, on this session
     * @param <T>     what the read returns
     * @return the run's value of the read
     * @throws SQLException when the read fails
     */
    public <T> T sharedRead(CheckContext context, String name, SharedRead<T> read) throws SQLException {
        synchronized (sharedReads) {
            if (context != sharedContext) {
                sharedContext = context;
                sharedReads.clear();
            }
            @SuppressWarnings("unchecked")
            T value = (T) sharedReads.get(name);
            if (value == null) {
                value = read.read(this);
                sharedReads.put(name, value);
            }
            return value;
        }
    }

    /**
     * A read for {@link #sharedRead}.
     *
     * @param <T> what it returns
     */
    @FunctionalInterface
    public interface SharedRead<T> {
        /**
         * Reads.
         *
         * @param session the session to read on
         * @return what was read, never null
         * @throws SQLException when the read fails
         */
        T read(PostgresSession session) throws SQLException;
    }

    @Override
    protected String driverName() {
        return "PostgreSQL";
    }

    @Override
    protected Stages.Stage loginStage() {
        return LOGIN;
    }

    @Override
    public String describe(SQLException e) {
        return PostgresErrors.describe(e);
    }

    @Override
    protected Connection connect() throws SQLException {
        Connection connection = kerberosSubject == null ? connectDriver() : connectAs(kerberosSubject);
        if (connection == null) {
            return null;
        }
        connection.setAutoCommit(true);
        connection.setReadOnly(!writable);
        rememberServerVersion(connection.getMetaData());
        if (certificateId != null) {
            serverCertificate = CertificateRecordingFactory.take(certificateId).orElse(null);
        }
        return connection;
    }

    private Connection connectAs(Subject subject) throws SQLException {
        try {
            return Subject.callAs(subject, this::connectDriver);
        } catch (CompletionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw new SQLException("GSSAPI login failed: " + e.getCause(), "08001", e.getCause());
        }
    }

    /**
     * The server reports its version at login (the server_version parameter), which pgjdbc has parsed
     * by now: from PostgreSQL 10 on, major and minor give server_version_num exactly, and the checks
     * that switch on it need no round trip of their own (one statement fewer per troubleshoot).
     */
    private synchronized void rememberServerVersion(DatabaseMetaData metaData) throws SQLException {
        int major = metaData.getDatabaseMajorVersion();
        if (major >= 10) {
            serverVersion = major * 10_000 + metaData.getDatabaseMinorVersion();
        }
    }

    /** {@code server_version_num}, e.g. 150004. */
    public synchronized int serverVersion() throws SQLException {
        if (serverVersion == null) {
            serverVersion = Integer.parseInt(String.valueOf(queryOne("SHOW server_version_num", null).get("server_version_num")));
        }
        return serverVersion;
    }

    @Override
    public Activity activity(CheckContext context) throws SQLException {
        return PostgresActivity.read(this, context);
    }

    @Override
    public QueryPlan plan(ActiveSession session, CheckContext context) throws SQLException {
        return PostgresPlan.explain(this, session, context);
    }
}
