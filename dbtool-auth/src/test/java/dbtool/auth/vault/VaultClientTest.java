package dbtool.auth.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dbtool.testkit.vault.TestCertificates;
import dbtool.testkit.vault.VaultTestServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dbtool's facade on the Vault Java driver against the HTTPS Vault test server: paths used as
 * written, VAULT_CACERT bundles, and the driver's failures as one-line messages without the token.
 */
class VaultClientTest {

    static final String ROOT = "hvs.root-" + System.nanoTime();

    @TempDir
    static Path dir;
    static TestCertificates certificates;
    static VaultTestServer vault;

    @BeforeAll
    static void start() throws Exception {
        certificates = TestCertificates.create(dir.resolve("ca"));
        vault = new VaultTestServer(ROOT, null, certificates.serverContext());
        vault.putKv("secret", "orders", Map.of("username", "app", "password", "kv-pw"));
    }

    @AfterAll
    static void stop() {
        vault.close();
    }

    private static VaultClient client(String token, Map<String, String> environment) throws Exception {
        return new VaultClient(URI.create(vault.address() + "/"), token.toCharArray(), null, VaultTls.create(environment::get),
                Duration.ofSeconds(10));
    }

    @Test
    void aKvV2PathIsReadAsWrittenAndEveryCertificateOfTheCacertBundleIsTrusted() throws Exception {
        // A CA bundle as VAULT_CACERT often names one: an unrelated CA first, Vault's own second.
        Path bundle = dir.resolve("bundle.pem");
        Files.writeString(bundle, Files.readString(TestCertificates.create(dir.resolve("other")).caPem())
                + Files.readString(certificates.caPem()));
        JsonObject answer = client(ROOT, Map.of("VAULT_CACERT", bundle.toString())).read("secret/data/orders");
        JsonObject data = answer.getAsJsonObject("data").getAsJsonObject("data");
        assertEquals("app", data.get("username").getAsString());
        assertEquals("kv-pw", data.get("password").getAsString());
    }

    @Test
    void refusalsSayWhatVaultSaidOnOneLineAndNeverTheToken() throws Exception {
        Map<String, String> trusted = Map.of("VAULT_CACERT", certificates.caPem().toString());
        String wrong = "hvs.wrong-" + System.nanoTime();

        VaultClient.VaultException read = assertThrows(VaultClient.VaultException.class,
                () -> client(wrong, trusted).read("secret/data/orders"));
        assertEquals("Vault denied access to secret/data/orders (403: the token is invalid, expired or lacks a policy for it):"
                + " permission denied", read.getMessage());
        assertEquals(403, read.status());

        // The driver's token API throws, with Vault's body inside a multi-line message: only its errors are kept.
        VaultClient.VaultException lookup = assertThrows(VaultClient.VaultException.class, () -> client(wrong, trusted).lookupSelf());
        assertEquals("Vault denied access to auth/token/lookup-self (403: the token is invalid, expired or lacks a policy for it):"
                + " permission denied", lookup.getMessage());

        VaultClient.VaultException missing = assertThrows(VaultClient.VaultException.class,
                () -> client(ROOT, trusted).read("secret/data/nothing-here"));
        assertEquals("Vault has nothing at secret/data/nothing-here (404)", missing.getMessage());
        for (Exception e : new Exception[] {read, lookup, missing}) {
            assertFalse(e.getMessage().contains(wrong) || e.getMessage().contains(ROOT), e.getMessage());
        }
    }

