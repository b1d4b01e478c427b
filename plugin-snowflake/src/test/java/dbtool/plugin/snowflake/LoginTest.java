package dbtool.plugin.snowflake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.spi.Credentials;
import dbtool.testkit.PluginRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which login a target gets, and the refusals that explain themselves instead of failing in the driver. */
class LoginTest {

    static final KeyPair PAIR = TestKeys.rsa();

    @TempDir
    Path dir;

    private static LocalHost headless(Map<String, String> env) {
        return new LocalHost(env::get, "Linux", true);
    }

    private static Login choose(String url, Map<String, String> options, Credentials credentials, LocalHost host) {
        return Login.choose(SnowflakeAddress.of(PluginRun.target(url, "snowflake", options)), credentials, host);
    }

    @Test
    void aPrivateKeyFromTheCredentialProviderMeansKeyPair() {
        Login login = choose("snowflake://acct/DB", Map.of(), Credentials.privateKey("svc_dbtool", PAIR.getPrivate(), "vault:kv/snowflake"),
                headless(Map.of()));
        assertEquals("key-pair", login.method());
        assertEquals("svc_dbtool", login.user());
        assertEquals("snowflake_jwt", login.properties().get("authenticator"));
        assertSame(PAIR.getPrivate(), login.properties().get("privateKey"));
        assertNull(login.refusal());
    }

    @Test
    void anEncryptedPemFileWithItsPassphraseFromTheEnvironment() throws Exception {
        Path key = dir.resolve("rsa_key.p8");
        Files.writeString(key, TestKeys.encryptedPem(PAIR, "pass-phrase-42".toCharArray()));
        Login login = choose("snowflake://svc@acct/DB", Map.of("private_key_file", key.toString(), "private_key_pwd_env", "SF_KEY_PASS"),
                Credentials.none(), headless(Map.of("SF_KEY_PASS", "pass-phrase-42")));
        assertNull(login.refusal());
        assertEquals("key-pair", login.method());
        assertEquals(PAIR.getPrivate(), login.properties().get("privateKey"));
    }

    @Test
    void aWrongPassphraseIsRefusedWithoutEchoingIt() throws Exception {
        Path key = dir.resolve("rsa_key.p8");
        Files.writeString(key, TestKeys.encryptedPem(PAIR, "right-passphrase".toCharArray()));
        Login login = choose("snowflake://svc@acct/DB", Map.of("private_key_file", key.toString(), "private_key_pwd_env", "SF_KEY_PASS"),
                Credentials.none(), headless(Map.of("SF_KEY_PASS", "Wrong-Passphrase-9")));
        assertTrue(login.refusal().contains("could not be decrypted"), login.refusal());
        assertFalse(login.refusal().contains("Wrong-Passphrase-9"));
        assertFalse(login.refusal().contains("right-passphrase"));
    }

    @Test
    void anEncryptedKeyWithoutPassphraseAndAPkcs1KeySayWhatToDo() throws Exception {
        Path encrypted = dir.resolve("enc.p8");
        Files.writeString(encrypted, TestKeys.encryptedPem(PAIR, "x".repeat(12).toCharArray()));
        assertTrue(choose("snowflake://svc@acct/DB", Map.of("private_key_file", encrypted.toString()), Credentials.none(), headless(Map.of()))
                .refusal().contains("private_key_pwd_env"));
        Path pkcs1 = dir.resolve("rsa.pem");
        Files.writeString(pkcs1, "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n-----END RSA PRIVATE KEY-----\n");
        assertTrue(choose("snowflake://svc@acct/DB", Map.of("private_key_file", pkcs1.toString()), Credentials.none(), headless(Map.of()))
                .refusal().contains("openssl pkcs8 -topk8"));
        assertTrue(choose("snowflake://svc@acct/DB", Map.of("private_key_file", dir.resolve("missing.p8").toString()), Credentials.none(),
                headless(Map.of())).refusal().contains("does not exist"));
    }

    @Test
    void anUnencryptedPemParses() {
        assertEquals(PAIR.getPrivate(), PemPrivateKeys.parse(TestKeys.pem(PAIR), null, "test key"));
    }

    @Test
    void anOAuthTokenMeansOAuth() {
        Login login = choose("snowflake://acct/DB", Map.of(), Credentials.token("alice", "tok-123456".toCharArray(), "vault"), headless(Map.of()));
        assertEquals("oauth", login.method());
        assertEquals(Map.of("authenticator", "oauth", "token", "tok-123456"), login.properties());
        assertTrue(login.secrets().contains("tok-123456"));
        assertFalse(login.toString().contains("tok-123456"));
    }

    @Test
    void passwordsComeFromCredentialsThenUrlThenEnvironment() {
        assertEquals("from-creds", choose("snowflake://alice:from-url@acct/DB", Map.of(),
                Credentials.password("alice", "from-creds".toCharArray(), "vault"), headless(Map.of())).properties().get("password"));
        assertEquals("from-url", choose("snowflake://alice:from-url@acct/DB", Map.of(), Credentials.none(), headless(Map.of()))
                .properties().get("password"));
        Login env = choose("snowflake://acct/DB", Map.of(), Credentials.none(), headless(Map.of("SNOWFLAKE_USER", "bob", "SNOWFLAKE_PASSWORD", "from-env")));
        assertEquals("bob", env.user());
        assertEquals("from-env", env.properties().get("password"));
    }

    @Test
    void externalBrowserOnlyOnADesktop() {
        Map<String, String> ssh = new HashMap<>(Map.of("SSH_CONNECTION", "10.0.0.1 5000 10.0.0.2 22"));
        Login headless = choose("snowflake://alice@acct/DB?authenticator=externalbrowser", Map.of(), Credentials.none(), headless(ssh));
        assertTrue(headless.refusal().contains("needs a desktop"), headless.refusal());
        Login noAwt = choose("snowflake://alice@acct/DB?authenticator=externalbrowser", Map.of(), Credentials.none(),
                new LocalHost(Map.of("DISPLAY", ":0")::get, "Linux", false));
        assertTrue(noAwt.refusal().contains("java.desktop"), noAwt.refusal());
        Login desktop = choose("snowflake://alice@acct/DB?authenticator=externalbrowser", Map.of(), Credentials.none(),
                new LocalHost(Map.of("DISPLAY", ":0")::get, "Linux", true));
        assertNull(desktop.refusal());
        assertEquals(Map.of("authenticator", "externalbrowser"), desktop.properties());
        assertTrue(new LocalHost(Map.<String, String>of()::get, "Windows 11", true).desktop());
        assertFalse(new LocalHost(Map.<String, String>of()::get, "Linux", true).desktop());
    }

    @Test
    void nothingToLogInWithIsARefusalNotADriverError() {
        Login none = choose("snowflake://alice@acct/DB", Map.of(), Credentials.none(), headless(Map.of()));
        assertEquals("none", none.method());
        assertTrue(none.refusal().startsWith("no credentials for user alice"), none.refusal());
        Login noUser = choose("snowflake://acct/DB", Map.of(), Credentials.password(null, "pw-1234".toCharArray(), "x"), headless(Map.of()));
        assertTrue(noUser.refusal().startsWith("no user name"), noUser.refusal());
    }
}
