package dbtool.plugin.snowflake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.testkit.PluginRun;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a target URL and its options become an account, a host and session settings. */
class SnowflakeAddressTest {

    private static SnowflakeAddress parse(String url) {
        return SnowflakeAddress.of(PluginRun.target(url, "snowflake", Map.of()));
    }

    @Test
    void anAccountIdentifierBecomesItsSnowflakeHost() {
        SnowflakeAddress address = parse("snowflake://svc_dbtool@myorg-my_account/ANALYTICS/PUBLIC?warehouse=DIAG_WH&role=MONITOR");
        assertEquals("myorg-my_account", address.account());
        assertEquals("myorg-my-account.snowflakecomputing.com", address.host(), "underscores are served hyphenated");
        assertEquals(443, address.port());
        assertEquals("ANALYTICS", address.database());
        assertEquals("PUBLIC", address.schema());
        assertEquals("DIAG_WH", address.warehouse());
        assertEquals("MONITOR", address.role());
        assertEquals("svc_dbtool", address.user());
        assertFalse(address.plainHttp());
        assertTrue(address.snowflakeHost());
        assertEquals("jdbc:snowflake://myorg-my-account.snowflakecomputing.com:443/", address.jdbcUrl());
    }

    @Test
    void aUrlPasswordArrivesAsWrittenWithPlusAtAndColonKept() {
        assertEquals("Pa+ss+w@rd:x", parse("snowflake://svc:Pa+ss%2Bw@rd:x@my_org-acct:8443/DB").urlPassword());
        assertEquals("Pa+ss+w@rd:x", parse("snowflake://svc:Pa%2Bss%2Bw%40rd%3Ax@myorg-acct/DB").urlPassword());
        assertEquals(8443, parse("snowflake://svc:Pa+ss%2Bw@rd:x@my_org-acct:8443/DB").port());
    }

    @Test
    void aQueryParameterKeepsItsPlus() {
        SnowflakeAddress address = parse("snowflake://svc@myorg-acct/DB?role=ops+oncall&warehouse=W%2BH%20X");
        assertEquals("ops+oncall", address.role());
        assertEquals("W+H X", address.warehouse());
    }

    @Test
    void userAndPortSurviveAHostNameThatJavaNetUriRejects() {
        SnowflakeAddress address = parse("snowflake://svc@my_org-acct:8443/DB");
        assertEquals("svc", address.user());
        assertEquals(8443, address.port());
        assertEquals("my-org-acct.snowflakecomputing.com", address.host());
    }

    @Test
    void aFullHostNamesItsAccountInTheFirstLabel() {
        SnowflakeAddress address = parse("snowflake://xy12345.eu-central-1.snowflakecomputing.com/DB");
        assertEquals("xy12345", address.account());
        assertEquals("xy12345.eu-central-1.snowflakecomputing.com", address.host());
    }

    @Test
    void aBadAccountIdentifierIsOneClearLine() {
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> SnowflakeAddress.of(PluginRun.target("snowflake://host.example.com/DB", "snowflake", Map.of("account", "https://x.snowflakecomputing.com"))));
        assertTrue(bad.getMessage().startsWith("bad account identifier"), bad.getMessage());
        assertFalse(bad.getMessage().contains("\n"));
    }

    @Test
    void unknownOptionsAreRefusedSoNothingCanWeakenTheSession() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> parse("snowflake://acct/DB?disablePlatformDetection=false"));
        assertTrue(unknown.getMessage().contains("unknown option 'disableplatformdetection'"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SnowflakeAddress.of(PluginRun.target("snowflake://acct/DB", "snowflake",
                Map.of("JDBC_QUERY_RESULT_FORMAT", "ARROW"))));
    }

    @Test
    void plainHttpOnlyOnLoopback() {
        assertTrue(parse("snowflake://127.0.0.1:8080/DB?account=test&ssl=off").plainHttp());
        IllegalArgumentException remote = assertThrows(IllegalArgumentException.class, () -> parse("snowflake://acct.snowflakecomputing.com/DB?ssl=off"));
        assertTrue(remote.getMessage().contains("clear text"), remote.getMessage());
        assertThrows(IllegalArgumentException.class, () -> parse("snowflake://127.0.0.1:8080/DB?ssl=off"), "a loopback host needs the account option");
    }

    @Test
    void theUrlPasswordNeverShows() {
        SnowflakeAddress address = parse("snowflake://alice:S3cr3t-Url-Pass@acct/DB");
        assertEquals("S3cr3t-Url-Pass", address.urlPassword());
        assertFalse(address.toString().contains("S3cr3t"));
        assertNull(parse("snowflake://acct/DB").urlPassword());
    }

    @Test
    void driverOptionsKeepTheDriversSpelling() {
        SnowflakeAddress address = SnowflakeAddress.of(PluginRun.target("snowflake://acct/DB", "snowflake",
                Map.of("useProxy", "true", "proxyHost", "proxy.corp", "proxyPort", "3128")));
        assertEquals(Map.of("useProxy", "true", "proxyHost", "proxy.corp", "proxyPort", "3128"), address.driverOptions());
    }
}
