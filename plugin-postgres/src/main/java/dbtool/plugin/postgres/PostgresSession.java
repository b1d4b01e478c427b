package dbtool.plugin.postgres;

import dbtool.plugin.postgres.tls.CertificateRecordingFactory;
import dbtool.plugin.postgres.activity.PostgresActivity;
import dbtool.plugin.postgres.activity.PostgresPlan;
import dbtool.spi.Activity;
import dbtool.spi.ActiveSession;
import dbtool.spi.ActivityView;
import dbtool.spi.CheckContext;
import dbtool.spi.QueryPlan;
import dbtool.spi.SessionSettings;
import dbtool.toolkit.Stages;
import dbtool.toolkit.jdbc.JdbcSession;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletionException;
import javax.security.auth.Subject;

/**
 * The one connection of a troubleshoot, on pgjdbc: lazy connect, remembered failure, timeouts and
 * cancel come from the toolkit's {@link JdbcSession}; this class adds what PostgreSQL needs (the
 * Kerberos subject, the server's TLS certificate, the server version).
 */
public final class PostgresSession extends JdbcSession implements ActivityView {

    /** pgjdbc's login: the startup message, then TLS and authentication inside the driver's handshake. */
    public static final Stages.Stage LOGIN = new Stages.Stage("login", "logged in", "the server did not answer the startup message",
            "the server process is hung or overloaded");

    private final Driver driver;
    private final String jdbcUrl;
    private final Properties properties;
    private final String host;
    private final int port;
    private final String database;
    private final String certificateId;
    private X509Certificate serverCertificate;
    private Integer serverVersion;
    private Subject kerberosSubject;

    PostgresSession(Driver driver, String jdbcUrl, Properties properties, String host, int port, String database,
                    SessionSettings settings, String certificateId) {
        super(settings);
        this.database = database;
        this.certificateId = certificateId;
        this.driver = driver;
        this.jdbcUrl = jdbcUrl;
        this.properties = properties;
        this.host = host;
        this.port = port;
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

    /** The server's TLS certificate, when the session is encrypted. */
    public Optional<X509Certificate> serverCertificate() {
        return Optional.ofNullable(serverCertificate);
    }

    /** The user the session logs in as, when known before connecting. */
    public String user() {
        return properties.getProperty("user", "");
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
        Connection connection = kerberosSubject == null ? driver.connect(jdbcUrl, properties) : connectAs(kerberosSubject);
        if (connection == null) {
            throw new SQLException("the PostgreSQL driver does not accept " + jdbcUrl, "08001");
        }
        connection.setAutoCommit(true);
        connection.setReadOnly(true);
        if (certificateId != null) {
            serverCertificate = CertificateRecordingFactory.take(certificateId).orElse(null);
        }
        return connection;
    }

    @Override
    protected void forgetSecrets() {
        // The password is needed only once: do not keep it for the rest of the run.
        properties.remove("password");
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
