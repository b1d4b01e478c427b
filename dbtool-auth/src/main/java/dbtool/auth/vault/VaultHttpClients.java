package dbtool.auth.vault;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Set;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** HTTP clients for Vault: HTTPS verified by the JDK's trust store, or only by VAULT_CACERT's certificates when it is set. */
final class VaultHttpClients {

    private VaultHttpClients() {
    }

    static HttpClient create(Function<String, String> environment) throws Exception {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (isTrue(environment.apply("VAULT_SKIP_VERIFY"))) {
            // Deliberately not honoured: credentials would travel to whoever answers. Saying so
            // turns a puzzling handshake failure into a fix (VAULT_CACERT).
            System.err.println("dbtool: warning: VAULT_SKIP_VERIFY is ignored: Vault's certificate is always verified;"
                    + " set VAULT_CACERT to trust a private CA");
        }
        String caCert = environment.apply("VAULT_CACERT");
        if (caCert != null && !caCert.isBlank()) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            Path file = Path.of(caCert);
            if (!Files.isReadable(file)) {
                throw new IllegalStateException("VAULT_CACERT names " + caCert + ", which cannot be read");
            }
            try (InputStream in = Files.newInputStream(file)) {
                int i = 0;
                for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    trust.setCertificateEntry("vault-ca-" + i++, certificate);
                }
            } catch (java.security.cert.CertificateException e) {
                throw new IllegalStateException("VAULT_CACERT: " + caCert + " holds no PEM certificate");
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            builder.sslContext(context);
        }
        return builder.build();
    }

    /** Vault's own reading of a boolean variable (Go's strconv.ParseBool). */
    private static boolean isTrue(String value) {
        return value != null && Set.of("1", "t", "T", "true", "TRUE", "True").contains(value.trim());
    }
}
