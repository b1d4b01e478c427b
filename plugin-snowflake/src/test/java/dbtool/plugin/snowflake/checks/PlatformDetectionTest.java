package dbtool.plugin.snowflake.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.plugin.snowflake.ConnectionProperties;
import dbtool.plugin.snowflake.Login;
import dbtool.plugin.snowflake.Plugins;
import dbtool.plugin.snowflake.RecordingDriver;
import dbtool.plugin.snowflake.SnowflakeAddress;
import dbtool.plugin.snowflake.TestKeys;
import dbtool.spi.Credentials;
import dbtool.spi.SessionSettings;
import dbtool.testkit.PluginRun;
import dbtool.testkit.snowflake.SnowflakeResponder;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Without disablePlatformDetection the driver probes cloud metadata addresses at login, which a
 * jump host (and a test) must never do. Every connection the plugin makes, whatever the login and
 * whether it succeeds, carries it, together with the other settings the plugin depends on.
 */
class PlatformDetectionTest {

    @Test
    void everyConnectionThePluginMakesDisablesPlatformDetection() {
        KeyPair pair = TestKeys.rsa();
        try (SnowflakeResponder responder = Scenario.healthy()
                .passwordUser("alice", "alice-pw-1").keyPairUser("svc", pair.getPublic()).oauthUser("bob", "bob-token-1")) {
            RecordingDriver driver = new RecordingDriver();
            String good = responder.url("alice:alice-pw-1", "DIAG", "");
            PluginRun.run(Plugins.withDriver(driver), good, Credentials.none(), Map.of(), Duration.ofSeconds(20));
            PluginRun.run(Plugins.withDriver(driver), responder.url("alice:wrong-pw-1", "DIAG", ""), Credentials.none(), Map.of(),
                    Duration.ofSeconds(20));
            PluginRun.run(Plugins.withDriver(driver), responder.url(null, "DIAG", ""),
                    Credentials.privateKey("svc", pair.getPrivate(), "test"), Map.of(), Duration.ofSeconds(20));
            PluginRun.run(Plugins.withDriver(driver), responder.url(null, "DIAG", "role=OTHER&warehouse=WH2"),
                    Credentials.token("bob", "bob-token-1".toCharArray(), "test"), Map.of(), Duration.ofSeconds(20));
            PluginRun.run(Plugins.withDriver(driver), good.replace("account=testacct", "account=unknown"), Credentials.none(), Map.of(),
                    Duration.ofSeconds(20));

            assertEquals(5, driver.attempts().size(), "one login per troubleshoot");
            for (Properties attempt : driver.attempts()) {
                assertEquals("true", attempt.get("disablePlatformDetection"), attempt.keySet().toString());
                ConnectionProperties.REQUIRED.forEach((key, value) -> assertEquals(value, attempt.get(key), key));
                assertTrue(attempt.containsKey("STATEMENT_TIMEOUT_IN_SECONDS"));
                assertTrue(attempt.containsKey("loginTimeout"));
                assertTrue(attempt.containsKey("networkTimeout"));
                assertEquals("dbtool", attempt.get("application"));
            }
            assertEquals(5, responder.logins().size());
            responder.assertOnlyExpectedTraffic();
        }
    }

    @Test
    void theSessionRefusesPropertiesWithoutIt() {
        Properties properties = ConnectionProperties.build(
                SnowflakeAddress.of(PluginRun.target("snowflake://acct/DB", "snowflake", Map.of())),
                new Login("password", "u", Map.of("password", "p-123"), java.util.List.of("p-123"), null), SessionSettings.defaults());
        ConnectionProperties.requireSafe(properties);
        properties.remove("disablePlatformDetection");
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> ConnectionProperties.requireSafe(properties));
        assertTrue(refused.getMessage().contains("disablePlatformDetection"));
    }

    @Test
    void timeoutsFollowTheSessionSettings() {
        Properties properties = ConnectionProperties.build(
                SnowflakeAddress.of(PluginRun.target("snowflake://acct/DB", "snowflake", Map.of())),
                new Login("password", "u", Map.of(), java.util.List.of(), null),
                new SessionSettings("dbtool", Duration.ofSeconds(3), Duration.ofSeconds(4), Duration.ofMillis(500)));
        assertEquals("3", properties.get("loginTimeout"));
        assertEquals("4", properties.get("STATEMENT_TIMEOUT_IN_SECONDS"));
        assertEquals("1", properties.get("LOCK_TIMEOUT"));
        assertEquals("true", properties.get("IMPLICIT_SERVER_SIDE_QUERY_TIMEOUT"));
        assertFalse(properties.containsKey("ssl"), "TLS unless the target is a loopback responder");
    }
}
