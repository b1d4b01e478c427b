package dbtool.plugin.snowflake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dbtool.plugin.snowflake.SnowflakeErrors.Cause;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Snowflake's login failures, as the driver reports them, mapped to causes. */
class SnowflakeErrorsTest {

    private static Cause classify(String message, String state, int code) {
        return SnowflakeErrors.classify(new SQLException(message, state, code));
    }

    @Test
    void vendorCodesAndMessages() {
        assertEquals(Cause.WRONG_CREDENTIALS, classify("Incorrect username or password was specified.", "08001", 390100));
        assertEquals(Cause.KEY_PAIR_MISMATCH, classify("JWT token is invalid. [0a1b]", "08001", 390144));
        assertEquals(Cause.KEY_PAIR_MISMATCH, classify("Private key provided is invalid or not supported", "42601", 200045));
        assertEquals(Cause.OAUTH_REJECTED, classify("OAuth access token expired. [1c2d]", "08001", 390318));
        assertEquals(Cause.NETWORK_POLICY, classify("Incoming request with IP/Token 10.1.2.3 is not allowed to access Snowflake. "
                + "Contact your account administrator.", "08001", 390422));
        assertEquals(Cause.MFA_REQUIRED, classify("Multi-factor authentication is required for this account. Log in to Snowsight to enroll.",
                "08001", 394508));
        assertEquals(Cause.MFA_REQUIRED, classify("Duo Security authentication is denied.", "08001", 0));
        assertEquals(Cause.USER_LOCKED, classify("User temporarily locked. Try again later, or contact your local system administrator.", "08001", 390102));
        assertEquals(Cause.NOT_AUTHORIZED, classify("Role 'SYSADMIN' specified in the connect string does not exist or not authorized. "
                + "Contact your local system administrator, or attempt to login with another role, e.g. PUBLIC.", "08001", 390189));
        assertEquals(Cause.BAD_ACCOUNT, classify("JDBC driver encountered communication error. Message: HTTP status=403.", "58030", 200015));
        assertEquals(Cause.TIMEOUT, classify("JDBC driver encountered communication error. Message: Exception encountered for HTTP "
                + "request: 127.0.0.1:1 failed to respond.", "58030", 200015));
        assertEquals(Cause.NO_CREDENTIALS, classify("no credentials for user alice", SnowflakeErrors.REFUSED_STATE, 0));
        assertEquals(Cause.OTHER, classify("something else", "XX000", 1));
    }

    @Test
    void causeTypesSurviveTheSessionsScrubbedStandIns() {
        SQLException dns = new SQLException("JDBC driver encountered communication error", "58030", 200015);
        dns.initCause(new SnowflakeSession.CauseType(new UnknownHostException("acct.snowflakecomputing.com")));
        assertEquals(Cause.UNKNOWN_HOST, SnowflakeErrors.classify(dns));
        SQLException refused = new SQLException("communication error", "58030", 200015);
        refused.initCause(new ConnectException("Connection refused"));
        assertEquals(Cause.UNREACHABLE, SnowflakeErrors.classify(refused));
    }

    @Test
    void scrubbingRemovesEverySecret() {
        String scrubbed = SnowflakeErrors.scrub("login failed for password=Hunter2-xyz and token abc.def.ghi", List.of("Hunter2-xyz", "abc.def.ghi"));
        assertFalse(scrubbed.contains("Hunter2"));
        assertFalse(scrubbed.contains("abc.def.ghi"));
        assertEquals("login failed for password=**** and token ****", scrubbed);
    }
}
