package dbtool.plugin.mongo;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * An SSLContext from the PEM files that mongosh and the other drivers take as URL options
 * ({@code tlsCAFile}, {@code tlsCertificateKeyFile}); the Java driver reads neither, it only knows
 * JSSE key and trust stores. Without these options the JDK's default context is used, which
 * honours {@code -Djavax.net.ssl.keyStore} and {@code -Djavax.net.ssl.trustStore}.
 */
public final class TlsFiles {

    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]+)-----END \\1-----");

    private TlsFiles() {
    }

    /** The context for these files; either may be null. */
    public static SSLContext context(String caFile, String certificateKeyFile) throws IOException, GeneralSecurityException {
        if (caFile == null && certificateKeyFile == null) {
            return SSLContext.getDefault();
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (caFile != null) {
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            int i = 0;
            for (X509Certificate certificate : certificates(read(caFile, "tlsCAFile"))) {
                anchors.setCertificateEntry("ca-" + i++, certificate);
            }
            if (i == 0) {
                throw new GeneralSecurityException("tlsCAFile " + caFile + " holds no PEM certificate");
            }
            trust.init(anchors);
        } else {
            trust.init((KeyStore) null);
        }
        KeyManagerFactory keys = null;
        if (certificateKeyFile != null) {
            String pem = read(certificateKeyFile, "tlsCertificateKeyFile");
            List<X509Certificate> chain = certificates(pem);
            if (chain.isEmpty()) {
                throw new GeneralSecurityException("tlsCertificateKeyFile " + certificateKeyFile + " holds no PEM certificate");
            }
            char[] none = new char[0];
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("client", privateKey(pem, certificateKeyFile), none, chain.toArray(Certificate[]::new));
            keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, none);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }

    /** The certificates of a PEM text, in order. */
    public static List<X509Certificate> certificates(String pem) throws GeneralSecurityException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> certificates = new ArrayList<>();
        Matcher matcher = PEM.matcher(pem);
        while (matcher.find()) {
            if (matcher.group(1).equals("CERTIFICATE")) {
                certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(base64(matcher.group(2)))));
            }
        }
        return certificates;
    }

    private static PrivateKey privateKey(String pem, String file) throws GeneralSecurityException {
        Matcher matcher = PEM.matcher(pem);
        while (matcher.find()) {
            String type = matcher.group(1);
            if (type.equals("PRIVATE KEY")) {
                PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(base64(matcher.group(2)));
                for (String algorithm : List.of("RSA", "EC", "Ed25519", "RSASSA-PSS")) {
                    try {
                        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
                    } catch (GeneralSecurityException e) {
                        // not this algorithm: try the next
                    }
                }
                throw new GeneralSecurityException("tlsCertificateKeyFile " + file + ": unsupported private key algorithm");
            }
            if (type.endsWith("PRIVATE KEY")) {
                throw new GeneralSecurityException("tlsCertificateKeyFile " + file + " holds a '" + type + "'; dbtool reads unencrypted "
                        + "PKCS#8 keys: convert it with 'openssl pkcs8 -topk8 -nocrypt -in KEY'");
            }
        }
        throw new GeneralSecurityException("tlsCertificateKeyFile " + file + " holds no PEM private key");
    }

    private static String read(String file, String option) throws IOException {
        Path path = Path.of(file);
        if (!Files.isReadable(path)) {
            throw new IOException(option + " " + file + " is not a readable file");
        }
        return Files.readString(path, StandardCharsets.US_ASCII);
    }

    private static byte[] base64(String body) {
        return Base64.getMimeDecoder().decode(body.strip());
    }
}
