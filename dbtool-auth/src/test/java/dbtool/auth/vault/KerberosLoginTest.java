package dbtool.auth.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.auth.kerberos.KerberosException;
import dbtool.auth.kerberos.KerberosPlatform;
import dbtool.auth.kerberos.TicketSource;
import dbtool.spi.CredentialRequest;
import dbtool.spi.Credentials;
import dbtool.spi.Target;
import dbtool.testkit.kdc.TestKdc;
import dbtool.testkit.vault.VaultTestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Vault's Kerberos login for real: a SPNEGO token made by the JDK from a ticket the KDC issued,
 * verified by the Vault test server's JGSS acceptor with the HTTP/localhost keytab.
 */
class KerberosLoginTest {

    static final TestKdc KDC = TestKdc.shared();
    static VaultTestServer vault;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        vault = new VaultTestServer("hvs.root-not-used", new VaultTestServer.DatabaseBackend() {
            @Override
            public String[] create(String vaultRole) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void drop(String user) {
                throw new UnsupportedOperationException();
            }
        });
        vault.enableKerberosLogin(KDC.keytab(TestKdc.HTTP_SERVICE), TestKdc.HTTP_SERVICE + "@" + TestKdc.REALM,
                Map.of("alice@EXAMPLE.COM", List.of("default", "dba-readonly")));
        vault.putKv("secret", "orders/db", Map.of("username", "app", "password", "Kv-Password-1"));
    }

    @AfterAll
    static void stop() {
        vault.close();
    }

    private static Map<String, String> env(Path cache) {
        Map<String, String> env = new HashMap<>();
        env.put("KRB5CCNAME", "FILE:" + cache);
        env.put("KRB5_CONFIG", KDC.krb5Conf().toString());
        return env;
    }

    private static KerberosLogin login(Map<String, String> env) {
        return new KerberosLogin(new TicketSource(KerberosPlatform.of("Linux", env::get), env::get, "4242", Clock.systemUTC()));
    }

    private static HttpClient http() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Test
    void theTicketBuysATokenWithThePrincipalsPolicies() throws Exception {
        Path cache = KDC.kinit(TestKdc.USER, dir.resolve("cc"));
        try (VaultToken token = login(env(cache)).login(URI.create(vault.addressByName()), null, null, http())) {
            assertTrue(new String(token.token()).startsWith("hvs.krb-"));
            assertEquals(List.of("default", "dba-readonly"), token.policies());
            assertEquals(Duration.ofSeconds(2764), token.ttl());
            assertTrue(token.renewable());
            assertFalse(token.toString().contains(new String(token.token())));
        }
    }

    @Test
    void withoutATokenTheVaultMethodLogsInWithKerberos() throws Exception {
        Path cache = KDC.kinit(TestKdc.USER, dir.resolve("cc"));
        Map<String, String> env = env(cache);
        env.put("VAULT_ADDR", vault.addressByName());
        VaultCredentialProvider provider = new VaultCredentialProvider(env::get, dir, login(env));
        Target target = new Target("orders", URI.create("postgresql://localhost/postgres"), "postgresql", "localhost", 5432,
                "postgres", List.of(), Map.of());
        try (Credentials credentials = provider.credentials(new CredentialRequest(target,
                Map.of("method", "vault", "secret", "secret/data/orders/db"), false)).orElseThrow()) {
            assertEquals("app", credentials.user().orElseThrow());
        }
    }

    @Test
    void aWrongMountIsVaultsOwnError() throws Exception {
        Path cache = KDC.kinit(TestKdc.USER, dir.resolve("cc"));
        Exception e = assertThrows(Exception.class,
                () -> login(env(cache)).login(URI.create(vault.addressByName()), null, "kerberos-corp", http()));
        assertEquals("Vault refused the login at auth/kerberos-corp/login (403): permission denied", e.getMessage());
    }

    @Test
    void aClientKeytabLogsInTooAndAnUnmappedPrincipalIsRefused() {
        Map<String, String> env = env(dir.resolve("no-cache"));
        env.put("KRB5_CLIENT_KTNAME", "FILE:" + KDC.keytab(TestKdc.POSTGRES_SERVICE));
        Exception e = assertThrows(Exception.class, () -> login(env).login(URI.create(vault.addressByName()), null, null, http()));
        assertEquals("Vault refused the login at auth/kerberos/login (403): permission denied: no policy mapping for"
                + " postgres/localhost@EXAMPLE.COM", e.getMessage());
    }

    @Test
    void aClockOutOfSkewIsOneLineNamingTheFix() {
        Path cache = KDC.kinit(TestKdc.USER, dir.resolve("cc"));
        KDC.skewClock(true);
        KerberosException e;
        try {
            e = assertThrows(KerberosException.class, () -> login(env(cache)).login(URI.create(vault.addressByName()), null, null, http()));
        } finally {
            KDC.skewClock(false);
        }
        assertTrue(e.getMessage().startsWith("Kerberos login to Vault as alice@EXAMPLE.COM (service HTTP/localhost) failed:"
                + " clock skew too great (KRB_AP_ERR_SKEW)"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void noTicketAndNoTokenSaysBothWays() {
        Map<String, String> env = env(dir.resolve("none"));
        env.put("VAULT_ADDR", vault.addressByName());
        VaultCredentialProvider provider = new VaultCredentialProvider(env::get, dir, login(env));
        Target target = new Target("orders", URI.create("postgresql://localhost/postgres"), "postgresql", "localhost", 5432,
                "postgres", List.of(), Map.of());
        Exception e = assertThrows(IllegalStateException.class, () -> provider.credentials(new CredentialRequest(target,
                Map.of("method", "vault", "secret", "secret/data/orders/db"), false)));
        assertEquals("no Vault token (set VAULT_TOKEN or run 'vault login') and no Kerberos login: no Kerberos ticket: "
                + dir.resolve("none") + " (KRB5CCNAME) does not exist; run kinit", e.getMessage());
    }
}
