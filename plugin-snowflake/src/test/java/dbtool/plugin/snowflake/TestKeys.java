package dbtool.plugin.snowflake;

import java.security.AlgorithmParameters;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.PBEParameterSpec;

/** RSA key pairs and their PEM forms, as openssl writes them, made with the JDK for tests. */
public final class TestKeys {

    private TestKeys() {
    }

    public static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code -----BEGIN PRIVATE KEY-----} (unencrypted PKCS#8). */
    public static String pem(KeyPair pair) {
        return block("PRIVATE KEY", pair.getPrivate().getEncoded());
    }

    /** {@code -----BEGIN ENCRYPTED PRIVATE KEY-----}: PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC (openssl pkcs8 -topk8 -v2 aes256). */
    public static String encryptedPem(KeyPair pair, char[] passphrase) {
        try {
            String algorithm = "PBEWithHmacSHA256AndAES_256";
            SecureRandom random = new SecureRandom();
            byte[] salt = new byte[16];
            byte[] iv = new byte[16];
            random.nextBytes(salt);
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance(algorithm);
            cipher.init(Cipher.ENCRYPT_MODE, SecretKeyFactory.getInstance(algorithm).generateSecret(new PBEKeySpec(passphrase)),
                    new PBEParameterSpec(salt, 10_000, new IvParameterSpec(iv)));
            byte[] encrypted = cipher.doFinal(pair.getPrivate().getEncoded());
            // Re-read as generic PBES2 parameters: that is the algorithm identifier openssl writes.
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("PBES2");
            parameters.init(cipher.getParameters().getEncoded());
            return block("ENCRYPTED PRIVATE KEY", new EncryptedPrivateKeyInfo(parameters, encrypted).getEncoded());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String block(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
