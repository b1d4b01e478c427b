package dbtool.plugin.postgres.checks;

import static dbtool.testkit.CheckFixtures.context;
import static dbtool.testkit.CheckFixtures.finding;
import static dbtool.testkit.CheckFixtures.require;
import static dbtool.testkit.CheckFixtures.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The connection check's reading of what the server says about itself once logged in: one row of
 * pg_stat_ssl joined with pg_stat_gssapi (both exist from PostgreSQL 12 on, with the same columns
 * through 17). The stages before it (DNS, TCP, login) need a network and stay in the cluster tests.
 */
class ConnectionCheckTest {

    static final List<Map<String, Object>> STAGES = List.of(row("stage", "dns", "ms", 1L), row("stage", "tcp", "ms", 1L), row("stage", "login", "ms", 9L));

    static Map<String, Object> server(String version, long versionNum, boolean standby, long uptime, boolean ssl, boolean gss) {
        return row("version", version, "version_num", versionNum, "in_recovery", standby, "uptime_seconds", uptime,
                "login_role", "dbtool", "database", "shop", "ssl", ssl, "tls_version", ssl ? "TLSv1.3" : null, "cipher", ssl ? "TLS_AES_256_GCM_SHA384" : null,
                "gss_authenticated", gss, "gss_principal", gss ? "dbtool@EXAMPLE.ORG" : null, "gss_encrypted", gss);
    }

    static CheckResult connected(Map<String, Object> server, boolean loopback) {
        return ConnectionCheck.interpret(CheckResult.builder(),
                new ConnectionCheck.Connected(server, STAGES, 11, "db1.example.org:5432", loopback, Optional.empty()), context());
    }

    @Test
    void aPostgres12PrimaryOverTlsLongUp() {
        CheckResult result = connected(server("12.20", 120020L, false, 3 * 86400L, true, false), false);
        assertEquals(1, result.findings().size(), result.findings().toString());
        Finding connected = require(result, "PG_CONNECTED");
        assertEquals("PostgreSQL 12.20, primary, up 3 d, connected in 11 ms", connected.title());
        assertEquals("TLSv1.3 TLS_AES_256_GCM_SHA384", connected.evidence().get("tls"));
        assertEquals(STAGES, connected.evidence().get("stages"));
        assertFalse(connected.evidence().containsKey("gss"));
        assertEquals(120020L, result.metrics().get("server_version_num"));
        assertEquals(false, result.metrics().get("in_recovery"));
    }

    @Test
    void aPostgres17StandbyJustRestartedAndUnencryptedOverTheNetwork() {
        CheckResult result = connected(server("17.2 (Debian 17.2-1)", 170002L, true, 95L, false, false), false);
        assertEquals("PostgreSQL 17.2 (Debian 17.2-1), standby, up 1 min 35 s, connected in 11 ms", require(result, "PG_CONNECTED").title());
        assertEquals("standby", require(result, "PG_CONNECTED").evidence().get("role"));
        assertEquals("The server started 1 min 35 s ago", require(result, "PG_RECENT_RESTART").title());
        assertEquals("The connection to db1.example.org:5432 is not encrypted", require(result, "PG_NOT_ENCRYPTED").title());
    }

    @Test
    void kerberosEncryptionCountsAsEncryptedAndLoopbackNeedsNone() {
        CheckResult kerberos = connected(server("17.2", 170002L, false, 7200L, false, true), false);
        assertEquals("authenticated as dbtool@EXAMPLE.ORG, encrypted", require(kerberos, "PG_CONNECTED").evidence().get("gss"));
        assertTrue(finding(kerberos, "PG_NOT_ENCRYPTED").isEmpty(), "GSSAPI encryption protects the session as TLS would");
        assertTrue(finding(connected(server("17.2", 170002L, false, 7200L, false, false), true), "PG_NOT_ENCRYPTED").isEmpty(),
                "a loopback connection never leaves the host");
    }
}
