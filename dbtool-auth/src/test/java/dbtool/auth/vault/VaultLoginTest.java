package dbtool.auth.vault;

import java.util.Optional;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.spi.CredentialRequest;
import dbtool.spi.Credentials;
import dbtool.spi.LoginRequest;
import dbtool.spi.Target;
import dbtool.testkit.ldap.AdDirectory;
import dbtool.testkit.vault.LdapLoginEndpoint;
import dbtool.testkit.vault.VaultTestServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dbtool auth login/logout} for Vault and the use of the cached token, against the Vault
 * test server whose LDAP login binds to an Active Directory-style directory.
 */
class VaultLoginTest {

    static final String PASSWORD = "Alice-Ldap-" + System.nanoTime();
    static AdDirectory directory;
    static VaultTestServer vault;
    static LdapLoginEndpoint shortLived;

    @TempDir
    Path home;
    final Map<String, String> env = new HashMap<>();
    final List<String> prompts = new ArrayList<>();
    char[] typed;

    @BeforeAll
    static void start() throws Exception {
        directory = AdDirectory.start();
        directory.addGroup("DBA");
        directory.addUser("alice", PASSWORD, "DBA");
        vault = new VaultTestServer("hvs.root", null);
        vault.putKv("secret", "orders", Map.of("username", "app", "password", "kv-pw"));
        vault.addLogin("ldap", new LdapLoginEndpoint(directory.host(), directory.port(), AdDirectory.BASE_DN, AdDirectory.DOMAIN,
                Map.of("DBA", List.of("dba-readonly"))));
        shortLived = new LdapLoginEndpoint(directory.host(), directory.port(), AdDirectory.BASE_DN, AdDirectory.DOMAIN, Map.of())
                .tokens(Duration.ofMinutes(2), true);
        vault.addLogin("short", shortLived);
    }

    @AfterAll
    static void stop() {
        vault.close();
        directory.close();
    }

    @BeforeEach
    void environment() {
        env.put("VAULT_ADDR", vault.address());
    }

    private AuthPaths paths() {
        return new AuthPaths(home, home.resolve(".config").resolve("dbtool"));
    }

    private VaultLoginHandler handler() {
        return new VaultLoginHandler(env::get, paths(), prompt -> {
            prompts.add(prompt);
            return Optional.ofNullable(typed == null ? null : typed.clone());
        });
    }

    private Map<String, String> login(String method, String user, String passwordEnv, String mount, boolean terminal) throws Exception {
        return handler().login(new LoginRequest(method, user, passwordEnv, mount, terminal));
    }

    private String cachedToken() throws Exception {
        return Files.readString(home.resolve(".vault-token"));
    }

