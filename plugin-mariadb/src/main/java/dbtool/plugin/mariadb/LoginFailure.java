package dbtool.plugin.mariadb;

import dbtool.toolkit.FailureCause;
import dbtool.toolkit.Format;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * Why a connection or login failed, from the server's error number (the same on MariaDB and
 * MySQL unless noted) or the driver's cause: the finding code, the stage it failed in, what it
 * means and what to do; the codes, stages and meanings are the toolkit's {@link FailureCause} table,
 * as every engine's causes are.
 */
public enum LoginFailure implements FailureCause.Kind {
    ACCESS_DENIED, DATABASE_ACCESS_DENIED, UNKNOWN_DATABASE, TOO_MANY_CONNECTIONS, USER_LIMIT, HOST_BLOCKED, HOST_NOT_ALLOWED,
    ACCOUNT_LOCKED, PASSWORD_EXPIRED, AUTH_PLUGIN, TLS, TIMEOUT, REFUSED, DNS, OTHER;

    static {
        FailureCause.describe(LoginFailure.class, """
                ACCESS_DENIED           MARIADB_ACCESS_DENIED         login  wrong user, password or host part of the account
                DATABASE_ACCESS_DENIED  MARIADB_ACCESS_DENIED         login  the account may not use this database
                UNKNOWN_DATABASE        MARIADB_UNKNOWN_DATABASE      login  the database does not exist
                TOO_MANY_CONNECTIONS    MARIADB_TOO_MANY_CONNECTIONS  login  every connection slot is taken
                USER_LIMIT              MARIADB_TOO_MANY_CONNECTIONS  login  the account has reached its own connection limit
                HOST_BLOCKED            MARIADB_HOST_BLOCKED          login  this client host is blocked after too many connection errors
                HOST_NOT_ALLOWED        MARIADB_HOST_NOT_ALLOWED      login  no account may connect from this client host
                ACCOUNT_LOCKED          MARIADB_ACCESS_DENIED         login  the account is locked
                PASSWORD_EXPIRED        MARIADB_ACCESS_DENIED         login  the account's password has expired
                AUTH_PLUGIN             MARIADB_LOGIN_FAILED          login  the account's authentication plugin is not supported by this client
                TLS                     MARIADB_TLS_FAILED            tls    the TLS handshake or certificate check failed
                TIMEOUT                 MARIADB_CONNECT_TIMEOUT       login  the server did not answer in time
                REFUSED                 MARIADB_CONNECTION_REFUSED    tcp    nothing accepts connections there
                DNS                     MARIADB_DNS_FAILED            dns    the host name does not resolve
                OTHER                   MARIADB_LOGIN_FAILED          login  the server refused the connection
                """);
    }

    /** The cause of a server error number, as sent in a login reply or the greeting. */
    public static LoginFailure ofErrorCode(int errorCode) {
        return switch (errorCode) {
            case 1045 -> ACCESS_DENIED;
            case 1044 -> DATABASE_ACCESS_DENIED;
            case 1049 -> UNKNOWN_DATABASE;
            case 1040 -> TOO_MANY_CONNECTIONS;
            case 1203, 1226 -> USER_LIMIT;
            case 1129 -> HOST_BLOCKED;
            case 1130 -> HOST_NOT_ALLOWED;
            case 3118, 4151 -> ACCOUNT_LOCKED; // MySQL, MariaDB
            case 1820, 1862 -> PASSWORD_EXPIRED;
            case 1251, 1524 -> AUTH_PLUGIN;
            default -> OTHER;
        };
    }

    public static LoginFailure classify(SQLException e) {
        LoginFailure byCode = ofErrorCode(e.getErrorCode());
        if (byCode != OTHER) {
            return byCode;
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            switch (cause) {
                case SSLException ssl -> {
                    return TLS;
                }
                case SocketTimeoutException timeout -> {
                    return TIMEOUT;
                }
                case ConnectException refused -> {
                    return REFUSED;
                }
                case UnknownHostException unknown -> {
                    return DNS;
                }
                default -> {
                }
            }
        }
        String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (message.contains("ssl") || message.contains("tls") || message.contains("certificate")) {
            return TLS;
        }
        if (message.contains("timed out") || message.contains("timeout")) {
            return TIMEOUT;
        }
        return OTHER;
    }

    /** One line for a report: the driver's message without its stack of causes or control characters. */
    public static String describe(SQLException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int newline = message.indexOf('\n');
        return Format.printable(newline > 0 ? message.substring(0, newline) : message, 300);
    }
}
