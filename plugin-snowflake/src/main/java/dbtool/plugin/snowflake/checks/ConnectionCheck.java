package dbtool.plugin.snowflake.checks;

import dbtool.plugin.snowflake.SnowflakeErrors;
import dbtool.plugin.snowflake.SnowflakeSession;
import dbtool.spi.Category;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.toolkit.Stages;
import dbtool.toolkit.Values;
import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Staged connection diagnosis: DNS and TCP to the account URL, then the login (TLS, the account,
 * the credentials and network policies are all decided inside the driver's login request, and
 * told apart by Snowflake's error codes and messages), then what the session got: account,
 * region, user, role, warehouse, database, and the client and server versions.
 */
final class ConnectionCheck extends SnowflakeCheck {

    // Context functions, documented for all current Snowflake releases (checked 2026-11).
    static final String SESSION = """
            SELECT CURRENT_ACCOUNT() AS ACCOUNT, CURRENT_REGION() AS REGION, CURRENT_USER() AS USER_NAME,
                   CURRENT_ROLE() AS ROLE_NAME, CURRENT_WAREHOUSE() AS WAREHOUSE_NAME,
                   CURRENT_DATABASE() AS DATABASE_NAME, CURRENT_VERSION() AS SERVER_VERSION
            """;

    private static final String PLAYBOOK = "sf-connection-failed";

    /** The driver's login request: TLS, account, credentials and network policy are all decided inside it. */
    private static final Stages.Stage LOGIN = new Stages.Stage("login", "logged in", "Snowflake did not answer the login request",
            "the account's login service is slow, or a proxy holds the request");

    ConnectionCheck() {
        super("connection", Category.CONNECTIVITY, "DNS, TCP and login to the account URL, each timed; the login failure's "
                + "cause; session role, warehouse, database; client and server versions");
    }

    @Override
    public Set<String> findingCodes() {
        Set<String> codes = new TreeSet<>(Set.of("SF_BAD_ACCOUNT", "SF_CONNECTED", "SF_CONNECTION_REFUSED",
                "SF_CONNECT_TIMEOUT", "SF_DNS_FAILED", "SF_NO_DATABASE", "SF_NO_ROLE", "SF_SESSION_QUERY_FAILED"));
        Arrays.stream(SnowflakeErrors.Cause.values()).map(SnowflakeErrors.Cause::code).forEach(codes::add);
        return codes;
    }

    @Override
    protected CheckResult check(SnowflakeSession session, CheckContext context) {
        CheckResult.Builder result = CheckResult.builder();
        Stages stages = session.stages();
        String host = session.address().host();
        String where = host + ":" + session.address().port();

        InetAddress address;
        try {
            address = session.resolve(host);
        } catch (IOException e) {
            boolean account = session.address().snowflakeHost();
            return result.metric("dns_ms", stages.lastMillis()).add(Finding.of(account ? "SF_BAD_ACCOUNT" : "SF_DNS_FAILED", Severity.CRITICAL,
                            account ? "Account identifier '" + session.address().account() + "' does not name a Snowflake account ("
                                    + host + " does not resolve)" : "Host name " + host + " does not resolve")
                    .detail("DNS lookup of " + host + " failed.")
                    .evidence("stages", stages.list())
                    .recommendation(account
                            ? "Use the account identifier as Snowflake shows it (Snowsight: account menu, 'Copy account identifier'): "
                            + "ORGNAME-ACCOUNTNAME, or a locator with its region and cloud, e.g. xy12345.eu-central-1.aws; "
                            + "check the resolver and any private-link DNS zone."
                            : "Check the host name and the resolver (/etc/resolv.conf, VPN, private-link DNS zone).")
                    .playbook(playbook(PLAYBOOK)).build()).build();
        }
        result.metric("dns_ms", stages.lastMillis());

        int timeout = session.tcpTimeoutMillis(context);
        try {
            session.reach(address, session.address().port(), where, timeout);
        } catch (IOException e) {
            boolean timedOut = e instanceof SocketTimeoutException;
            return result.metric("tcp_ms", stages.lastMillis()).add(Finding.of(timedOut ? "SF_CONNECT_TIMEOUT" : "SF_CONNECTION_REFUSED",
                            Severity.CRITICAL, timedOut ? "No answer from " + where + " within " + timeout + " ms"
                                    : "Nothing accepts connections on " + where)
                    .detail("TCP connect to " + address.getHostAddress() + ":" + session.address().port() + " failed: " + e.getMessage())
                    .evidence("stages", stages.list())
                    .recommendation("Check the firewall or proxy between this host and Snowflake (outbound HTTPS to "
                            + host + "; SELECT SYSTEM$ALLOWLIST() lists every host the driver needs), and the proxy options of the target.")
                    .playbook(playbook(PLAYBOOK)).build()).build();
        }
        result.metric("tcp_ms", stages.lastMillis());

        long start = stages.begin(LOGIN);
        String driverVersion;
        try {
            session.connection();
            driverVersion = session.driverVersion();
        } catch (SQLException e) {
            Finding failed = loginFailed(e, session, stages, start);
            return result.metric("login_ms", stages.lastMillis()).add(failed).build();
        }
        stages.add("login", start, session.loginMethod() + " login as " + session.user());
        result.metric("login_ms", stages.lastMillis());

        Map<String, Object> row;
        try {
            row = session.queryOne(SESSION, context);
        } catch (SQLException e) {
            return result.add(Finding.of("SF_SESSION_QUERY_FAILED", Severity.UNKNOWN, "Logged in, but the session did not answer a simple query")
                    .detail(SnowflakeErrors.describe(e)).evidence("stages", stages.list()).build()).build();
        }
        return interpret(row, stages.list(), driverVersion, session.loginMethod(), result);
    }

    /** What the session's context functions say, as findings. */
    static CheckResult interpret(Map<String, Object> row, List<Map<String, Object>> stages, String driverVersion, String loginMethod,
                                 CheckResult.Builder result) {
        long connectMs = stages.stream().mapToLong(s -> ((Number) s.get("ms")).longValue()).sum();
        String serverVersion = Values.text(row, "SERVER_VERSION");
        String role = Values.text(row, "ROLE_NAME");
        String warehouse = Values.text(row, "WAREHOUSE_NAME");
        String database = Values.text(row, "DATABASE_NAME");
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("stages", stages);
        evidence.put("account", Values.text(row, "ACCOUNT"));
        evidence.put("region", Values.text(row, "REGION"));
        evidence.put("user", Values.text(row, "USER_NAME"));
        evidence.put("role", role.isEmpty() ? null : role);
        evidence.put("warehouse", warehouse.isEmpty() ? null : warehouse);
        evidence.put("database", database.isEmpty() ? null : database);
        evidence.put("login", loginMethod);
        evidence.put("serverVersion", serverVersion);
        evidence.put("clientVersion", "Snowflake JDBC " + driverVersion);
        result.metric("connect_ms", connectMs);
        result.add(Finding.of("SF_CONNECTED", Severity.INFO, "Snowflake " + serverVersion + ", account " + Values.text(row, "ACCOUNT")
                        + (Values.text(row, "REGION").isEmpty() ? "" : " (" + Values.text(row, "REGION") + ")") + ", role "
                        + (role.isEmpty() ? "none" : role) + ", warehouse " + (warehouse.isEmpty() ? "none" : warehouse)
                        + ", logged in in " + connectMs + " ms")
                .evidence(evidence).build());
        if (role.isEmpty()) {
            result.add(Finding.of("SF_NO_ROLE", Severity.WARNING, "The session has no current role")
                    .detail("Without a role the session sees almost nothing; the checks below will report little.")
                    .recommendation("Add ?role=NAME to the target URL, or give the user a default role: "
                            + "ALTER USER " + identifier(Values.text(row, "USER_NAME")) + " SET DEFAULT_ROLE = <role>;")
                    .playbook(playbook(PLAYBOOK)).build());
        }
        if (database.isEmpty()) {
            result.add(Finding.of("SF_NO_DATABASE", Severity.INFO, "The session has no current database")
                    .detail("INFORMATION_SCHEMA table functions (QUERY_HISTORY, WAREHOUSE_LOAD_HISTORY) need one, so the "
                            + "locks, resources and queries checks cannot read them.")
                    .recommendation("Name any database the role can use in the URL path: snowflake://ACCOUNT/DATABASE")
                    .playbook(playbook(PLAYBOOK)).build());
        }
        return result.build();
    }

    private static Finding loginFailed(SQLException e, SnowflakeSession session, Stages stages, long start) {
        SnowflakeErrors.Cause cause = SnowflakeErrors.classify(e);
        String description = SnowflakeErrors.describe(e);
        stages.add(cause.stage(), start, "failed: " + description);
        String account = session.address().account();
        return Finding.of(cause.code(), Severity.CRITICAL, "Cannot log in to account " + account + ": " + cause.meaning())
                .detail(description + (e.getErrorCode() == 0 ? "" : " (Snowflake code " + e.getErrorCode() + ")"))
                .evidence("stages", stages.list())
                .evidence("user", session.user())
                .evidence("login", session.loginMethod())
                .recommendation(advice(cause, session))
                .playbook(playbook(PLAYBOOK)).build();
    }

    private static String advice(SnowflakeErrors.Cause cause, SnowflakeSession session) {
        String user = session.user().isEmpty() ? "<user>" : identifier(session.user().toUpperCase(Locale.ROOT));
        return switch (cause) {
            case BAD_ACCOUNT -> "Snowflake does not serve account '" + session.address().account() + "' at "
                    + session.address().host() + ": use the identifier Snowsight shows (ORGNAME-ACCOUNTNAME, or the locator "
                    + "with region and cloud), and the private-link host if the account requires it.";
            case WRONG_CREDENTIALS -> "Check the user name and the password in the credential source. An administrator can see "
                    + "the failure with: SELECT EVENT_TIMESTAMP, ERROR_CODE, ERROR_MESSAGE FROM SNOWFLAKE.ACCOUNT_USAGE.LOGIN_HISTORY "
                    + "WHERE USER_NAME = '" + user.replace("\"", "") + "' ORDER BY EVENT_TIMESTAMP DESC LIMIT 10;";
            case KEY_PAIR_MISMATCH -> "The private key does not match the public key registered for the user. Compare fingerprints: "
                    + "DESC USER " + user + "; (RSA_PUBLIC_KEY_FP) against openssl rsa -in KEY -pubout -outform DER | openssl dgst "
                    + "-sha256 -binary | openssl enc -base64; register the right key with ALTER USER " + user
                    + " SET RSA_PUBLIC_KEY = '<public key>';";
            case OAUTH_REJECTED -> "Get a fresh access token from the identity provider (tokens expire); check that the "
                    + "security integration and the token's scope (session:role:...) allow this user and role.";
            case MFA_REQUIRED -> "This user must pass multi-factor authentication, which an unattended diagnosis cannot do: "
                    + "use key-pair authentication for a service user (ALTER USER " + user + " SET TYPE = SERVICE; and an RSA key), "
                    + "or an OAuth token.";
            case NETWORK_POLICY -> "A network policy on the account or the user does not allow this host's IP address. An "
                    + "administrator can find it with SHOW PARAMETERS LIKE 'NETWORK_POLICY' IN USER " + user
                    + "; and SHOW PARAMETERS LIKE 'NETWORK_POLICY' IN ACCOUNT; then add this host's address to the policy's allowed network rule.";
            case USER_LOCKED -> "An administrator can unlock the user with ALTER USER " + user
                    + " SET MINS_TO_UNLOCK = 0; (or enable it: ALTER USER " + user + " SET DISABLED = FALSE;)";
            case NOT_AUTHORIZED -> "Check the role, warehouse and database in the URL; the user's grants show with SHOW GRANTS TO USER "
                    + user + ";";
            case NO_CREDENTIALS -> "Configure key-pair credentials (a Vault KV secret with the PEM key, or the private_key_file "
                    + "option), an OAuth token, or a password for the target.";
            case UNKNOWN_HOST -> "Check the host name and the resolver.";
            case TLS -> "Check the proxy (a TLS-inspecting proxy needs its CA in the runtime's trust store) and that the "
                    + "OCSP responders are reachable, or set ocspFailOpen=true.";
            case TIMEOUT, UNREACHABLE -> "Check the network path to " + session.address().host()
                    + " (SELECT SYSTEM$ALLOWLIST() lists the hosts the driver needs) and the proxy options of the target.";
            case OTHER -> "Check the account's login history (SNOWFLAKE.ACCOUNT_USAGE.LOGIN_HISTORY) for this user.";
        };
    }
}