    @Test
    void anUntrustedCertificateAndAnUnreachableVaultAreOneLineMessages() throws Exception {
        VaultClient.VaultException untrusted = assertThrows(VaultClient.VaultException.class,
                () -> client(ROOT, Map.of()).read("secret/data/orders"));
        assertTrue(untrusted.getMessage().startsWith("Vault at " + vault.address() + "/ presented a certificate that is not trusted:"
                + " set VAULT_CACERT to the PEM file of the CA that signed it ("), untrusted.getMessage());
        assertEquals(0, untrusted.status());

        VaultClient down = new VaultClient(URI.create("http://127.0.0.1:1/"), ROOT.toCharArray(), "team", VaultTls.create(name -> null),
                Duration.ofSeconds(10));
        VaultClient.VaultException unreachable = assertThrows(VaultClient.VaultException.class, down::lookupSelf);
        assertEquals("Vault at http://127.0.0.1:1/ is unreachable: connection refused", unreachable.getMessage());
        for (Exception e : new Exception[] {untrusted, unreachable}) {
            assertFalse(e.getMessage().contains("\n") || e.getMessage().contains(ROOT), e.getMessage());
        }
    }

    @Test
    void aCacertThatIsMissingOrHoldsNoCertificateIsNamed() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "not a certificate\n");
        dbtool.spi.ConfigurationException none = assertThrows(dbtool.spi.ConfigurationException.class,
                () -> VaultTls.create(Map.of("VAULT_CACERT", empty.toString())::get));
        assertEquals("VAULT_CACERT: " + empty + " holds no PEM certificate", none.getMessage());
        Path absent = dir.resolve("absent.pem");
        dbtool.spi.ConfigurationException missing = assertThrows(dbtool.spi.ConfigurationException.class,
                () -> VaultTls.create(Map.of("VAULT_CACERT", absent.toString())::get));
        assertEquals("VAULT_CACERT names " + absent + ", which cannot be read", missing.getMessage());
    }

    @Test
    void theKerberosLoginHonoursVaultSkipVerifyLikeTheDriversCalls() throws Exception {
        // No VAULT_CACERT: the test CA is unknown, so only skip-verify gets an answer from this HTTPS Vault.
        VaultClient skipping = new VaultClient(URI.create(vault.address() + "/"), new char[0], null,
                VaultTls.create(Map.of("VAULT_SKIP_VERIFY", "true")::get), Duration.ofSeconds(10));
        VaultClient.VaultException answered = assertThrows(VaultClient.VaultException.class,
                () -> skipping.loginNegotiate("auth/kerberos/login", "YWJj"));
        assertTrue(answered.status() >= 400, answered.getMessage());
        assertFalse(answered.getMessage().contains("certificate"), answered.getMessage());
    }

    @Test
    void aRefusedLoginTalksAboutTheLoginNotATokenAlsoForLdapsUserPath() {
        assertTrue(VaultClient.isLogin("auth/ldap/login/alice"));
        assertTrue(VaultClient.isLogin("auth/kerberos/login"));
        assertFalse(VaultClient.isLogin("auth/token/lookup-self"));
        assertFalse(VaultClient.isLogin("secret/data/auth/x/login"));
    }

    @Test
    void aVaultThatNeverAnswersTimesOutInWords() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            // A daemon: it ends when the client gives up and closes the connection.
            Thread.ofPlatform().daemon().start(() -> {
                try (java.net.Socket held = silent.accept()) {
                    held.getInputStream().readAllBytes();
                } catch (java.io.IOException ignored) {
                    // closed at the end of the test
                }
            });
            VaultClient client = new VaultClient(URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/"), ROOT.toCharArray(),
                    null, VaultTls.create(name -> null), Duration.ofSeconds(1));
            VaultClient.VaultException e = assertThrows(VaultClient.VaultException.class, client::lookupSelf);
            assertEquals("Vault at http://127.0.0.1:" + silent.getLocalPort() + "/ did not answer auth/token/lookup-self within 1 s", e.getMessage());
        }
    }

    @Test
    void theSkipVerifyWarningIsPrintedOncePerProcess() throws Exception {
        java.io.PrintStream original = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true));
        try {
            for (int i = 0; i < 3; i++) {
                VaultTls.create(Map.of("VAULT_SKIP_VERIFY", "1")::get);
            }
        } finally {
            System.setErr(original);
        }
        assertTrue(captured.toString().lines().count() <= 1, "at most once, whatever ran before: " + captured);
    }
}