    @Test
    void ldapLoginWithThePasswordFromTheEnvironmentCachesAPrivateToken() throws Exception {
        env.put("DBTOOL_LDAP_PASSWORD", PASSWORD);
        Map<String, String> facts = login("ldap", "alice", null, null, false);

        String token = cachedToken();
        assertTrue(vault.tokens().live(token).isPresent(), "the cached token is the one Vault issued");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve(".vault-token"))));
        assertEquals("alice (ldap, auth/ldap)", facts.get("identity"));
        assertEquals("default, dba-readonly", facts.get("policies"));
        assertTrue(facts.get("expires").contains("TTL 3600 s, renewable"), facts.get("expires"));
        assertFalse(facts.toString().contains(token) || facts.toString().contains(PASSWORD));
        assertTrue(prompts.isEmpty(), "no prompt when the environment has the password");
    }

    @Test
    void passwordEnvNamesTheVariableAndAnUnsetOneIsAUsageError() throws Exception {
        env.put("MY_PW", PASSWORD);
        login("ldap", "alice", "MY_PW", null, true);
        assertTrue(prompts.isEmpty());

        IllegalArgumentException unset = assertThrows(IllegalArgumentException.class, () -> login("ldap", "alice", "NOT_SET", null, true));
        assertEquals("--password-env names a variable that is not set", unset.getMessage());
    }

    @Test
    void onATerminalThePasswordIsPromptedForAndWithoutOneItIsAClearError() throws Exception {
        typed = PASSWORD.toCharArray();
        login("ldap", "alice", null, null, true);
        assertEquals(List.of("LDAP password for alice: "), prompts);

        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> login("ldap", "alice", null, null, false));
        assertEquals("no LDAP password for alice: no terminal to prompt on; set DBTOOL_LDAP_PASSWORD or name a variable"
                + " with --password-env VAR", none.getMessage());
        assertEquals(1, prompts.size(), "never prompts without a terminal");
    }

    @Test
    void aWrongPasswordSaysWhatVaultSaidAndNeverThePassword() throws Exception {
        env.put("DBTOOL_LDAP_PASSWORD", "Wrong-" + PASSWORD);
        Exception e = assertThrows(IllegalStateException.class, () -> login("ldap", "alice", null, null, false));
        assertEquals("LDAP login of alice failed: Vault answered 400 for auth/ldap/login/alice: ldap operation failed:"
                + " failed to bind as user", e.getMessage());
        assertFalse(Files.exists(home.resolve(".vault-token")));
    }

    @Test
    void aUserNameWithASlashIsAUsageErrorBeforeAnyPasswordIsAskedFor() {
        typed = PASSWORD.toCharArray();
        Exception e = assertThrows(IllegalArgumentException.class, () -> login("ldap", "ops/alice", null, null, true));
        assertEquals("--username: 'ops/alice' has a '/', which Vault's LDAP login path (auth/ldap/login/USER) cannot carry",
                e.getMessage());
        assertTrue(prompts.isEmpty());
    }

    @Test
    void theUserDefaultsToTheOsLoginName() throws Exception {
        env.put("DBTOOL_LDAP_PASSWORD", PASSWORD);
        Exception e = assertThrows(IllegalStateException.class, () -> login("ldap", null, null, null, false));
        assertTrue(e.getMessage().startsWith("LDAP login of " + System.getProperty("user.name") + " failed"), e.getMessage());
    }

    @Test
    void tokenLoginChecksTheTokenWithVaultBeforeCachingIt() throws Exception {
        env.put("VAULT_TOKEN", "hvs.root");
        Map<String, String> facts = login("token", null, null, null, false);
        assertEquals("hvs.root", cachedToken());
        assertEquals("ldap-alice (token)", facts.get("identity"));

        env.put("VAULT_TOKEN", "hvs.bogus");
        Exception e = assertThrows(IllegalStateException.class, () -> login("token", null, null, null, false));
        assertTrue(e.getMessage().startsWith("Vault does not accept this token: Vault denied access to auth/token/lookup-self (403"),
                e.getMessage());
        assertFalse(e.getMessage().contains("hvs.bogus"));
    }

    @Test
    void kerberosWithoutATicketSaysToRunKinitAndDefaultsToLdap() {
        env.put("KRB5CCNAME", "FILE:" + home.resolve("no-ticket"));
        assertEquals(List.of("kerberos", "ldap", "token"), handler().methods());
        assertEquals("ldap", handler().defaultMethod());
        Exception e = assertThrows(Exception.class, () -> login("kerberos", null, null, null, false));
        assertEquals("no Kerberos ticket: " + home.resolve("no-ticket") + " (KRB5CCNAME) does not exist; run kinit", e.getMessage());
        assertFalse(Files.exists(home.resolve(".vault-token")));
    }

    @Test
    void logoutRevokesTheTokenAndRemovesTheFileDbtoolWrote() throws Exception {
        env.put("DBTOOL_LDAP_PASSWORD", PASSWORD);
        login("ldap", "alice", null, null, false);
        String token = cachedToken();

        Map<String, String> facts = handler().logout();
        assertEquals("revoked", facts.get("token"));
        assertTrue(vault.tokens().isRevoked(token));
        assertFalse(Files.exists(home.resolve(".vault-token")));
        assertEquals("none cached (no " + home.resolve(".vault-token") + "); nothing to do", handler().logout().get("token"));
    }

    @Test
    void logoutLeavesATokenFileSomebodyElseWroteAloneAndValid() throws Exception {
        env.put("DBTOOL_LDAP_PASSWORD", PASSWORD);
        login("ldap", "alice", null, null, false);
        String earlier = cachedToken();
        login("ldap", "alice", null, null, false);
        Files.writeString(home.resolve(".vault-token"), earlier);   // e.g. 'vault login' wrote another token since

        Map<String, String> facts = handler().logout();
        assertEquals(home.resolve(".vault-token") + " not written by dbtool: left alone; 'vault token revoke -self' ends it",
                facts.get("token"));
        assertTrue(vault.tokens().live(earlier).isPresent(), "not dbtool's token: not revoked");
        assertEquals(earlier, cachedToken());
    }

    @Test
    void aTokenAdoptedWithMethodTokenIsNotRevokedAtLogoutOnlyItsFileRemoved() throws Exception {
        env.put("DBTOOL_LDAP_PASSWORD", PASSWORD);
        login("ldap", "alice", null, null, false);
        String shared = cachedToken();
        new TokenCache(paths()).removeIfOwned();
        env.put("VAULT_TOKEN", shared);
        login("token", null, null, null, false);
        env.remove("VAULT_TOKEN");

        Map<String, String> facts = handler().logout();
        assertTrue(facts.get("token").startsWith("not revoked: it was given to 'dbtool auth login --method token'"), facts.toString());
        assertTrue(vault.tokens().live(shared).isPresent(), "a shared token stays valid");
        assertFalse(Files.exists(home.resolve(".vault-token")), "dbtool wrote the file: removed");
    }

    @Test
    void aTokenThatCannotBeCachedIsRevokedAtOnce() throws Exception {
        env.put("DBTOOL_LDAP_PASSWORD", PASSWORD);
        Files.createDirectories(home.resolve(".vault-token").resolve("in-the-way"));
        java.util.Set<String> before = new java.util.HashSet<>(vault.tokens().live().stream().map(t -> t.id()).toList());
        Exception e = assertThrows(IllegalStateException.class, () -> login("ldap", "alice", null, null, false));
        assertEquals("could not save the Vault token in " + home.resolve(".vault-token") + ": it is a directory; the new token was revoked",
                e.getMessage());
        java.util.Set<String> after = new java.util.HashSet<>(vault.tokens().live().stream().map(t -> t.id()).toList());
        after.removeAll(before);
        assertEquals(java.util.Set.of(), after, "no live token left behind");
    }

    @Test
    void aPasswordTypedAsTheVariableNameIsRefusedWithoutRepeatingIt() {
        Exception e = assertThrows(IllegalArgumentException.class, () -> login("ldap", "alice", PASSWORD, null, false));
        assertTrue(e.getMessage().startsWith("--password-env: the value is not an environment variable name"), e.getMessage());
        assertFalse(e.getMessage().contains(PASSWORD));
        Exception token = assertThrows(IllegalArgumentException.class, () -> login("token", null, "hvs.Pasted-1", null, false));
        assertFalse(token.getMessage().contains("hvs.Pasted-1"), token.getMessage());
    }

    @Test
    void aTokenThatCannotBeCheckedIsNotCalledUnacceptable() throws Exception {
        env.put("VAULT_ADDR", "http://127.0.0.1:1");
        env.put("VAULT_TOKEN", "hvs.root");
        Exception e = assertThrows(IllegalStateException.class, () -> login("token", null, null, null, false));
        assertEquals("could not check the token with Vault: Vault at http://127.0.0.1:1/ is unreachable: connection refused",
                e.getMessage());
    }

    @Test
    void aVaultAddressWithAPasswordOrWithoutSchemeIsAConfigurationErrorEverywhere() throws Exception {
        for (String address : List.of("http://admin:Addr-Secret-9@127.0.0.1:8200", "vault:8200", "ftp://vault:8200", "https://")) {
            env.put("VAULT_ADDR", address);
            env.put("VAULT_TOKEN", "hvs.root");
            List<Exception> errors = List.of(
                    assertThrows(dbtool.spi.ConfigurationException.class, () -> login("token", null, null, null, false)),
                    assertThrows(dbtool.spi.ConfigurationException.class, () -> new VaultIdentityReporter(env::get, paths()).describe()),
                    assertThrows(dbtool.spi.ConfigurationException.class, () -> new VaultCredentialProvider(env::get, home)
                            .credentials(new CredentialRequest(new Target("orders", URI.create("postgresql://db/orders"), "postgresql",
                                    "db", 5432, "orders", List.of(), Map.of()), Map.of("method", "vault", "secret", "secret/data/orders"),
                                    false))));
            for (Exception e : errors) {
                assertTrue(e.getMessage().startsWith("VAULT_ADDR: "), e.getMessage());
                assertFalse(e.getMessage().contains("Addr-Secret-9"), e.getMessage());
            }
        }
    }

    @Test
    void theDefaultSaysWhyAConfiguredKerberosCacheIsNotUsedBeforeFallingBackToLdap() {
        env.put("KRB5CCNAME", "KEYRING:persistent:4242");
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        VaultLoginHandler handler = new VaultLoginHandler(env::get, paths(), prompt -> Optional.empty(),
                dbtool.auth.kerberos.TicketSource.of(env::get), new java.io.PrintStream(err, true));
        assertEquals("ldap", handler.defaultMethod());
        String text = err.toString();
        assertTrue(text.startsWith("dbtool: kerberos not usable: the Kerberos ticket cache KEYRING:persistent:4242 (KRB5CCNAME)"
                + " is in the kernel keyring"), text);
        assertTrue(text.strip().endsWith("; using ldap") && text.strip().lines().count() == 1, text);

        env.put("KRB5CCNAME", "FILE:" + home);
        err.reset();
        assertEquals("ldap", handler.defaultMethod());
        assertEquals("dbtool: kerberos not usable: cannot read the Kerberos ticket cache " + home + " (KRB5CCNAME): it is a directory;"
                + " using ldap", err.toString().strip());

        env.put("KRB5CCNAME", "FILE:" + home.resolve("no-ticket"));
        err.reset();
        assertEquals("ldap", handler.defaultMethod());
        assertEquals("", err.toString(), "no cache at all is not worth a line");
    }

    @Test
    void theCachedTokenIsRenewedWhenCloseToExpiryAndAnExpiredOneAsksForALogin() throws Exception {
        env.put("DBTOOL_LDAP_PASSWORD", PASSWORD);
        login("ldap", "alice", null, "short", false);
        String token = cachedToken();
        VaultCredentialProvider provider = new VaultCredentialProvider(env::get, home);
        CredentialRequest request = new CredentialRequest(new Target("orders", URI.create("postgresql://db/orders"), "postgresql",
                "db", 5432, "orders", List.of(), Map.of()), Map.of("method", "vault", "secret", "secret/data/orders"), false);

        Credentials credentials = provider.credentials(request).orElseThrow();
        assertEquals("app", credentials.user().orElseThrow());
        assertEquals(1, vault.tokens().live(token).orElseThrow().renewals(), "a two-minute token is renewed before use");

        vault.tokens().expire(token);
        Exception e = assertThrows(IllegalStateException.class, () -> provider.credentials(request));
        assertEquals("the Vault token in " + home.resolve(".vault-token") + " is invalid or expired (Vault answered 403);"
                + " run 'dbtool auth login'", e.getMessage());
    }

    @Test
    void aLongLivedCachedTokenIsUsedWithoutRenewal() throws Exception {
        env.put("DBTOOL_LDAP_PASSWORD", PASSWORD);
        login("ldap", "alice", null, null, false);
        String token = cachedToken();
        new VaultCredentialProvider(env::get, home).credentials(new CredentialRequest(new Target("orders",
                URI.create("postgresql://db/orders"), "postgresql", "db", 5432, "orders", List.of(), Map.of()),
                Map.of("method", "vault", "secret", "secret/data/orders"), false));
        assertEquals(0, vault.tokens().live(token).orElseThrow().renewals());
        assertArrayEquals(token.toCharArray(), new TokenCache(paths()).read().orElseThrow());
    }
}
