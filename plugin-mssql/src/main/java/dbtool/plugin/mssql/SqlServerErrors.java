package dbtool.plugin.mssql;

import dbtool.toolkit.FailureCause;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;

/**
 * Plain causes for login failures: from SQL Server's error numbers first (every exception of the
 * chain: jTDS reports 4060 with 18456 chained behind it), then from the drivers' network and TLS
 * messages.
 */
public final class SqlServerErrors {

    /** Where a connection attempt failed, and what that means. */
    public enum Cause implements FailureCause.Kind {
        REFUSED, TIMEOUT, UNKNOWN_HOST, INSTANCE_UNKNOWN, LOGIN_FAILED, UNTRUSTED_DOMAIN, DATABASE_UNAVAILABLE, SECONDARY_NOT_READABLE,
        DEFAULT_DATABASE_UNAVAILABLE, LOGIN_DISABLED, LOGIN_LOCKED_OUT, PASSWORD_EXPIRED, AZURE_FIREWALL, AZURE_DATABASE_UNAVAILABLE,
        AZURE_SERVER_NAME, UNTRUSTED_CERTIFICATE, TLS_REQUIRED, OTHER;

        private static final Map<Cause, FailureCause> CAUSES = FailureCause.table(Cause.class, """
                REFUSED                       MSSQL_CONNECTION_REFUSED            network         nothing accepted the connection
                TIMEOUT                       MSSQL_CONNECT_TIMEOUT               network         the connection attempt timed out
                UNKNOWN_HOST                  MSSQL_DNS_FAILED                    dns             the host name does not resolve
                INSTANCE_UNKNOWN              MSSQL_INSTANCE_PORT_UNKNOWN         browser         SQL Browser did not tell the named instance's port
                LOGIN_FAILED                  MSSQL_LOGIN_FAILED                  login           the login was rejected (error 18456)
                UNTRUSTED_DOMAIN              MSSQL_UNTRUSTED_DOMAIN              login           the login is from an untrusted domain (error 18452)
                DATABASE_UNAVAILABLE          MSSQL_DATABASE_UNAVAILABLE          login           the database does not exist, is offline, or the login may not open it (error 4060)
                SECONDARY_NOT_READABLE        MSSQL_AG_SECONDARY_NOT_READABLE     login           the database is on an availability group secondary that does not allow connections (error 976)
                DEFAULT_DATABASE_UNAVAILABLE  MSSQL_DEFAULT_DATABASE_UNAVAILABLE  login           the login's default database cannot be opened (error 4064)
                LOGIN_DISABLED                MSSQL_LOGIN_DISABLED                login           the login is disabled (error 18470)
                LOGIN_LOCKED_OUT              MSSQL_LOGIN_LOCKED_OUT              login           the login is locked out after too many failed passwords (error 18486)
                PASSWORD_EXPIRED              MSSQL_PASSWORD_EXPIRED              login           the login's password has expired or must be changed (error 18487/18488)
                AZURE_FIREWALL                MSSQL_AZURE_FIREWALL                login           the Azure SQL server's firewall does not allow this client's IP address (error 40615)
                AZURE_DATABASE_UNAVAILABLE    MSSQL_AZURE_DATABASE_UNAVAILABLE    login           the Azure SQL database is not available right now (error 40613): it is moving or failing over
                AZURE_SERVER_NAME             MSSQL_AZURE_SERVER_NAME             login           Azure SQL cannot open the server the login names (error 40532)
                UNTRUSTED_CERTIFICATE         MSSQL_UNTRUSTED_CERTIFICATE         tls             the server's TLS certificate is not trusted by this host
                TLS_REQUIRED                  MSSQL_ENCRYPTION_REQUIRED           tls             the server requires encryption jTDS cannot provide
                OTHER                         MSSQL_CONNECT_FAILED                login           the connection failed
                """);

        @Override
        public FailureCause cause() {
            return CAUSES.get(this);
        }
    }

    private SqlServerErrors() {
    }

    public static Cause classify(SQLException e) {
        List<SQLException> chain = chain(e);
        // A specific number anywhere in the chain wins over the generic 18456 that follows it.
        for (SQLException each : chain) {
            Cause cause = byNumber(each.getErrorCode());
            if (cause != null && cause != Cause.LOGIN_FAILED) {
                return cause;
            }
        }
        if (chain.stream().anyMatch(each -> each.getErrorCode() == 18456)) {
            return Cause.LOGIN_FAILED;
        }
        String message = FailureCause.lowerCaseMessage(e);
        boolean handshake = false;
        for (Throwable cause = e; cause.getCause() != null && cause.getCause() != cause; cause = cause.getCause()) {
            handshake |= cause.getCause() instanceof SSLHandshakeException;
        }
        if (handshake || message.contains("pkix") || message.contains("certification path") || message.contains("certificate")) {
            return Cause.UNTRUSTED_CERTIFICATE;
        }
        if (FailureCause.unknownHost(e) || message.contains("unknown server host")) {
            return Cause.UNKNOWN_HOST;
        }
        if (FailureCause.timedOut(e)) {
            return Cause.TIMEOUT;
        }
        if (FailureCause.refused(e)) {
            return Cause.REFUSED;
        }
        return message.contains("ssl") || message.contains("encrypt") ? Cause.TLS_REQUIRED : Cause.OTHER;
    }

    /** The SQL Server error number that decided the cause (the specific one of a chain), or the first one. */
    public static int number(SQLException e) {
        Cause cause = classify(e);
        return chain(e).stream().filter(each -> byNumber(each.getErrorCode()) == cause).mapToInt(SQLException::getErrorCode)
                .findFirst().orElse(e.getErrorCode());
    }

    private static Cause byNumber(int number) {
        return switch (number) {
            case 18456 -> Cause.LOGIN_FAILED;
            case 18452 -> Cause.UNTRUSTED_DOMAIN;
            case 4060 -> Cause.DATABASE_UNAVAILABLE;
            case 976 -> Cause.SECONDARY_NOT_READABLE;
            case 4064 -> Cause.DEFAULT_DATABASE_UNAVAILABLE;
            case 18470 -> Cause.LOGIN_DISABLED;
            case 18486 -> Cause.LOGIN_LOCKED_OUT;
            case 18487, 18488 -> Cause.PASSWORD_EXPIRED;
            case 40615 -> Cause.AZURE_FIREWALL;
            case 40613 -> Cause.AZURE_DATABASE_UNAVAILABLE;
            case 40532 -> Cause.AZURE_SERVER_NAME;
            default -> null;
        };
    }

    private static List<SQLException> chain(SQLException e) {
        List<SQLException> chain = new ArrayList<>();
        for (SQLException each = e; each != null && chain.size() < 20 && !chain.contains(each); each = each.getNextException()) {
            chain.add(each);
        }
        return chain;
    }

    public static String describe(SQLException e) {
        return FailureCause.describe(e);
    }
}
