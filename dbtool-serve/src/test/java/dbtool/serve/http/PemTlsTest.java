package dbtool.serve.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.DbtoolException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --tls-cert/--tls-key with the PEM files openssl (and certbot, cert-manager) write. */
class PemTlsTest {

    @TempDir
    static Path dir;

    @BeforeAll
    static void certificate() throws Exception {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=dbtool-test",
                "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString());
        openssl("rsa", "-in", dir.resolve("key.pem").toString(), "-traditional", "-out", dir.resolve("rsa.pem").toString());
    }

    private static void openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0, Files.readString(dir.resolve("openssl.log")));
    }

    @Test
    void servesHttpsWithAPemCertificateAndPkcs8Key() throws Exception {
        SSLContext server = PemTls.context(dir.resolve("cert.pem"), dir.resolve("key.pem"));
        try (HttpService http = new HttpService(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), server, ServerAuth.none(),
                line -> { }, line -> { })) {
            http.add(List.of(Route.get("/ready", Route.Access.PUBLIC, request -> Response.text(200, "ready\n"))));
            http.start();
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            try (InputStream in = Files.newInputStream(dir.resolve("cert.pem"))) {
                trusted.setCertificateEntry("dbtool", CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext client = SSLContext.getInstance("TLS");
            client.init(null, trust.getTrustManagers(), null);
            HttpResponse<String> response = HttpClient.newBuilder().sslContext(client).build().send(
                    HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + http.address().getPort() + "/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertEquals("ready\n", response.body());
        }
    }

    @Test
    void aTraditionalRsaKeyIsAConfigurationErrorSayingHowToConvertItWithoutShowingIt() throws Exception {
        DbtoolException e = assertThrows(DbtoolException.class, () -> PemTls.context(dir.resolve("cert.pem"), dir.resolve("rsa.pem")));
        assertEquals(78, e.exitCode());
        assertTrue(e.getMessage().startsWith("--tls-key " + dir.resolve("rsa.pem") + ": a PKCS#1/SEC1 key: convert it with 'openssl pkcs8"),
                e.getMessage());
        String key = Files.readString(dir.resolve("rsa.pem"));
        String body = key.lines().filter(line -> !line.startsWith("-----")).findFirst().orElseThrow();
        assertFalse(e.getMessage().contains(body));
    }

    @Test
    void aMissingCertificateNamesTheFlagAndFile() {
        DbtoolException e = assertThrows(DbtoolException.class, () -> PemTls.context(dir.resolve("none.pem"), dir.resolve("key.pem")));
        assertEquals("--tls-cert " + dir.resolve("none.pem") + ": no such file", e.getMessage());
    }
}
