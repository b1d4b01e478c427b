package dbtool.testkit.snowflake;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;

/**
 * Checks a key-pair login the way Snowflake does: an RS256 JWT whose subject is
 * {@code ACCOUNT.USER}, whose issuer adds the SHA-256 fingerprint of the user's registered public
 * key, and whose signature that key verifies.
 */
final class Jwt {

    private Jwt() {
    }

    static boolean verifies(String token, PublicKey key, String account, String user) {
        String[] parts = token.split("\\.");
        if (parts.length != 3) {
            return false;
        }
        try {
            Base64.Decoder decoder = Base64.getUrlDecoder();
            JsonObject payload = JsonParser.parseString(new String(decoder.decode(parts[1]), StandardCharsets.UTF_8)).getAsJsonObject();
            String subject = account + "." + user;
            String fingerprint = "SHA256:" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
            if (!subject.equals(payload.get("sub").getAsString()) || !(subject + "." + fingerprint).equals(payload.get("iss").getAsString())) {
                return false;
            }
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initVerify(key);
            signature.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            return signature.verify(decoder.decode(parts[2]));
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
