package dbtool.plugin.postgres.checks;

import dbtool.plugin.postgres.PostgresErrors;
import dbtool.plugin.postgres.PostgresSession;
import dbtool.spi.Category;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.spi.Threshold;
import dbtool.toolkit.Format;
import dbtool.toolkit.Stages;
import dbtool.toolkit.Values;
import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.security.cert.X509Certificate;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Staged connection diagnosis: DNS, TCP, login (TLS and authentication happen inside the
 * driver's handshake, and their failures are told apart by SQLSTATE), then what the server says
 * about itself. Each stage is timed; the first failing stage is the finding.
 */
final class ConnectionCheck extends PostgresCheck {

    static final Threshold TLS_CERT_EXPIRY_WARNING = Threshold.number("tls_cert_expiry_warning_days", 14, "days",
            "PG_TLS_CERT_EXPIRING (WARNING) when the server's TLS certificate expires within this many days; CRITICAL once expired");

    @Override
    public List<Threshold> thresholds() {
        return List.of(TLS_CERT_EXPIRY_WARNING);
    }

    // Checked against the PostgreSQL 12-17 documentation of pg_stat_ssl and the system functions.
    private static final String SERVER = """
            SELECT current_setting('server_version') AS version,
                   current_setting('server_version_num')::int AS version_num,
                   pg_is_in_recovery() AS in_recovery,
                   EXTRACT(EPOCH FROM now() - pg_postmaster_start_time())::bigint AS uptime_seconds,
                   current_user AS login_role,
                   current_database() AS database,
                   s.ssl, s.version AS tls_version, s.cipher,
                   g.gss_authenticated, g.principal AS gss_principal, g.encrypted AS gss_encrypted
            FROM pg_stat_ssl s
            LEFT JOIN pg_stat_gssapi g ON g.pid = s.pid
            WHERE s.pid = pg_backend_pid()
            """;

    ConnectionCheck() {
        super("connection", Category.CONNECTIVITY, "DNS, TCP, TLS and login, each timed; server version, uptime, primary or standby");
    }

    @Override
    public Set<String> findingCodes() {
        Set<String> codes = new TreeSet<>(Set.of("PG_CONNECTED", "PG_CONNECTION_REFUSED", "PG_CONNECT_TIMEOUT",
                "PG_DNS_FAILED", "PG_NOT_ENCRYPTED", "PG_RECENT_RESTART", "PG_SERVER_QUERY_FAILED",
                "PG_TLS_CERT_EXPIRING"));
        Arrays.stream(PostgresErrors.Cause.values()).map(PostgresErrors.Cause::code).forEach(codes::add);
        return codes;
    }

    @Override
    protected CheckResult check(PostgresSession session, CheckContext context) {
        CheckResult.Builder result = CheckResult.builder();
        Stages stages = session.stages();
        String where = session.host() + ":" + session.port();

        InetAddress address;
        try {
            address = session.resolve(session.host());
        } catch (IOException e) {
            return result.metric("dns_ms", stages.lastMillis()).add(Finding.of("PG_DNS_FAILED", Severity.CRITICAL,
                            "Host name " + session.host() + " does not resolve")
                    .detail("DNS lookup failed: " + e.getMessage())
                    .evidence("stages", stages.list())
                    .recommendation("Check the host name in the URL or configuration, and the resolver (/etc/resolv.conf, VPN, search domains).")
                    .playbook(playbook("pg-connection-failed")).build()).build();
        }
        result.metric("dns_ms", stages.lastMillis());

        int timeout = session.tcpTimeoutMillis(context);
        try {
            session.reach(address, session.port(), where, timeout);
        } catch (IOException e) {
            boolean timedOut = e instanceof SocketTimeoutException;
            String code = timedOut ? "PG_CONNECT_TIMEOUT" : "PG_CONNECTION_REFUSED";
            String title = timedOut ? "No answer from " + where + " within " + timeout + " ms"
                    : "Nothing accepts connections on " + where;
            return result.metric("tcp_ms", stages.lastMillis()).add(Finding.of(code, Severity.CRITICAL, title)
                    .detail("TCP connect to " + address.getHostAddress() + ":" + session.port() + " failed: " + e.getMessage())
                    .evidence("stages", stages.list())
                    .recommendation(timedOut
                            ? "Check firewalls and security groups between this host and the server, and whether the server host is up."
                            : "Check that PostgreSQL runs (systemctl status postgresql, pg_lsclusters), listens on this address "
                            + "(listen_addresses) and port (port), and that the URL names the right port.")
                    .playbook(playbook("pg-connection-failed")).build()).build();
        }
        result.metric("tcp_ms", stages.lastMillis());

        long start = stages.begin(PostgresSession.LOGIN);
        try {
            session.connection();
        } catch (SQLException e) {
            // Where the login stopped, when the server went silent: "TCP connected in 1 ms; the server did not answer...".
            String silent = stages.progress().orElse("");
            PostgresErrors.Cause cause = PostgresErrors.classify(e);
            stages.add(cause.stage(), start, "failed: " + PostgresErrors.describe(e));
            return result.metric("login_ms", stages.lastMillis()).add(Finding.of(cause.code(), Severity.CRITICAL,
                            "Cannot log in to " + where + ": " + cause.meaning())
                    .detail((cause == PostgresErrors.Cause.TIMEOUT && !silent.isEmpty() ? silent + ". " : "")
                            + PostgresErrors.describe(e) + (e.getSQLState() == null ? "" : " (SQLSTATE " + e.getSQLState() + ")"))
                    .evidence("stages", stages.list())
                    .evidence("user", session.user())
                    .recommendation(advice(cause, session))
                    .playbook(playbook("pg-connection-failed")).build()).build();
        }
        // TLS is negotiated inside the driver's handshake, so it is timed as part of the login.
        stages.add("login", start, "authenticated as " + session.user()
                + (session.serverCertificate().isPresent() ? " over TLS" : ""));
        result.metric("login_ms", stages.lastMillis());
        List<Map<String, Object>> stageList = stages.list();

        Map<String, Object> server;
        try {
            server = session.queryOne(SERVER, context);
        } catch (SQLException e) {
            return result.add(Finding.of("PG_SERVER_QUERY_FAILED", Severity.UNKNOWN, "Connected, but the server did not answer a simple query")
                    .detail(PostgresErrors.describe(e)).evidence("stages", stageList).build()).build();
        }
        return interpret(result, new Connected(server, stageList, stages.totalMillis(), where, address.isLoopbackAddress(),
                session.serverCertificate()), context);
    }

    /**
     * What a successful login found: the row of {@link #SERVER}, the timed stages, and how the
     * connection was made ({@code loopback}: no network between client and server).
     */
    record Connected(Map<String, Object> server, List<Map<String, Object>> stages, long connectMillis, String where,
                     boolean loopback, Optional<X509Certificate> certificate) {
    }

    /**
     * What the server said about itself, apart from the server: fixture rows in the tests take the
     * query's place. Adds to {@code result}, which holds the stage timings already.
     */
    static CheckResult interpret(CheckResult.Builder result, Connected connected, CheckContext context) {
        Map<String, Object> server = connected.server();
        boolean standby = Values.bool(server, "in_recovery");
        long uptime = Values.longValue(server, "uptime_seconds");
        boolean gssEncrypted = Values.bool(server, "gss_encrypted");
        boolean encrypted = Values.bool(server, "ssl") || gssEncrypted;
        result.metric("uptime_seconds", uptime).metric("in_recovery", standby).metric("server_version_num", Values.longValue(server, "version_num"));
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("stages", connected.stages());
        evidence.put("version", Values.text(server, "version"));
        evidence.put("role", standby ? "standby" : "primary");
        evidence.put("uptimeSeconds", uptime);
        evidence.put("loginRole", Values.text(server, "login_role"));
        evidence.put("tls", Values.bool(server, "ssl") ? Values.text(server, "tls_version") + " " + Values.text(server, "cipher") : "not encrypted");
        if (Values.bool(server, "gss_authenticated")) {
            // Kerberos: which principal the server accepted, and whether GSSAPI encrypts the session.
            evidence.put("gss", "authenticated as " + Values.text(server, "gss_principal") + (gssEncrypted ? ", encrypted" : ", not encrypted"));
        }
        connected.certificate().flatMap(certificate -> certificateFinding(certificate, Values.text(server, "tls_version"), context))
                .ifPresent(result::add);
        connected.certificate().ifPresent(certificate -> evidence.put("certificateNotAfter", certificate.getNotAfter().toInstant().toString()));
        result.add(Finding.of("PG_CONNECTED", Severity.INFO, "PostgreSQL " + Values.text(server, "version") + ", "
                        + (standby ? "standby" : "primary") + ", up " + Format.duration(uptime) + ", connected in "
                        + connected.connectMillis() + " ms")
                .evidence(evidence).build());
        if (uptime < 600) {
            result.add(Finding.of("PG_RECENT_RESTART", Severity.INFO, "The server started " + Format.duration(uptime) + " ago")
                    .detail("A recent restart empties caches and ends every session; check the server log for the reason if it was not planned.")
                    .build());
        }
        if (!encrypted && !connected.loopback()) {
            result.add(Finding.of("PG_NOT_ENCRYPTED", Severity.INFO, "The connection to " + connected.where() + " is not encrypted")
                    .recommendation("Use sslmode=verify-full in the URL (and ssl=on on the server) for connections that leave the host.")
                    .build());
        }
        return result.build();
    }

    /** WARNING when the server certificate expires within tls_cert_expiry_warning_days (14), CRITICAL once expired. */
    private static Optional<Finding> certificateFinding(X509Certificate certificate, String protocol,
                                                                 CheckContext context) {
        Instant notAfter = certificate.getNotAfter().toInstant();
        long days = Duration.between(Instant.now(), notAfter).toDays();
        boolean expired = notAfter.isBefore(Instant.now());
        if (!expired && days >= TLS_CERT_EXPIRY_WARNING.value(context)) {
            return Optional.empty();
        }
        return Optional.of(Finding.of("PG_TLS_CERT_EXPIRING", expired ? Severity.CRITICAL : Severity.WARNING,
                        expired ? "The server's TLS certificate expired on " + notAfter
                                : "The server's TLS certificate expires in " + days + (days == 1 ? " day" : " days") + " (" + notAfter + ")")
                .detail("Clients that verify certificates (sslmode=verify-ca or verify-full) will refuse to connect once it has expired.")
                .evidence("subject", certificate.getSubjectX500Principal().getName())
                .evidence("notAfter", notAfter.toString())
                .evidence("protocol", protocol)
                .recommendation("Install a renewed certificate (ssl_cert_file, ssl_key_file) and reload: SELECT pg_reload_conf();")
                .playbook(playbook("pg-connection-failed")).build());
    }

    private static String advice(PostgresErrors.Cause cause, PostgresSession session) {
        String user = session.user().isEmpty() ? "the role" : "role " + session.user();
        return switch (cause) {
            case WRONG_PASSWORD -> "Check the password of " + user + " in the credential source (Vault, ~/.pgpass, PGPASSWORD); "
                    + "a DBA can check the role with: SELECT rolname, rolvaliduntil FROM pg_roles WHERE rolname = '" + session.user() + "';";
            case NO_PASSWORD -> "Give a password source: a target auth block, ~/.pgpass, or PGPASSWORD.";
            case NO_HBA_ENTRY -> "Add a pg_hba.conf line for this client address, database and " + user + ", then SELECT pg_reload_conf();";
            case ROLE_CANNOT_LOGIN -> "A DBA can allow it with: ALTER ROLE \"" + session.user() + "\" LOGIN;";
            case ROLE_MISSING -> "Check the user name; the role does not exist on this server.";
            case DATABASE_MISSING -> "Check the database name in the URL; list databases with: SELECT datname FROM pg_database;";
            case TOO_MANY_CONNECTIONS -> "All connection slots are taken: find who holds them (a superuser can still connect through the "
                    + "reserved slots) with SELECT usename, application_name, state, count(*) FROM pg_stat_activity GROUP BY 1, 2, 3 ORDER BY 4 DESC;";
            case NOT_ACCEPTING -> "The server is starting, stopping or recovering: check its log and wait for it, or fail over.";
            case TLS -> "Check sslmode and certificates (sslrootcert) in the URL against the server's ssl settings.";
            case KERBEROS -> "Check the ticket (klist), that this machine's clock is in sync with the KDC's, that the URL names the host"
                    + " of the server's principal (postgres/HOST: a name such as localhost or the FQDN, not an IP address), and the"
                    + " server's krb_server_keyfile.";
            default -> "Check the server log for the matching error.";
        };
    }
}
