package dbtool.auth.vault;

import dbtool.spi.ConfigurationException;
import io.github.jopenlibs.vault.SslConfig;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The Vault driver's TLS settings: HTTPS verified by the JDK's trust store, or only by VAULT_CACERT's
 * certificates when it is set; not verified when VAULT_SKIP_VERIFY is true (Vault's convention), which
 * earns a warning on stderr once per process. Every Vault call (the driver's and the Kerberos login)
 * uses these settings.
 */
final class VaultTls {

    static final String SKIP_VERIFY_WARNING = "dbtool: warning: VAULT_SKIP_VERIFY is set: Vault's certificate is not verified,"
            + " so credentials go to whoever answers at VAULT_ADDR; set VAULT_CACERT instead";
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private VaultTls() {
    }

    static SslConfig create(Function<String, String> environment) throws Exception {
        if (isTrue(environment.apply("VAULT_SKIP_VERIFY"))) {
            // Vault's convention, honoured because a lab or a broken PKI mid-incident needs it; the
            // warning every time is the price: tokens and passwords go to whoever answers.
            if (WARNED.compareAndSet(false, true)) {
                // Once per process: a fleet run would otherwise repeat it for every target.
                System.err.println(SKIP_VERIFY_WARNING);
            }
            return new QuietSslConfig().verify(false).build();
        }
        SslConfig tls = new QuietSslConfig().verify(true);
        String caCert = environment.apply("VAULT_CACERT");
        if (caCert != null && !caCert.isBlank()) {
            // Every certificate of the file is trusted (a CA bundle, like the Vault CLI reads it), so this
            // is a trust store rather than the driver's pemFile, which would keep only the first one.
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            Path file = Path.of(caCert);
            if (!Files.isReadable(file)) {
                throw new ConfigurationException("VAULT_CACERT names " + caCert + ", which cannot be read");
            }
            int count = 0;
            try (InputStream in = Files.newInputStream(file)) {
                for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    trust.setCertificateEntry("vault-ca-" + count++, certificate);
                }
            } catch (CertificateException e) {
                count = 0;
            }
            if (count == 0) {
                throw new ConfigurationException("VAULT_CACERT: " + caCert + " holds no PEM certificate");
            }
            tls.trustStore(trust);
        }
        return tls.build();
    }

    /** Vault's own reading of a boolean variable (Go's strconv.ParseBool). */
    private static boolean isTrue(String value) {
        return value != null && Set.of("1", "t", "T", "true", "TRUE", "True").contains(value.trim());
    }

    /**
     * The driver's SslConfig without its environment defaults (VAULT_SSL_VERIFY, VAULT_SSL_CERT),
     * which are not Vault's variables: dbtool reads VAULT_CACERT itself.
     */
    private static final class QuietSslConfig extends SslConfig {
        QuietSslConfig() {
            environmentLoader(VaultClient.NoEnvironment.INSTANCE);
        }
    }
}
