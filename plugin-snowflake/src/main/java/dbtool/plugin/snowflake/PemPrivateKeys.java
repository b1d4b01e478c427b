package dbtool.plugin.snowflake;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Reads the private key of Snowflake key-pair authentication from PEM: PKCS#8, plain
 * ({@code BEGIN PRIVATE KEY}) or encrypted with a passphrase ({@code BEGIN ENCRYPTED PRIVATE KEY},
 * as {@code openssl pkcs8 -topk8 -v2 aes256} writes it). With the JDK alone, so that the key never
 * passes through the driver's file handling and every failure gets a plain message that names
 * the file but never its content or the passphrase.
 */
public final class PemPrivateKeys {

    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private PemPrivateKeys() {
    }

    /** Reads a key file; {@code passphrase} may be null for an unencrypted key. */
    public static PrivateKey read(Path file, char[] passphrase) {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("private key file " + file + " does not exist");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read private key file " + file + ": " + e.getClass().getSimpleName());
        }
        return parse(pem, passphrase, "private key file " + file);
    }

    /** Parses PEM text; {@code what} names the key's origin in messages. */
    public static PrivateKey parse(String pem, char[] passphrase, String what) {
        Matcher block = BLOCK.matcher(pem);
        if (!block.find()) {
            throw new IllegalArgumentException(what + " holds no PEM private key (expected -----BEGIN PRIVATE KEY-----)");
        }
        String type = block.group(1);
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(block.group(2));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is not valid base64 PEM");
        }
        try {
            return switch (type) {
                case "PRIVATE KEY" -> rsa(new PKCS8EncodedKeySpec(der), what);
                case "ENCRYPTED PRIVATE KEY" -> {
                    if (passphrase == null || passphrase.length == 0) {
                        throw new IllegalArgumentException(what + " is encrypted and no passphrase was given "
                                + "(set the private_key_pwd_env option to the name of the variable that holds it)");
                    }
                    yield rsa(decrypt(der, passphrase, what), what);
                }
                case "RSA PRIVATE KEY" -> throw new IllegalArgumentException(what + " is in PKCS#1 format; Snowflake key-pair "
                        + "login uses PKCS#8: convert it with openssl pkcs8 -topk8 -v2 aes256 -in KEY -out KEY.p8");
                default -> throw new IllegalArgumentException(what + " holds a PEM " + type.toLowerCase() + ", not a private key");
            };
        } finally {
            Arrays.fill(der, (byte) 0);
        }
    }

    private static PKCS8EncodedKeySpec decrypt(byte[] der, char[] passphrase, String what) {
        try {
            EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
            AlgorithmParameters parameters = info.getAlgParameters();
            // For PBES2 the parameters name the real scheme, e.g. PBEWithHmacSHA256AndAES_256.
            String algorithm = parameters != null ? parameters.toString() : info.getAlgName();
            PBEKeySpec spec = new PBEKeySpec(passphrase);
            try {
                SecretKey key = SecretKeyFactory.getInstance(algorithm).generateSecret(spec);
                Cipher cipher = Cipher.getInstance(algorithm);
                cipher.init(Cipher.DECRYPT_MODE, key, parameters);
                return info.getKeySpec(cipher);
            } finally {
                spec.clearPassword();
            }
        } catch (GeneralSecurityException | IOException e) {
            // A wrong passphrase shows as a padding or key-spec failure: say so without details.
            throw new IllegalArgumentException(what + " could not be decrypted: wrong passphrase or unsupported encryption ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private static PrivateKey rsa(PKCS8EncodedKeySpec spec, String what) {
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(spec);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(what + " is not an RSA private key in PKCS#8 format");
        }
    }
}
