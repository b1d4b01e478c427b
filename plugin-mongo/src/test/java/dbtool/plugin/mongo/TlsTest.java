package dbtool.plugin.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.report.Report;
import dbtool.spi.Finding;
import dbtool.testkit.PluginRun;
import dbtool.testkit.Reports;
import dbtool.testkit.mongo.FakeMongod;
import dbtool.testkit.mongo.MongoScenario;
import java.io.FileInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS against a server with a self-signed certificate for 127.0.0.1, made by the JDK's keytool. */
class TlsTest {

    @TempDir
    static Path dir;
    static FakeMongod server;
    static Path caFile;

    @BeforeAll
    static void start() throws Exception {
        Path store = dir.resolve("server.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process process = new ProcessBuilder(keytool, "-genkeypair", "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-alias", "server", "-keyalg", "EC", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "30").redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        assertEquals(0, process.waitFor(), "keytool failed");
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(store.toFile())) {
            keys.load(in, "changeit".toCharArray());
        }
        PrivateKey key = (PrivateKey) keys.getKey("server", "changeit".toCharArray());
        X509Certificate certificate = (X509Certificate) keys.getCertificate("server");
        caFile = dir.resolve("ca.pem");
        Files.writeString(caFile, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(certificate.getEncoded()) + "\n-----END CERTIFICATE-----\n");
        server = FakeMongod.startTls(MongoScenario.healthyStandalone(), key, certificate);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void untrustedCertificateFailsAtTheTlsStageWithTheFix() {
        Report report = Troubleshoot.run(server.url());

        Finding tls = Reports.require(report, "MONGO_TLS_FAILED");
        assertTrue(tls.recommendation().contains("tlsCAFile"), tls.recommendation());
        assertTrue(Reports.check(report, "connections").error().contains("not connected"), "later checks do not try again");
    }

    @Test
    void trustedThroughTlsCaFileConnectsAndShowsTheCertificate() {
        Report report = Troubleshoot.run(server.url() + "&tlsCAFile=" + caFile);

        Finding connected = Reports.require(report, "MONGO_CONNECTED");
        assertTrue(connected.evidence().get("tls").toString().startsWith("TLS"), connected.evidence().toString());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> stages = (List<Map<String, Object>>) connected.evidence().get("stages");
        assertEquals(List.of("dns", "tcp", "tls", "login"), stages.stream().map(s -> s.get("stage")).toList());
        assertTrue(Reports.finding(report, "MONGO_TLS_CERT_EXPIRING").isEmpty(), "30 days left is past the 14-day default");

        Report soon = PluginRun.run(new MongoPlugin(), server.url() + "&tlsCAFile=" + caFile, dbtool.spi.Credentials.none(),
                Map.of("tls_expiry_warning_days", "60"), java.time.Duration.ofSeconds(10), new MongoPlugin().checks().subList(0, 1));
        assertEquals(dbtool.spi.Severity.WARNING, Reports.require(soon, "MONGO_TLS_CERT_EXPIRING").severity());
    }
}
