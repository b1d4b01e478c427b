package dbtool.plugin.mariadb.checks;

import static dbtool.toolkit.Format.duration;

import dbtool.plugin.mariadb.Flavour;
import dbtool.plugin.mariadb.Handshake;
import dbtool.plugin.mariadb.LoginFailure;
import dbtool.plugin.mariadb.MariaDbSession;
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
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.net.ssl.SSLException;

/**
 * Staged connection diagnosis: DNS, TCP, the server's greeting (which carries "too many
 * connections" and "host blocked" before any login), TLS when the target asks for it, then the
 * driver's login; each stage timed, the first failing one is the finding. Then what the server
 * says about itself.
 */
final class ConnectionCheck extends MariaDbCheck {

    @Override
    public List<Threshold> thresholds() {
        return List.of(MariaDbThresholds.RESTART_WARNING);
    }

    // MariaDB 10.5-11.4, MySQL 8.0-8.4: all of these exist in both.
    private static final String SERVER = """
            SELECT VERSION() AS version, @@version_comment AS version_comment, @@read_only AS read_only,
                   CURRENT_USER() AS account, DATABASE() AS current_database
            """;
    private static final String UPTIME = "SHOW GLOBAL STATUS WHERE Variable_name = 'Uptime'";
    private static final String SESSION_TLS = "SHOW SESSION STATUS WHERE Variable_name IN ('Ssl_version', 'Ssl_cipher')";

    /** The server's first packet, read before any login: see Handshake. */
    static final Stages.Stage GREETING = new Stages.Stage("greeting", "greeting read", "the server sent no greeting",
            "the server is overloaded, or something else listens on the port");

    ConnectionCheck() {
        super("connection", Category.CONNECTIVITY,
                "DNS, TCP, greeting, TLS and login, each timed; server version, uptime, read-only or not");
    }

    @Override
    public Set<String> findingCodes() {
        Set<String> codes = new TreeSet<>(Set.of("MARIADB_CONNECTED", "MARIADB_NOT_ENCRYPTED",
                "MARIADB_RECENT_RESTART", "MARIADB_SERVER_QUERY_FAILED"));
        Arrays.stream(LoginFailure.values()).map(LoginFailure::code).forEach(codes::add);
        return codes;
    }

