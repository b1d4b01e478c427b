package dbtool.plugin.mariadb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.report.Report;
import dbtool.spi.Finding;
import dbtool.testkit.Reports;
import dbtool.testkit.mariadb.LocalMariaDb;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A real MariaDB offering TLS with a self-signed certificate: the tls stage is timed on its own. */
class TlsTest {

    static LocalMariaDb server;

    @BeforeAll
    static void start() throws Exception {
        server = LocalMariaDb.start(LocalMariaDb.Settings.defaults().withTls());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void sslModeTrustTimesTheHandshakeAndTheSessionIsEncrypted() {
        Report report = Troubleshoot.run(server.url("root", "mysql") + "?sslMode=trust", Map.of());

        Reports.assertNoUnknown(report);
        Finding connected = Reports.require(report, "MARIADB_CONNECTED");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> stages = (List<Map<String, Object>>) connected.evidence().get("stages");
        assertEquals(List.of("dns", "tcp", "greeting", "tls", "login"), stages.stream().map(s -> s.get("stage")).toList());
        assertTrue(stages.get(2).get("result").toString().endsWith("offers TLS"), stages.toString());
        assertTrue(stages.get(3).get("result").toString().startsWith("TLSv1."), stages.toString());
        assertTrue(connected.evidence().get("tls").toString().startsWith("TLSv1."), connected.evidence().toString());
    }

    @Test
    void verifyFullAgainstASelfSignedCertificateFailsInTheLogin() {
        Report report = Troubleshoot.run(server.url("root", "mysql") + "?sslMode=verify-full", Map.of());

        Finding failed = Reports.require(report, "MARIADB_TLS_FAILED");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> stages = (List<Map<String, Object>>) failed.evidence().get("stages");
        assertEquals("tls", stages.get(3).get("stage"), "the probe's handshake itself works: " + stages);
        assertTrue(stages.getLast().get("result").toString().startsWith("failed: "), stages.toString());
    }
}
