package dbtool.auth.vault;

import java.util.Optional;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.auth.kerberos.KerberosException;
import dbtool.auth.kerberos.KerberosPlatform;
import dbtool.auth.kerberos.TicketSource;
import dbtool.spi.CredentialRequest;
import dbtool.spi.Credentials;
import dbtool.spi.LoginRequest;
import dbtool.spi.Target;
import dbtool.testkit.kdc.TestKdc;
import dbtool.testkit.vault.VaultTestServer;
import io.github.jopenlibs.vault.SslConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
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
        vault = new VaultTestServer("hvs.root-not-used", null); // no database secrets engine: these tests log in and read KV
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

    /** The driver's TLS settings as dbtool makes them, here from an empty environment. */
    private static SslConfig http() throws Exception {
        return VaultTls.create(name -> null);
    }

    @Test
    void theTicketBuysATokenWithThePrincipalsPolicies() throws Exception {
        Path cache = KDC.kinit(TestKdc.USER, dir.resolve("cc"));
        try (VaultToken token = login(env(cache)).login(URI.create(vault.addressByName()), null, null, http())) {
            assertTrue(vault.tokens().live(new String(token.token())).isPresent(), "a token the server issued");
            assertEquals(List.of("default", "dba-readonly"), token.policies());
            assertEquals(Duration.ofSeconds(2764), token.ttl());
            assertTrue(token.renewable());
            assertFalse(token.toString().contains(new String(token.token())));
        }
    }

    private static Target target() {
        return new Target("orders", URI.create("postgresql://localhost/postgres"), "postgresql", "localhost", 5432,
                "postgres", List.of(), Map.of());
    }

    private static Set<String> liveKerberosTokens() {
        return vault.tokens().live().stream().filter(t -> t.path().equals("auth/kerberos/login")).map(t -> t.id())
                .collect(Collectors.toSet());
    }

    @Test
    void withoutATokenTheVaultMethodLogsInWithKerberosAndRevokesThatTokenWhenTheCommandEnds() throws Exception {
        Path cache = KDC.kinit(TestKdc.USER, dir.resolve("cc"));
        Map<String, String> env = env(cache);
        env.put("VAULT_ADDR", vault.addressByName());
        VaultCredentialProvider provider = new VaultCredentialProvider(env::get, dir, login(env));
        Set<String> before = liveKerberosTokens();
        Credentials credentials = provider.credentials(new CredentialRequest(target(),
                Map.of("method", "vault", "secret", "secret/data/orders/db"), false)).orElseThrow();
        List<String> during = new ArrayList<>(liveKerberosTokens());
        during.removeAll(before);
        assertEquals(1, during.size(), "one login for the command");
        try (credentials) {
            assertEquals("app", credentials.user().orElseThrow());
        }
        assertTrue(vault.tokens().live(during.getFirst()).isPresent(), "the token lives while the command runs");
        credentials.release();
        assertTrue(vault.tokens().isRevoked(during.getFirst()), "revoke-self when the command ends: no orphan token left in Vault");
    }

    @Test
    void aSecretThatCannotBeReadRevokesTheLoginAtOnce() {
        Path cache = KDC.kinit(TestKdc.USER, dir.resolve("cc"));
        Map<String, String> env = env(cache);
        env.put("VAULT_ADDR", vault.addressByName());
        VaultCredentialProvider provider = new VaultCredentialProvider(env::get, dir, login(env));
        Set<String> before = liveKerberosTokens();
        Exception e = assertThrows(Exception.class, () -> provider.credentials(new CredentialRequest(target(),
                Map.of("method", "vault", "secret", "secret/data/orders/missing"), false)));
        assertEquals("Vault has nothing at secret/data/orders/missing (404)", e.getMessage());
        assertEquals(before, liveKerberosTokens(), "no credentials to release later, so the login ended with the failure");
    }

    @Test
    void authLoginWithKerberosCachesTheTokenLikeTheOtherMethods() throws Exception {
        Path cache = KDC.kinit(TestKdc.USER, dir.resolve("cc"));
        Map<String, String> env = env(cache);
        env.put("VAULT_ADDR", vault.addressByName());
        TicketSource tickets = new TicketSource(KerberosPlatform.of("Linux", env::get), env::get, "4242", Clock.systemUTC());
        VaultLoginHandler handler = new VaultLoginHandler(env::get, new AuthPaths(dir, dir.resolve("config")), prompt -> Optional.empty(), tickets);
        assertEquals("kerberos", handler.defaultMethod(), "a ticket in the cache makes kerberos the default");

        Map<String, String> facts = handler.login(new LoginRequest(handler.defaultMethod(), null, null, null, false));
        Path file = dir.resolve(".vault-token");
        String token = Files.readString(file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertTrue(vault.tokens().live(token).isPresent());
        assertEquals("alice@EXAMPLE.COM (kerberos, auth/kerberos)", facts.get("identity"));
        assertEquals("default, dba-readonly", facts.get("policies"));
        assertTrue(facts.get("expires").contains("TTL 2764 s, renewable"), facts.get("expires"));
        assertFalse(facts.toString().contains(token));

        // The cached token is used as is by the vault method: no second login, nothing revoked at the end.
        Set<String> before = liveKerberosTokens();
        VaultCredentialProvider provider = new VaultCredentialProvider(env::get, dir, login(env));
        try (Credentials credentials = provider.credentials(new CredentialRequest(target(),
                Map.of("method", "vault", "secret", "secret/data/orders/db"), false)).orElseThrow()) {
            credentials.release();
        }
        assertEquals(before, liveKerberosTokens());

        assertEquals("revoked", handler.logout().get("token"));
        assertTrue(vault.tokens().isRevoked(token));
        assertFalse(Files.exists(file));
    }

    @Test
    void kerberosTakesNoUserNameOrPassword() {
        Map<String, String> env = env(KDC.kinit(TestKdc.USER, dir.resolve("cc")));
        env.put("VAULT_ADDR", vault.addressByName());
        VaultLoginHandler handler = new VaultLoginHandler(env::get, new AuthPaths(dir, dir.resolve("config")), prompt -> Optional.empty(),
                new TicketSource(KerberosPlatform.of("Linux", env::get), env::get, "4242", Clock.systemUTC()));
        IllegalArgumentException user = assertThrows(IllegalArgumentException.class,
                () -> handler.login(new LoginRequest("kerberos", "bob", null, null, false)));
        assertTrue(user.getMessage().startsWith("--username: the kerberos method logs in as the principal of your ticket"));
        assertFalse(Files.exists(dir.resolve(".vault-token")));
    }

    @Test
    void aWrongMountIsVaultsOwnError() throws Exception {
        Path cache = KDC.kinit(TestKdc.USER, dir.resolve("cc"));
        Exception e = assertThrows(Exception.class,
                () -> login(env(cache)).login(URI.create(vault.addressByName()), null, "kerberos-corp", http()));
        assertEquals("Vault refused the login at auth/kerberos-corp/login (403: the login was refused, or there is no such auth mount): permission denied", e.getMessage());
    }

    @Test
    void aClientKeytabLogsInTooAndAnUnmappedPrincipalIsRefused() {
        Map<String, String> env = env(dir.resolve("no-cache"));
        env.put("KRB5_CLIENT_KTNAME", "FILE:" + KDC.keytab(TestKdc.POSTGRES_SERVICE));
        Exception e = assertThrows(Exception.class, () -> login(env).login(URI.create(vault.addressByName()), null, null, http()));
        assertEquals("Vault refused the login at auth/kerberos/login (403: the login was refused, or there is no such auth mount): permission denied: no policy mapping for"
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
        Exception e = assertThrows(IllegalStateException.class, () -> provider.credentials(new CredentialRequest(target(),
                Map.of("method", "vault", "secret", "secret/data/orders/db"), false)));
        assertEquals(VaultCredentialProvider.NO_TOKEN + "; and no Kerberos login: no Kerberos ticket: "
                + dir.resolve("none") + " (KRB5CCNAME) does not exist; run kinit", e.getMessage());
    }
}
