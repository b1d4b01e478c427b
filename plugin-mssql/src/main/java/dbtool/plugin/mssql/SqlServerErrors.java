package dbtool.plugin.mssql;

import java.sql.SQLException;
import java.util.Locale;

/** Plain causes for login failures, from SQL Server error numbers and jTDS's network messages. */
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
        String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof java.net.UnknownHostException || message.contains("unknown server host")) {
            return Cause.UNKNOWN_HOST;
        }
        if (root instanceof java.net.SocketTimeoutException || message.contains("timed out") || message.contains("timeout")) {
            return Cause.TIMEOUT;
        }
        if (root instanceof java.net.ConnectException || message.contains("connection refused")) {
            return Cause.REFUSED;
        }
        return switch (e.getErrorCode()) {
            case 18456 -> Cause.LOGIN_FAILED;
            case 18452 -> Cause.UNTRUSTED_DOMAIN;
            case 4060 -> Cause.DATABASE_UNAVAILABLE;
            default -> message.contains("ssl") || message.contains("encrypt") ? Cause.TLS_REQUIRED : Cause.OTHER;
        };
    }

    public static String describe(SQLException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.replaceAll("\\s+", " ").trim();
    }
}
