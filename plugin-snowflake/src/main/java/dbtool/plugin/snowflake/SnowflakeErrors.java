package dbtool.plugin.snowflake;

import dbtool.toolkit.FailureCause;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * Plain causes for login failures. Snowflake reports them as vendor codes with a message; the
 * codes below are the documented or widely reported ones, and the messages are matched too
 * because several failures (network policy, MFA) share generic codes across server releases.
 */
public final class SnowflakeErrors {

    /** Where a login failed, and what that means. */
    public enum Cause implements FailureCause.Kind {
        BAD_ACCOUNT, UNKNOWN_HOST, UNREACHABLE, TIMEOUT, TLS, WRONG_CREDENTIALS, KEY_PAIR_MISMATCH, OAUTH_REJECTED, MFA_REQUIRED,
        NETWORK_POLICY, USER_LOCKED, NOT_AUTHORIZED, NO_CREDENTIALS, OTHER;

        private static final Map<Cause, FailureCause> CAUSES = FailureCause.table(Cause.class, """
                BAD_ACCOUNT        SF_BAD_ACCOUNT          account         the account identifier does not name a Snowflake account
                UNKNOWN_HOST       SF_DNS_FAILED           dns             the host name does not resolve
                UNREACHABLE        SF_CONNECTION_REFUSED   network         nothing accepted the connection
                TIMEOUT            SF_CONNECT_TIMEOUT      network         the login timed out
                TLS                SF_TLS_FAILED           tls             the TLS handshake or certificate check failed
                WRONG_CREDENTIALS  SF_AUTH_FAILED          authentication  the user name or password was rejected
                KEY_PAIR_MISMATCH  SF_KEY_PAIR_REJECTED    authentication  the key-pair signature was rejected
                OAUTH_REJECTED     SF_OAUTH_REJECTED       authentication  the OAuth access token was rejected or has expired
                MFA_REQUIRED       SF_MFA_REQUIRED         authentication  the account requires multi-factor authentication for this user
                NETWORK_POLICY     SF_NETWORK_POLICY       network-policy  a network policy does not allow this client's IP address
                USER_LOCKED        SF_USER_LOCKED          authentication  the user is locked or disabled
                NOT_AUTHORIZED     SF_LOGIN_OBJECT_DENIED  session         the role, warehouse or database named for the session is not available to the user
                NO_CREDENTIALS     SF_NO_CREDENTIALS       credentials     dbtool has no usable credentials for this target
                OTHER              SF_CONNECT_FAILED       connect         the login failed
                """);

        @Override
        public FailureCause cause() {
            return CAUSES.get(this);
        }
    }

    /** SQLState dbtool gives a login it refused to attempt (no credentials, bad key file...). */
    public static final String REFUSED_STATE = "28000";

    // Key-pair (JWT) rejections: 390144 JWT_TOKEN_INVALID and the 3943xx family of JWT details;
    // 200045/200046 are the driver's own "bad private key" and "cannot sign" errors.
    private static final Set<Integer> KEY_PAIR = Set.of(390144, 394300, 394301, 394302, 394303, 394304, 394305, 394306, 200045, 200046);
    // 390303 invalid OAuth access token, 390318 expired.
    private static final Set<Integer> OAUTH = Set.of(390303, 390318);
    private static final Set<Integer> MFA = Set.of(394507, 394508, 390120, 390127, 390129);

    private SnowflakeErrors() {
    }

    public static Cause classify(SQLException e) {
        int code = e.getErrorCode();
        String message = FailureCause.lowerCaseMessage(e);
        if (REFUSED_STATE.equals(e.getSQLState()) && code == 0) {
            return Cause.NO_CREDENTIALS;
        }
        if (FailureCause.unknownHost(e)) {
            return Cause.UNKNOWN_HOST;
        }
        if (message.contains("http status=403") || message.contains("http response code: 403")
                || message.contains("account") && message.contains("does not exist")) {
            return Cause.BAD_ACCOUNT;
        }
        if (message.contains("not allowed to access snowflake") || code == 390422) {
            return Cause.NETWORK_POLICY;
        }
        if (KEY_PAIR.contains(code) || message.contains("jwt token is invalid")) {
            return Cause.KEY_PAIR_MISMATCH;
        }
        if (OAUTH.contains(code) || message.contains("oauth access token")) {
            return Cause.OAUTH_REJECTED;
        }
        if (MFA.contains(code) || message.contains("mfa") || message.contains("multi-factor") || message.contains("duo security")
                || message.contains("passcode")) {
            return Cause.MFA_REQUIRED;
        }
        if (code == 390100 || message.contains("incorrect username or password")) {
            return Cause.WRONG_CREDENTIALS;
        }
        if (message.contains("user temporarily locked") || message.contains("user access disabled") || message.contains("is locked")) {
            return Cause.USER_LOCKED;
        }
        if (code == 390189 || code == 390201 || message.contains("does not exist or not authorized")) {
            return Cause.NOT_AUTHORIZED;
        }
        if (SSLException.class.isAssignableFrom(FailureCause.rootType(e)) || message.contains("certificate") || message.contains("ocsp") || message.contains("pkix")) {
            return Cause.TLS;
        }
        if (FailureCause.timedOut(e) || message.contains("failed to respond")) {
            return Cause.TIMEOUT;
        }
        if (FailureCause.refused(e)) {
            return Cause.UNREACHABLE;
        }
        return Cause.OTHER;
    }

    /** One line for humans: the message without the driver's request ids and line breaks. */
    public static String describe(SQLException e) {
        return FailureCause.describe(e);
    }

    /** The message with every secret replaced by ****, for failures that might echo one. */
    static String scrub(String message, Iterable<String> secrets) {
        String text = message == null ? "" : message;
        for (String secret : secrets) {
            if (secret != null && secret.length() >= 3) {
                text = text.replace(secret, "****");
            }
        }
        return text;
    }
}
