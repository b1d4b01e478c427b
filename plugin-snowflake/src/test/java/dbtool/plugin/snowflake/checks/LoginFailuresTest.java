package dbtool.plugin.snowflake.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.report.Report;
import dbtool.plugin.snowflake.Plugins;
import dbtool.plugin.snowflake.SnowflakePlugin;
import dbtool.plugin.snowflake.TestKeys;
import dbtool.spi.Credentials;
import dbtool.spi.EnginePlugin;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.testkit.PluginRun;
import dbtool.testkit.Reports;
import dbtool.testkit.snowflake.SnowflakeResponder;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each way a Snowflake login fails gets its own finding at the right stage, a CRITICAL status,
 * later checks that say why they could not run, and no secret anywhere in the report.
 */
class LoginFailuresTest {

    static final KeyPair REGISTERED = TestKeys.rsa();
    static final KeyPair OTHER = TestKeys.rsa();

    private SnowflakeResponder responder;

    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        responder = Scenario.healthy();
    }

    @AfterEach
    void stop() {
        responder.assertOnlyExpectedTraffic();
        responder.close();
    }

    private Report run(EnginePlugin plugin, String userInfo, String extraQuery, Credentials credentials) {
        return PluginRun.run(plugin, responder.url(userInfo, "DIAG", extraQuery), credentials, Map.of(), Duration.ofSeconds(20));
    }

    private static Finding loginFailure(Report report, String code) {
        Finding finding = Reports.require(report, code);
        assertEquals(Severity.CRITICAL, finding.severity());
        assertEquals(Severity.CRITICAL, report.status());
        assertTrue(Reports.check(report, "warehouse").error().startsWith("not connected"), "later checks say why they could not run");
        return finding;
    }

    @Test
    void wrongPasswordIsNamedAndThePasswordNeverAppears() {
        String secret = "Wr0ng-S3cret-Value";
        Report report = run(new SnowflakePlugin(), Scenario.USER + ":" + secret, "", Credentials.none());
        Finding auth = loginFailure(report, "SF_AUTH_FAILED");
        assertTrue(auth.detail().contains("Incorrect username or password"), auth.detail());
        assertTrue(auth.recommendation().contains("LOGIN_HISTORY"), auth.recommendation());
        assertFalse(Reports.everything(report).contains(secret), "the password leaked into the report");
        assertEquals(1, responder.logins().size(), "a failed login is not retried by later checks");
    }

    @Test
    void anAccountSnowflakeDoesNotServeIsABadAccountIdentifier() {
        String url = responder.url(Scenario.USER + ":" + Scenario.PASSWORD, "DIAG", "").replace("account=testacct", "account=tesstacct");
        Report report = PluginRun.run(new SnowflakePlugin(), url, Credentials.none(), Map.of(), Duration.ofSeconds(20));
        Finding account = loginFailure(report, "SF_BAD_ACCOUNT");
        assertTrue(account.title().contains("account tesstacct"), account.title());
        assertEquals("account", lastStage(account));
    }

    @Test
    void aNetworkPolicyRejection() {
        responder.loginFails("blocked_user", "390422",
                "Incoming request with IP/Token 127.0.0.1 is not allowed to access Snowflake. Contact your account administrator.");
        Finding policy = loginFailure(run(new SnowflakePlugin(), "blocked_user:whatever-1", "", Credentials.none()), "SF_NETWORK_POLICY");
        assertEquals("network-policy", lastStage(policy));
        assertTrue(policy.recommendation().contains("SHOW PARAMETERS LIKE 'NETWORK_POLICY'"), policy.recommendation());
    }

    @Test
    void anMfaRequirement() {
        responder.loginFails("human_user", "394507",
                "MFA with TOTP is required. To authenticate, provide both your password and a current TOTP passcode.");
        Finding mfa = loginFailure(run(new SnowflakePlugin(), "human_user:whatever-2", "", Credentials.none()), "SF_MFA_REQUIRED");
        assertTrue(mfa.recommendation().contains("key-pair"), mfa.recommendation());
    }

    @Test
    void aKeyThatIsNotTheRegisteredOneIsAKeyPairMismatch() {
        responder.keyPairUser("svc_dbtool", REGISTERED.getPublic());
        Report report = run(new SnowflakePlugin(), null, "", Credentials.privateKey("svc_dbtool", OTHER.getPrivate(), "vault:kv/sf"));
        Finding mismatch = loginFailure(report, "SF_KEY_PAIR_REJECTED");
        assertTrue(mismatch.recommendation().contains("RSA_PUBLIC_KEY_FP"), mismatch.recommendation());
        assertEquals("SNOWFLAKE_JWT", responder.logins().getFirst().authenticator());
    }

    @Test
    void theRegisteredKeyFromAnEncryptedPemFileLogsIn() throws Exception {
        responder.keyPairUser("svc_dbtool", REGISTERED.getPublic());
        String passphrase = "Key-Passphrase-77";
        Path key = dir.resolve("rsa_key.p8");
        Files.writeString(key, TestKeys.encryptedPem(REGISTERED, passphrase.toCharArray()));
        Report report = run(Plugins.withEnvironment(Map.of("SF_KEY_PASSPHRASE", passphrase)), "svc_dbtool",
                "private_key_file=" + key + "&private_key_pwd_env=SF_KEY_PASSPHRASE", Credentials.none());
        Reports.assertNoUnknown(report);
        assertEquals("key-pair", Reports.require(report, "SF_CONNECTED").evidence().get("login"));
        assertTrue(responder.logins().getFirst().succeeded());
        String everything = Reports.everything(report);
        assertFalse(everything.contains(passphrase));
        assertFalse(everything.contains("PRIVATE KEY"));
    }

    @Test
    void anOAuthTokenLogsInAndAnInvalidOneIsNamed() {
        String token = "oauth-access-token-0123456789";
        responder.oauthUser("alice", token);
        Report good = run(new SnowflakePlugin(), null, "", Credentials.token("alice", token.toCharArray(), "vault"));
        assertEquals("oauth", Reports.require(good, "SF_CONNECTED").evidence().get("login"));

        String expired = "expired-token-9876543210";
        Report bad = run(new SnowflakePlugin(), null, "", Credentials.token("alice", expired.toCharArray(), "vault"));
        loginFailure(bad, "SF_OAUTH_REJECTED");
        assertFalse(Reports.everything(bad).contains(expired), "the token leaked into the report");
    }

    @Test
    void noCredentialsIsSaidWithoutAskingSnowflake() {
        Finding none = loginFailure(run(Plugins.withEnvironment(Map.of()), Scenario.USER, "", Credentials.none()), "SF_NO_CREDENTIALS");
        assertTrue(none.title().contains("no usable credentials"), none.title());
        assertTrue(responder.logins().isEmpty(), "nothing was sent");
    }

    @Test
    void externalBrowserOnAHeadlessHostIsRefusedWithAClearMessage() {
        Report report = run(Plugins.withEnvironment(Map.of("SSH_CONNECTION", "10.1.1.1 50000 10.1.1.2 22")), Scenario.USER,
                "authenticator=externalbrowser", Credentials.none());
        Finding refused = loginFailure(report, "SF_NO_CREDENTIALS");
        assertTrue(refused.detail().startsWith("the externalbrowser login needs a desktop"), refused.detail());
        assertTrue(responder.logins().isEmpty());
    }

    @Test
    void aClosedPortFailsAtTheTcpStage() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Report report = PluginRun.run(new SnowflakePlugin(), "snowflake://monitor:x-12345@127.0.0.1:" + port + "/DIAG?account=testacct&ssl=off",
                Credentials.none(), Map.of(), Duration.ofSeconds(10));
        Finding refused = loginFailure(report, "SF_CONNECTION_REFUSED");
        assertEquals("tcp", lastStage(refused));
    }

    @SuppressWarnings("unchecked")
    private static String lastStage(Finding finding) {
        return String.valueOf(((List<Map<String, Object>>) finding.evidence().get("stages")).getLast().get("stage"));
    }
}
