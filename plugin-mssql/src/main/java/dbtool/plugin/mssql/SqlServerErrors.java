package dbtool.plugin.mssql;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLHandshakeException;

/**
 * Plain causes for login failures: from SQL Server's error numbers first (every exception of the
 * chain: jTDS reports 4060 with 18456 chained behind it), then from the drivers' network and TLS
 * messages.
 */
public final class SqlServerErrors {

    /** Where a connection attempt failed, and what that means. */
    public enum Cause {
        REFUSED("MSSQL_CONNECTION_REFUSED", "nothing accepted the connection"),
        TIMEOUT("MSSQL_CONNECT_TIMEOUT", "the connection attempt timed out"),
        UNKNOWN_HOST("MSSQL_DNS_FAILED", "the host name does not resolve"),
        INSTANCE_UNKNOWN("MSSQL_INSTANCE_PORT_UNKNOWN", "SQL Browser did not tell the named instance's port"),
        LOGIN_FAILED("MSSQL_LOGIN_FAILED", "the login was rejected (error 18456)"),
        UNTRUSTED_DOMAIN("MSSQL_UNTRUSTED_DOMAIN", "the login is from an untrusted domain (error 18452)"),
        DATABASE_UNAVAILABLE("MSSQL_DATABASE_UNAVAILABLE", "the database does not exist, is offline, or the login may not open it (error 4060)"),
        SECONDARY_NOT_READABLE("MSSQL_AG_SECONDARY_NOT_READABLE",
                "the database is on an availability group secondary that does not allow connections (error 976)"),
        DEFAULT_DATABASE_UNAVAILABLE("MSSQL_DEFAULT_DATABASE_UNAVAILABLE", "the login's default database cannot be opened (error 4064)"),
        LOGIN_DISABLED("MSSQL_LOGIN_DISABLED", "the login is disabled (error 18470)"),
        LOGIN_LOCKED_OUT("MSSQL_LOGIN_LOCKED_OUT", "the login is locked out after too many failed passwords (error 18486)"),
        PASSWORD_EXPIRED("MSSQL_PASSWORD_EXPIRED", "the login's password has expired or must be changed (error 18487/18488)"),
        AZURE_FIREWALL("MSSQL_AZURE_FIREWALL", "the Azure SQL server's firewall does not allow this client's IP address (error 40615)"),
        AZURE_DATABASE_UNAVAILABLE("MSSQL_AZURE_DATABASE_UNAVAILABLE",
                "the Azure SQL database is not available right now (error 40613): it is moving or failing over"),
        AZURE_SERVER_NAME("MSSQL_AZURE_SERVER_NAME", "Azure SQL cannot open the server the login names (error 40532)"),
        UNTRUSTED_CERTIFICATE("MSSQL_UNTRUSTED_CERTIFICATE", "the server's TLS certificate is not trusted by this host"),
        TLS_REQUIRED("MSSQL_ENCRYPTION_REQUIRED", "the server requires encryption jTDS cannot provide"),
        OTHER("MSSQL_CONNECT_FAILED", "the connection failed");

        private final String code;
        private final String meaning;

        Cause(String code, String meaning) {
            this.code = code;
            this.meaning = meaning;
        }

        public String code() {
            return code;
        }

        public String meaning() {
            return meaning;
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
        String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        Throwable root = e;
        boolean handshake = false;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
            handshake |= root instanceof SSLHandshakeException;
        }
        if (handshake || message.contains("pkix") || message.contains("certification path") || message.contains("certificate")) {
            return Cause.UNTRUSTED_CERTIFICATE;
        }
        if (root instanceof UnknownHostException || message.contains("unknown server host")) {
            return Cause.UNKNOWN_HOST;
        }
        if (root instanceof SocketTimeoutException || message.contains("timed out") || message.contains("timeout")) {
            return Cause.TIMEOUT;
        }
        if (root instanceof ConnectException || message.contains("connection refused")) {
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
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.replaceAll("\\s+", " ").trim();
    }
}