    @Override
    protected CheckResult check(MariaDbSession session, CheckContext context) {
        CheckResult.Builder result = CheckResult.builder();
        Stages stages = session.stages();
        long start;
        String where = session.where();

        InetAddress address;
        try {
            address = session.resolve(session.host());
        } catch (IOException e) {
            result.metric("dns_ms", stages.lastMillis());
            return result.add(failure(LoginFailure.DNS, "Host name " + session.host() + " does not resolve",
                    "DNS lookup failed: " + Format.printable(e.getMessage(), 200), stages, session)).build();
        }
        result.metric("dns_ms", stages.lastMillis());

        Handshake.Greeting greeting = null;
        if (session.handshakeProbe()) {
            int timeout = session.tcpTimeoutMillis(context);
            Socket socket;
            try {
                socket = session.open(address, session.port(), where, timeout);
            } catch (IOException e) {
                boolean timedOut = e instanceof SocketTimeoutException;
                result.metric("tcp_ms", stages.lastMillis());
                return result.add(failure(timedOut ? LoginFailure.TIMEOUT : LoginFailure.REFUSED,
                        timedOut ? "No answer from " + where + " within " + timeout + " ms" : "Nothing accepts connections on " + where,
                        "TCP connect to " + address.getHostAddress() + ":" + session.port() + " failed: " + Format.printable(e.getMessage(), 200),
                        stages, session)).build();
            }
            result.metric("tcp_ms", stages.lastMillis());
            start = stages.begin(GREETING);
            try (socket) {
                // The greeting must come within the time the connection had.
                socket.setSoTimeout(timeout);
                Handshake handshake = Handshake.readGreeting(socket);
                greeting = handshake.greeting();
                if (greeting.refused()) {
                    result.metric("greeting_ms", stages.add("greeting", start, "error " + greeting.errorCode() + ": " + greeting.errorMessage()));
                    LoginFailure cause = LoginFailure.ofErrorCode(greeting.errorCode());
                    session.markUnreachable("the server refused the connection: " + greeting.errorMessage());
                    return result.add(failure(cause, "The server on " + where + " refuses connections: " + cause.meaning(),
                            "Error " + greeting.errorCode() + " before login: " + greeting.errorMessage(), stages, session)).build();
                }
                result.metric("greeting_ms", stages.add("greeting", start, greeting.serverVersion()
                        + (greeting.offersTls() ? ", offers TLS" : ", no TLS")));
                if (session.tlsRequested()) {
                    start = stages.begin(Stages.TLS);
                    if (!greeting.offersTls()) {
                        stages.add("tls", start, "failed: the server does not offer TLS");
                        session.markUnreachable("the server on " + where + " does not offer TLS");
                        return result.add(failure(LoginFailure.TLS, "The server on " + where + " does not offer TLS, which the target requires",
                                "The greeting's capability flags lack SSL: the server has no certificate configured (ssl_cert, ssl_key).",
                                stages, session)).build();
                    }
                    Handshake.Tls tls = handshake.startTls(session.host(), session.port());
                    result.metric("tls_ms", stages.add("tls", start, tls.protocol() + " " + tls.cipher()));
                }
            } catch (IOException e) {
                stages.add(session.tlsRequested() && greeting != null ? "tls" : "greeting", start, "failed: " + Format.printable(e.getMessage(), 200));
                session.markUnreachable("no greeting from " + where + ": " + Format.printable(e.getMessage(), 200));
                LoginFailure cause = e instanceof SSLException ? LoginFailure.TLS
                        : e instanceof SocketTimeoutException ? LoginFailure.TIMEOUT : LoginFailure.OTHER;
                return result.add(failure(cause, "The server on " + where + " did not complete its greeting: " + cause.meaning(),
                        Format.printable(e.getMessage(), 300), stages, session)).build();
            }
        }

        start = stages.begin(Stages.LOGIN);
        try {
            session.connection();
        } catch (SQLException e) {
            LoginFailure cause = LoginFailure.classify(e);
            result.metric("login_ms", stages.add(cause.stage().equals("login") ? "login" : cause.stage(), start,
                    "failed: " + LoginFailure.describe(e)));
            return result.add(failure(cause, "Cannot log in to " + where + ": " + cause.meaning(),
                    LoginFailure.describe(e) + (e.getErrorCode() == 0 ? "" : " (error " + e.getErrorCode() + ")"), stages, session))
                    .build();
        }
        // Without the probe, TCP and TLS happen inside the driver's login and are timed with it.
        result.metric("login_ms", stages.add("login", start, "authenticated as " + session.user()));

        Map<String, Object> server;
        Map<String, String> uptime;
        Map<String, String> tls;
        try {
            server = session.queryOne(SERVER, context);
            uptime = session.nameValues(UPTIME, context);
            tls = session.nameValues(SESSION_TLS, context);
        } catch (SQLException e) {
            return result.add(Finding.of("MARIADB_SERVER_QUERY_FAILED", Severity.UNKNOWN,
                            "Connected, but the server did not answer a simple query")
                    .detail(LoginFailure.describe(e)).evidence("stages", stages.list()).build()).build();
        }
        String version = Values.text(server, "version");
        String flavour = Flavour.of(version).displayName();
        boolean readOnly = Values.longValue(server, "read_only") != 0;
        long uptimeSeconds = parse(uptime.get("Uptime"));
        String tlsVersion = tls.getOrDefault("Ssl_version", "");
        result.metric("uptime_seconds", uptimeSeconds).metric("read_only", readOnly);
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("stages", stages.list());
        evidence.put("version", Format.printable(version, 100));
        evidence.put("versionComment", Format.printable(server.get("version_comment"), 100));
        evidence.put("readOnly", readOnly);
        evidence.put("uptimeSeconds", uptimeSeconds);
        evidence.put("account", Format.printable(server.get("account"), 100));
        evidence.put("tls", tlsVersion.isEmpty() ? "not encrypted" : tlsVersion + " " + tls.getOrDefault("Ssl_cipher", ""));
        result.add(Finding.of("MARIADB_CONNECTED", Severity.INFO, flavour + " " + Format.printable(version, 60) + ", "
                        + (readOnly ? "read-only" : "read-write") + ", up " + duration(uptimeSeconds) + ", connected in "
                        + stages.totalMillis() + " ms")
                .evidence(evidence).build());
        if (uptimeSeconds < MariaDbThresholds.RESTART_WARNING.value(context)) {
            result.add(Finding.of("MARIADB_RECENT_RESTART", Severity.INFO, "The server started " + duration(uptimeSeconds) + " ago")
                    .detail("A restart empties the buffer pool and ends every session; check the error log for the reason if it was not planned.")
                    .playbook(playbook("mariadb-connection-failed")).build());
        }
        if (tlsVersion.isEmpty() && !address.isLoopbackAddress()) {
            result.add(Finding.of("MARIADB_NOT_ENCRYPTED", Severity.INFO, "The connection to " + where + " is not encrypted")
                    .recommendation("Use sslMode=verify-full in the URL (and ssl_cert/ssl_key on the server) for connections that leave the host.")
                    .playbook(playbook("mariadb-connection-failed")).build());
        }
        return result.build();
    }

