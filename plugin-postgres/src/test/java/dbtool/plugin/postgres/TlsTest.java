package dbtool.plugin.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.report.Report;
import dbtool.plugin.postgres.demo.LocalCluster;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.testkit.Reports;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server with TLS whose certificate expires in five days: the handshake stage reports it. */
class TlsTest {

    @TempDir
    static Path dir;
    static LocalCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        Path certificate = dir.resolve("server.crt");
        Path key = dir.resolve("server.key");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "5",
                "-subj", "/CN=localhost", "-keyout", key.toString(), "-out", certificate.toString())
                .redirectErrorStream(true).start();
        openssl.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        assertTrue(openssl.waitFor(60, TimeUnit.SECONDS) && openssl.exitValue() == 0, "openssl made a certificate");
        cluster = LocalCluster.start(LocalCluster.Settings.defaults().withTls(certificate, key));
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void certificateExpiringSoonIsAWarningWithItsDate() {
        Report report = Troubleshoot.run(cluster.url("postgres") + "?sslmode=require", Map.of());

        Finding expiring = Reports.require(report, "PG_TLS_CERT_EXPIRING");
        assertEquals(Severity.WARNING, expiring.severity());
        assertTrue(expiring.title().contains("expires in 4 days") || expiring.title().contains("expires in 5 days"), expiring.title());
        assertEquals("CN=localhost", expiring.evidence().get("subject"));
        Finding connected = Reports.require(report, "PG_CONNECTED");
        assertTrue(String.valueOf(connected.evidence().get("tls")).startsWith("TLSv1.3"), "the session itself is encrypted: " + connected.evidence());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> stages = (List<Map<String, Object>>) connected.evidence().get("stages");
        assertEquals(List.of("dns", "tcp", "login"), stages.stream().map(s -> s.get("stage")).toList());
        assertTrue(String.valueOf(stages.getLast().get("result")).endsWith("over TLS"), stages.toString());
    }

    @Test
    void sslmodeDisableMeansNoCertificateToJudge() {
        Report report = Troubleshoot.run(cluster.url("postgres") + "?sslmode=disable", Map.of());
        assertTrue(Reports.finding(report, "PG_TLS_CERT_EXPIRING").isEmpty());
        Finding connected = Reports.require(report, "PG_CONNECTED");
        assertEquals("not encrypted", connected.evidence().get("tls"));
    }
}
