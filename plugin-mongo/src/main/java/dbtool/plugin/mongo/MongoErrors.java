package dbtool.plugin.mongo;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoConfigurationException;
import com.mongodb.MongoIncompatibleDriverException;
import com.mongodb.MongoSecurityException;
import com.mongodb.MongoSocketOpenException;
import com.mongodb.MongoSocketReadTimeoutException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.connection.ClusterDescription;
import com.mongodb.connection.ServerDescription;
import com.mongodb.spi.dns.DnsException;
import dbtool.toolkit.FailureCause;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Map;
import javax.net.ssl.SSLException;

/**
 * Plain causes for connection failures, from the driver's exception types and the server's error
 * codes (https://www.mongodb.com/docs/manual/reference/error-codes/). The driver prints
 * credentials as {@code password=<hidden>}; messages still pass through {@link Secrets}.
 */
public final class MongoErrors {

    /** Where a connection attempt failed, and what that means. */
    public enum Cause implements FailureCause.Kind {
        BAD_URL, SRV_LOOKUP, UNKNOWN_HOST, UNREACHABLE, TIMEOUT, TLS, AUTH, INCOMPATIBLE, NO_SUITABLE_SERVER, OTHER;

        private static final Map<Cause, FailureCause> CAUSES = FailureCause.table(Cause.class, """
                BAD_URL             MONGO_BAD_URL               configuration     the URL or its options are not valid
                SRV_LOOKUP          MONGO_SRV_LOOKUP_FAILED     dns               the mongodb+srv DNS records (SRV, TXT) could not be read
                UNKNOWN_HOST        MONGO_DNS_FAILED            dns               the host name does not resolve
                UNREACHABLE         MONGO_CONNECTION_REFUSED    network           the server did not accept a TCP connection
                TIMEOUT             MONGO_CONNECT_TIMEOUT       network           the connection attempt timed out
                TLS                 MONGO_TLS_FAILED            tls               the TLS handshake failed
                AUTH                MONGO_AUTH_FAILED           authentication    authentication failed
                INCOMPATIBLE        MONGO_VERSION_UNSUPPORTED   handshake         the server is older than the driver supports (MongoDB 4.2)
                NO_SUITABLE_SERVER  MONGO_NO_SUITABLE_SERVER    server selection  the servers answered, but none can serve reads (no primary or secondary, or a wrong replicaSet name)
                OTHER               MONGO_CONNECT_FAILED        connect           the connection failed
                """);

        @Override
        public FailureCause cause() {
            return CAUSES.get(this);
        }
    }

    /** Server error codes dbtool reacts to. */
    public static final int UNAUTHORIZED = 13;
    public static final int AUTHENTICATION_FAILED = 18;
    public static final int MAX_TIME_MS_EXPIRED = 50;
    public static final int COMMAND_NOT_FOUND = 59;
    public static final int NO_REPLICATION_ENABLED = 76;
    public static final int NOT_YET_INITIALIZED = 94;

    private MongoErrors() {
    }

    /**
     * Classifies a failure of the first command of a session. A server selection timeout says
     * little by itself: the cause is in the cluster description, per server.
     */
    public static Cause classify(Throwable error, ClusterDescription cluster) {
        if (error instanceof MongoTimeoutException && cluster != null) {
            for (ServerDescription server : cluster.getServerDescriptions()) {
                if (server.getException() != null) {
                    return classify(server.getException(), null);
                }
            }
            return cluster.getServerDescriptions().isEmpty() ? Cause.SRV_LOOKUP : Cause.NO_SUITABLE_SERVER;
        }
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            switch (cause) {
                case IllegalArgumentException e -> {
                    return Cause.BAD_URL;
                }
                case MongoIncompatibleDriverException e -> {
                    return Cause.INCOMPATIBLE;
                }
                case MongoSecurityException e -> {
                    return Cause.AUTH;
                }
                case MongoCommandException e when e.getErrorCode() == AUTHENTICATION_FAILED -> {
                    return Cause.AUTH;
                }
                case MongoConfigurationException e -> {
                    return Cause.SRV_LOOKUP;
                }
                case DnsException e -> {
                    return Cause.SRV_LOOKUP;
                }
                case SSLException e -> {
                    return Cause.TLS;
                }
                case UnknownHostException e -> {
                    return Cause.UNKNOWN_HOST;
                }
                case ConnectException e -> {
                    return Cause.UNREACHABLE;
                }
                case NoRouteToHostException e -> {
                    return Cause.UNREACHABLE;
                }
                case SocketTimeoutException e -> {
                    return Cause.TIMEOUT;
                }
                case MongoSocketReadTimeoutException e -> {
                    return Cause.TIMEOUT;
                }
                default -> {
                    // look deeper
                }
            }
        }
        if (error instanceof MongoSocketOpenException) {
            return Cause.UNREACHABLE;
        }
        return Cause.OTHER;
    }

    /**
     * The failure that explains most: for a selection timeout the exception of the server that
     * failed (the timeout's own message is a dump of the cluster state).
     */
    public static Throwable explaining(Throwable error, ClusterDescription cluster) {
        if (error instanceof MongoTimeoutException && cluster != null) {
            for (ServerDescription server : cluster.getServerDescriptions()) {
                if (server.getException() != null) {
                    return server.getException();
                }
            }
        }
        return error;
    }

    /** One readable line for a driver exception, without the driver's "full response" dumps. Not yet scrubbed. */
    public static String oneLine(Throwable error) {
        String line = switch (error) {
            case MongoCommandException e -> e.getErrorMessage() + " (error " + e.getErrorCode()
                    + (e.getErrorCodeName().isEmpty() ? "" : " " + e.getErrorCodeName()) + ")";
            case MongoSecurityException e -> "authenticating"
                    + (e.getCredential() != null && e.getCredential().getUserName() != null ? " as '" + e.getCredential().getUserName() + "'" : "")
                    + (e.getCredential() != null && e.getCredential().getMechanism() != null ? " with " + e.getCredential().getMechanism() : "")
                    + " failed" + (e.getCause() != null && e.getCause() != e ? ": " + oneLine(e.getCause()) : "");
            case MongoTimeoutException e -> "no server answered within the server selection timeout";
            default -> {
                String message = error.getMessage() == null || error.getMessage().isBlank() ? error.getClass().getSimpleName() : error.getMessage();
                Throwable cause = error.getCause();
                // The driver wraps socket and TLS errors ("Exception opening socket"): the cause says what happened.
                if (cause != null && cause != error && cause.getMessage() != null && !message.contains(cause.getMessage())) {
                    message = message + ": " + oneLine(cause);
                }
                yield message;
            }
        };
        return line.replaceAll("\\s+", " ").trim();
    }
}