    private static Finding failure(LoginFailure cause, String title, String detail, Stages stages, MariaDbSession session) {
        return Finding.of(cause.code(), Severity.CRITICAL, title)
                .detail(detail)
                .evidence("stages", stages.list())
                .evidence("user", session.user())
                .recommendation(advice(cause, session))
                .playbook(playbook("mariadb-connection-failed")).build();
    }

    private static long parse(String value) {
        try {
            return value == null ? 0 : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static String advice(LoginFailure cause, MariaDbSession session) {
        String user = session.user().isEmpty() ? "the account" : "account '" + session.user() + "'";
        return switch (cause) {
            case DNS -> "Check the host name in the URL or configuration, and the resolver (/etc/resolv.conf, VPN, search domains).";
            case REFUSED -> "Check that the server runs (systemctl status mariadb or mysqld), listens on this address (bind_address)"
                    + " and port (port), and that skip_networking is off.";
            case TIMEOUT -> "Check firewalls and security groups between this host and the server, and whether the server host is up"
                    + " (an overloaded server may also accept TCP and answer late).";
            case ACCESS_DENIED, DATABASE_ACCESS_DENIED -> "Check the password of " + user + " in the credential source; a DBA can list"
                    + " the matching accounts with: SELECT user, host, plugin, account_locked FROM mysql.user WHERE user = '"
                    + session.user().replace("'", "''") + "';";
            case ACCOUNT_LOCKED -> "A DBA can unlock it with: ALTER USER '" + session.user().replace("'", "''") + "'@'HOST' ACCOUNT UNLOCK;";
            case PASSWORD_EXPIRED -> "Set a new password for " + user + " (ALTER USER ... IDENTIFIED BY ...) from a client that supports"
                    + " expired-password mode.";
            case UNKNOWN_DATABASE -> "Check the database name in the URL; list databases with: SHOW DATABASES;";
            case TOO_MANY_CONNECTIONS -> "Every slot is taken: find who holds them from an account with CONNECTION_ADMIN or SUPER (one"
                    + " extra slot is kept for them; MariaDB also has extra_port) with: SELECT user, host, command, COUNT(*) FROM"
                    + " information_schema.PROCESSLIST GROUP BY 1, 2, 3 ORDER BY 4 DESC;";
            case USER_LIMIT -> "The account's max_user_connections (or its MAX_USER_CONNECTIONS resource limit) is reached: see who"
                    + " holds them with SELECT host, command, COUNT(*) FROM information_schema.PROCESSLIST WHERE user = '"
                    + session.user().replace("'", "''") + "' GROUP BY 1, 2;";
            case HOST_BLOCKED -> "Find what failed from this host (half-open connections, health checks that never log in), then"
                    + " unblock it: FLUSH HOSTS; (MySQL 8: TRUNCATE performance_schema.host_cache;). Raising max_connect_errors"
                    + " hides the cause.";
            case HOST_NOT_ALLOWED -> "No account matches this client address: a DBA can check with SELECT user, host FROM mysql.user;"
                    + " and create one for this host.";
            case TLS -> "Check sslMode and the certificates in the URL (serverSslCert) against the server's ssl_cert, ssl_key and"
                    + " require_secure_transport.";
            case AUTH_PLUGIN -> "Check the account's plugin (SELECT plugin FROM mysql.user); MySQL's caching_sha2_password needs TLS"
                    + " or allowPublicKeyRetrieval=true in the URL.";
            case OTHER -> "Check the server's error log for the matching message.";
        };
    }
}
