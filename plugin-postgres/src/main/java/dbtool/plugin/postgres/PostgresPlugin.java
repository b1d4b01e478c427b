package dbtool.plugin.postgres;

import dbtool.plugin.postgres.checks.PostgresChecks;
import dbtool.plugin.postgres.config.PostgresConfiguration;
import dbtool.plugin.postgres.tls.CertificateRecordingFactory;
import dbtool.spi.Check;
import dbtool.spi.Credentials;
import dbtool.spi.EnginePlugin;
import dbtool.spi.EngineSession;
import dbtool.spi.Grant;
import dbtool.spi.ServerConfiguration;
import dbtool.spi.SessionSettings;
import dbtool.spi.Target;
import dbtool.spi.TargetConfigurationException;
import dbtool.toolkit.jdbc.JdbcTarget;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.postgresql.Driver;

/** PostgreSQL 12 to 17, on pgjdbc. */
public final class PostgresPlugin implements EnginePlugin, ServerConfiguration {

    /** Properties dbtool sets itself; a URL or configuration cannot weaken them. */
    private static final Set<String> OWN_PROPERTIES = Set.of("applicationname", "readonly", "readonlymode", "options",
            "connecttimeout", "logintimeout", "sockettimeout", "cancelsignaltimeout", "user", "password");

    @Override
    public String id() {
        return "postgresql";
    }

    @Override
    public String displayName() {
        return "PostgreSQL";
    }

    @Override
    public Set<String> schemes() {
        return Set.of("postgresql", "postgres");
    }

    @Override
    public int defaultPort() {
        return 5432;
    }

    @Override
    public List<Check> checks() {
        return PostgresChecks.all();
    }

    /**
     * PostgreSQL 12 to 17: pg_monitor and the two functions the server-log check calls. Nothing that
     * writes, no table data, no superuser. The least-privilege test (dbtool-logs LeastPrivilegeRoleTest)
     * runs every check as a role with exactly these.
     */
    @Override
    public List<Grant> grants() {
        return List.of(
                new Grant("GRANT pg_monitor TO \"{{role}}\"", "pg_monitor (pg_read_all_settings, pg_read_all_stats, "
                        + "pg_stat_scan_tables): every session in pg_stat_activity and pg_locks, replication and slots, "
                        + "pg_stat_statements of all users, every setting; no table data"),
                new Grant("GRANT EXECUTE ON FUNCTION pg_catalog.pg_ls_logdir() TO \"{{role}}\"", "server-log check: list the "
                        + "logging collector's files (pg_monitor has it since PostgreSQL 10; granted by name so that it stays "
                        + "when a site revokes it from pg_monitor)"),
                new Grant("GRANT EXECUTE ON FUNCTION pg_catalog.pg_read_file(text, bigint, bigint, boolean) TO \"{{role}}\"",
                        "server-log check: read the tail of the newest log files; with EXECUTE alone only files under "
                        + "data_directory and log_directory are readable (pg_read_server_files, which lifts that limit, is not granted)"));
    }

    @Override
    public EngineSession open(Target target, Credentials credentials, SessionSettings settings) {
        return session(target, credentials, settings, false);
    }

    /**
     * A session for {@code dbtool config}: read-only for {@code show}; writable, and then with no
     * server-side settings at connect time (see {@link PostgresConfiguration}), for {@code set} and {@code rollback}.
     */
    @Override
    public ServerConfiguration.Session openConfiguration(Target target, Credentials credentials, SessionSettings settings, boolean write) {
        return new PostgresConfiguration(session(target, credentials, settings, write), settings, write);
    }

    private PostgresSession session(Target target, Credentials credentials, SessionSettings settings, boolean write) {
        int port = target.portOr(defaultPort());
        String host = target.host();
        String database = target.database().isEmpty() ? "postgres" : target.database();
        String jdbcUrl = JdbcTarget.url("jdbc:postgresql://", target, defaultPort(), database);

        // Pass-through first (sslmode, sslrootcert, gssEncMode...), then dbtool's own settings on top.
        Properties properties = JdbcTarget.passThrough(target, OWN_PROPERTIES);
        requireOneOf(properties, "sslmode", SSL_MODES, target);
        requireOneOf(properties, "gssEncMode", GSS_ENC_MODES, target);
        JdbcTarget.login(properties, credentials, target, "PGUSER", "PGPASSWORD");
        // Otherwise pgjdbc reads ~/.pgpass (or PGPASSFILE) itself.
        if (credentials.kerberosSubject().isPresent()) {
            // GSSAPI with the ticket the credential provider loaded: the JDK's own GSS (not SSPI's
            // fallback), no second JAAS login inside the driver, and encryption when the server offers
            // it (pgjdbc's default "allow" would settle for none). A URL may still ask for "require".
            properties.setProperty("gsslib", "gssapi");
            properties.setProperty("jaasLogin", "false");
            properties.putIfAbsent("gssEncMode", "prefer");
        }
        String certificateId = null;
        if (!properties.containsKey("sslfactory")) {
            certificateId = UUID.randomUUID().toString();
            properties.setProperty("sslfactory", CertificateRecordingFactory.class.getName());
            properties.setProperty(CertificateRecordingFactory.ID_PROPERTY, certificateId);
        }
        Duration connect = settings.connectTimeout();
        Duration statement = settings.statementTimeout();
        properties.setProperty("ApplicationName", settings.applicationName());
        if (!write) {
            properties.setProperty("readOnly", "true");
            properties.setProperty("readOnlyMode", "always");
        }
        properties.setProperty("connectTimeout", Long.toString(Math.max(1, connect.toSeconds())));
        properties.setProperty("loginTimeout", Long.toString(Math.max(1, connect.toSeconds())));
        properties.setProperty("socketTimeout", Long.toString(statement.toSeconds() + 5));
        properties.setProperty("tcpKeepAlive", "true");
        // A cancel request waits for the server to hang up (10 s by default); core waits for it only within
        // the deadline's grace, and a frozen server's cancel left behind (in the shell) should not linger.
        properties.setProperty("cancelSignalTimeout", "1");
        properties.setProperty("assumeMinServerVersion", "12");
        // Server-side limits for the whole session: read-only, no statement longer than the deadline,
        // never queue behind a lock for longer than lock_timeout, never sit idle in a transaction.
        if (!write) {
            properties.setProperty("options", "-c default_transaction_read_only=on"
                    + " -c statement_timeout=" + statement.toMillis()
                    + " -c lock_timeout=" + settings.lockTimeout().toMillis()
                    + " -c idle_in_transaction_session_timeout=" + Math.max(10_000, statement.toMillis() * 2));
        }
        PostgresSession session = new PostgresSession(new Driver(), jdbcUrl, properties, host, port, database,
                settings, certificateId, write);
        credentials.kerberosSubject().ifPresent(session::useKerberos);
        return session;
    }

    /** The values pgjdbc knows; it would otherwise fail at connect time, reported as a failed connection (exit 2). */
    private static final List<String> SSL_MODES = List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");
    private static final List<String> GSS_ENC_MODES = List.of("disable", "allow", "prefer", "require");

    /** A setting with a value pgjdbc does not know is a mistake in the target's configuration (78), named as such. */
    private static void requireOneOf(Properties properties, String name, List<String> allowed, Target target) {
        String value = properties.getProperty(name);
        if (value != null && !allowed.contains(value)) {
            throw new TargetConfigurationException("target '" + target.name() + "': " + name + ": expected one of "
                    + String.join(", ", allowed) + ", got '" + value + "'");
        }
    }
}
