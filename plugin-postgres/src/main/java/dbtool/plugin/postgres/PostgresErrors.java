package dbtool.plugin.postgres;

import dbtool.toolkit.FailureCause;
import java.sql.SQLException;
import java.util.Map;

/**
 * Plain causes for connection failures, from SQLSTATE codes and pgjdbc's messages
 * (https://www.postgresql.org/docs/current/errcodes-appendix.html). pgjdbc never puts the
 * password into a message, and neither does this class.
 */
public final class PostgresErrors {

    /** Where a connection attempt failed, and what that means. */
    public enum Cause implements FailureCause.Kind {
        UNREACHABLE, TIMEOUT, UNKNOWN_HOST, WRONG_PASSWORD, NO_PASSWORD, NO_HBA_ENTRY, ROLE_CANNOT_LOGIN, ROLE_MISSING,
        DATABASE_MISSING, TOO_MANY_CONNECTIONS, NOT_ACCEPTING, TLS, KERBEROS, OTHER;

        private static final Map<Cause, FailureCause> CAUSES = FailureCause.table(Cause.class, """
                UNREACHABLE           PG_CONNECTION_REFUSED         network         the server did not accept a TCP connection
                TIMEOUT               PG_CONNECT_TIMEOUT            network         the connection attempt timed out
                UNKNOWN_HOST          PG_DNS_FAILED                 dns             the host name does not resolve
                WRONG_PASSWORD        PG_AUTH_FAILED                authentication  the password was rejected
                NO_PASSWORD           PG_AUTH_NO_PASSWORD           authentication  the server asked for a password and none was available
                NO_HBA_ENTRY          PG_AUTH_NO_HBA_ENTRY          authentication  no pg_hba.conf entry allows this host, user and database
                ROLE_CANNOT_LOGIN     PG_AUTH_ROLE_CANNOT_LOGIN     authentication  the role is not permitted to log in
                ROLE_MISSING          PG_AUTH_ROLE_MISSING          authentication  the role does not exist
                DATABASE_MISSING      PG_DATABASE_MISSING           database        the database does not exist
                TOO_MANY_CONNECTIONS  PG_TOO_MANY_CONNECTIONS       admission       the server has no connection slot left
                NOT_ACCEPTING         PG_NOT_ACCEPTING_CONNECTIONS  admission       the server is starting up, shutting down or in recovery
                TLS                   PG_TLS_FAILED                 tls             the TLS handshake failed
                KERBEROS              PG_AUTH_KERBEROS_FAILED       authentication  the Kerberos (GSSAPI) login failed
                OTHER                 PG_CONNECT_FAILED             connect         the connection failed
                """);

        @Override
        public FailureCause cause() {
            return CAUSES.get(this);
        }
    }

    private PostgresErrors() {
    }

    public static Cause classify(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String message = FailureCause.lowerCaseMessage(e);
        if (FailureCause.unknownHost(e)) {
            return Cause.UNKNOWN_HOST;
        }
        if (FailureCause.timedOut(e)) {
            return Cause.TIMEOUT;
        }
        if (FailureCause.refused(e)) {
            return Cause.UNREACHABLE;
        }
        if (message.contains("gss")) {
            return Cause.KERBEROS;
        }
        if (message.contains("ssl") || message.contains("certificate") || message.contains("handshake")) {
            // e.g. "The server does not support SSL." (08004) with sslmode=require
            return Cause.TLS;
        }
        return switch (state) {
            case "28P01" -> Cause.WRONG_PASSWORD;
            case "28000" -> message.contains("pg_hba.conf") ? Cause.NO_HBA_ENTRY
                    : message.contains("not permitted to log in") ? Cause.ROLE_CANNOT_LOGIN
                    : message.contains("does not exist") ? Cause.ROLE_MISSING : Cause.OTHER;
            case "3D000" -> Cause.DATABASE_MISSING;
            case "53300" -> Cause.TOO_MANY_CONNECTIONS;
            case "57P03" -> Cause.NOT_ACCEPTING;
            case "08004" -> message.contains("password") ? Cause.NO_PASSWORD : Cause.OTHER;
            default -> Cause.OTHER;
        };
    }

    /** One line for humans: the server's or driver's message, without the driver's "Detail:" noise. */
    public static String describe(SQLException e) {
        Throwable gss = e.getCause();
        if (e.getMessage() != null && e.getMessage().contains("GSS") && gss != null && gss.getMessage() != null) {
            // pgjdbc says only "GSS Authentication failed"; the JDK's GSSException below it says why
            // (e.g. "... (Mechanism level: Clock skew too great (37))"). Its own causes go into ASN.1 detail.
            return FailureCause.describe(new SQLException(e.getMessage() + ": " + gss.getMessage()));
        }
        return FailureCause.describe(e);
    }
}
