package dbtool.serve.http;

import dbtool.core.DbtoolException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A TLS server context from PEM files, as certbot, cert-manager and openssl write them: a
 * certificate chain and an unencrypted PKCS#8 key ({@code BEGIN PRIVATE KEY}). Mistakes are
 * configuration errors naming the flag and file; the key's content is never in a message.
 */
public final class PemTls {

    private static final Pattern PKCS8 = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

    private PemTls() {
    }

    public static SSLContext context(Path certificate, Path key) {
        try {
            Certificate[] chain = chain(certificate);
            PrivateKey privateKey = privateKey(key);
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] password = new char[0];
            store.setKeyEntry("dbtool", privateKey, password, chain);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw DbtoolException.config("--tls-cert/--tls-key: cannot use " + certificate + " with " + key + ": "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage().lines().findFirst().orElse("")));
        }
    }

    private static Certificate[] chain(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw DbtoolException.config("--tls-cert " + file + ": no certificate in it (expected PEM, BEGIN CERTIFICATE)");
            }
            return certificates.toArray(Certificate[]::new);
        } catch (NoSuchFileException e) {
            throw DbtoolException.config("--tls-cert " + file + ": no such file");
        } catch (CertificateException e) {
            throw DbtoolException.config("--tls-cert " + file + ": not a PEM certificate (" + e.getMessage() + ")");
        }
    }

    private static PrivateKey privateKey(Path file) throws IOException {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw DbtoolException.config("--tls-key " + file + ": no such file");
        }
        Matcher matcher = PKCS8.matcher(pem);
        if (!matcher.find()) {
            String hint = pem.contains("BEGIN RSA PRIVATE KEY") || pem.contains("BEGIN EC PRIVATE KEY")
                    ? "a PKCS#1/SEC1 key: convert it with 'openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8'"
                    : pem.contains("ENCRYPTED") ? "an encrypted key: dbtool reads unencrypted PKCS#8 keys (protect the file instead)"
                    : "expected PEM with BEGIN PRIVATE KEY";
            throw DbtoolException.config("--tls-key " + file + ": " + hint);
        }
        byte[] der = Base64.getMimeDecoder().decode(matcher.group(1));
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw DbtoolException.config("--tls-key " + file + ": not an RSA, EC or Ed25519 key");
    }
}
