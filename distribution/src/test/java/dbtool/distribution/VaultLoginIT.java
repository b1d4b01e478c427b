package dbtool.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.plugin.postgres.demo.LocalCluster;
import dbtool.testkit.DbtoolBundle;
import dbtool.testkit.ProcessResult;
import dbtool.testkit.ldap.AdDirectory;
import dbtool.testkit.vault.LdapLoginEndpoint;
import dbtool.testkit.vault.TestCertificates;
import dbtool.testkit.vault.VaultTestServer;
import dbtool.testkit.vault.VaultTokens;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code dbtool auth login|status|logout} through the bundle: an LDAP login to the Vault test
 * server, which binds to an Active Directory-style directory; the token cached in ~/.vault-token
 * and used (and renewed) by a troubleshoot with a Vault target; logout revoking it; Vault's
 * conventions (VAULT_NAMESPACE, VAULT_CACERT over HTTPS); failures as one line; and no secret in
 * any output.
 */
class VaultLoginIT {

    static final String LDAP_PASSWORD = "Ldap-Pw-" + UUID.randomUUID();
    static final String DB_PASSWORD = "Kv-Db-" + UUID.randomUUID();
    static final String ROOT_TOKEN = "hvs.Root-" + UUID.randomUUID();
    static LocalCluster cluster;
    static AdDirectory directory;
    static VaultTestServer vault;
    static VaultTestServer httpsVault;
    static TestCertificates certificates;

    @TempDir
    Path home;

    @BeforeAll
    static void start(@TempDir Path certs) throws Exception {
        cluster = LocalCluster.start(LocalCluster.Settings.defaults());
        cluster.execute("postgres", "CREATE ROLE app_static LOGIN PASSWORD '" + DB_PASSWORD + "' IN ROLE pg_monitor");
        directory = AdDirectory.start();
        directory.addGroup("DBA");
        directory.addUser("alice", LDAP_PASSWORD, "DBA");
        Map<String, List<String>> policies = Map.of("DBA", List.of("dba-readonly"));
        vault = new VaultTestServer(ROOT_TOKEN, null);
        vault.putKv("secret", "orders/db", Map.of("username", "app_static", "password", DB_PASSWORD));
        vault.addLogin("ldap", new LdapLoginEndpoint(directory.host(), directory.port(), AdDirectory.BASE_DN, AdDirectory.DOMAIN, policies));
        vault.addLogin("short", new LdapLoginEndpoint(directory.host(), directory.port(), AdDirectory.BASE_DN, AdDirectory.DOMAIN, policies)
                .tokens(Duration.ofMinutes(2), true));
        certificates = TestCertificates.create(certs.resolve("ca"));
        httpsVault = new VaultTestServer(ROOT_TOKEN, null, certificates.serverContext());
        httpsVault.addLogin("ldap", new LdapLoginEndpoint(directory.host(), directory.port(), AdDirectory.BASE_DN, AdDirectory.DOMAIN, policies));
        httpsVault.putKv("secret", "orders/db", Map.of("username", "app_static", "password", DB_PASSWORD));
    }

    @AfterAll
    static void stop() {
        httpsVault.close();
        vault.close();
        directory.close();
        cluster.close();
    }

    private DbtoolBundle bundle() throws IOException {
        // No Kerberos ticket here, whatever the machine has: the default method is ldap, and a Vault
        // target without a token cannot fall back to a Kerberos login.
        DbtoolBundle bundle = DbtoolBundle.locate(home).env("VAULT_ADDR", vault.address()).env("ALICE_PW", LDAP_PASSWORD)
                .env("KRB5CCNAME", "FILE:" + noTicket());
        Files.createDirectories(bundle.configFile().getParent());
        Files.writeString(bundle.configFile(), """
                {"targets": {"orders": {"url": "postgresql://127.0.0.1:%d/postgres",
                                        "auth": {"method": "vault", "secret": "secret/data/orders/db"}}}}
                """.formatted(cluster.port()));
        return bundle;
    }

    private Path noTicket() {
        return home.resolve("krb5cc_none");
    }

    private Path tokenFile() {
        return home.resolve(".vault-token");
    }

    /** The secrets of this run found in a text, by name: what the leak checks assert is empty. */
    private static List<String> leaks(String text, Map<String, String> secrets) {
        List<String> found = new ArrayList<>();
        secrets.forEach((name, secret) -> {
            if (text.contains(secret)) {
                found.add(name);
            }
        });
        return found;
    }

    private static void assertOneLineError(ProcessResult result, int exit, String message) {
        assertEquals(exit, result.exitCode(), result.describe());
        assertEquals(List.of("dbtool: " + message), result.stderr().lines().toList(), result.describe());
    }

    @Test
    void loginCachesThePrivateTokenThatTroubleshootStatusAndLogoutUse() throws Exception {
        DbtoolBundle bundle = bundle();
        ProcessResult login = bundle.run("auth", "login", "--method", "ldap", "--username", "alice", "--password-env", "ALICE_PW");
        assertEquals(0, login.exitCode(), login.describe());
        assertTrue(login.stdout().startsWith("vault: logged in with ldap\n"), login.stdout());
        assertTrue(login.stdout().contains("identity:        alice (ldap, auth/ldap)"), login.stdout());
        assertTrue(login.stdout().contains("policies:        default, dba-readonly"), login.stdout());
        assertTrue(login.stdout().contains("token saved in:  " + tokenFile() + " (mode 0600)"), login.stdout());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile())));
        String token = Files.readString(tokenFile());
        assertTrue(vault.tokens().live(token).isPresent());

        Path report = home.resolve("report.json");
        ProcessResult troubleshoot = bundle.run("troubleshoot", "orders", "--check", "connection", "--format", "json", "--output", report.toString());
        assertEquals(0, troubleshoot.exitCode(), troubleshoot.describe());
        assertTrue(Files.readString(report).contains("authenticated as app_static"), "no VAULT_TOKEN: the cached token was used");

        ProcessResult status = bundle.run("auth", "status");
        assertEquals(0, status.exitCode(), status.describe());
        assertTrue(status.stdout().contains("token from:  " + tokenFile()), status.stdout());
        assertTrue(status.stdout().contains("written by:  dbtool auth login"), status.stdout());
        assertTrue(status.stdout().contains("identity:    ldap-alice"), status.stdout());
        assertTrue(status.stdout().contains("policies:    default, dba-readonly"), status.stdout());
        assertTrue(status.stdout().contains("expires:     20"), status.stdout());

        ProcessResult logout = bundle.run("auth", "logout");
        assertEquals(0, logout.exitCode(), logout.describe());
        assertTrue(logout.stdout().contains("token:       revoked"), logout.stdout());
        assertTrue(logout.stdout().contains("token file:  " + tokenFile() + " removed"), logout.stdout());
        assertTrue(vault.tokens().isRevoked(token), "Vault says the token is dead");
        assertFalse(Files.exists(tokenFile()));

        ProcessResult after = bundle.run("troubleshoot", "orders");
        assertOneLineError(after, 3, "credentials (vault): no Vault token: run 'dbtool auth login' (or 'vault login'), or set VAULT_TOKEN;"
                + " and no Kerberos login: no Kerberos ticket: " + noTicket() + " (KRB5CCNAME) does not exist; run kinit");

        Map<String, String> secrets = Map.of("LDAP password", LDAP_PASSWORD, "Vault token", token, "database password", DB_PASSWORD);
        for (ProcessResult result : List.of(login, troubleshoot, status, logout, after)) {
            assertEquals(List.of(), leaks(result.stdout() + result.stderr(), secrets), result.describe());
        }
        assertEquals(List.of(), leaks(Files.readString(report), secrets));
        // The check itself works: the secrets are where they belong.
        assertEquals(List.of("database password"), leaks(cluster.log() + " " + DB_PASSWORD, secrets));
    }

    @Test
    void noSecretAppearsInAnyOutputOrTheRunLogEvenWhenThingsFail() throws Exception {
        Path log = home.resolve("logs").resolve("dbtool.log");
        Files.createDirectories(log.getParent());
        DbtoolBundle bundle = bundle().env("DBTOOL_LDAP_PASSWORD", LDAP_PASSWORD).env("DBTOOL_LOG", log.toString());
        ProcessResult login = bundle.run("auth", "login", "--username", "alice");
        assertEquals(0, login.exitCode(), login.describe());
        assertTrue(login.stdout().startsWith("vault: logged in with ldap\n"), "no ticket: ldap is the default");
        String token = Files.readString(tokenFile());
        Path report = home.resolve("report.json");
        List<ProcessResult> results = new ArrayList<>(List.of(login,
                bundle.run("troubleshoot", "orders", "--format", "json", "--output", report.toString()),
                bundle.run("troubleshoot", "orders", "--format", "text"),
                bundle.run("auth", "status"),
                bundle.env("VAULT_TOKEN", token).run("auth", "status"),
                bundle.env("DBTOOL_LDAP_PASSWORD", "x" + LDAP_PASSWORD).run("auth", "login", "--username", "alice"),
                bundle.env("VAULT_TOKEN", "y" + token).run("troubleshoot", "orders")));
        Map<String, String> secrets = new LinkedHashMap<>(Map.of("LDAP password", LDAP_PASSWORD, "Vault token", token,
                "database password", DB_PASSWORD));
        for (ProcessResult result : results) {
            assertEquals(List.of(), leaks(result.stdout() + result.stderr(), secrets), result.describe());
        }
        String json = Files.readString(report);
        assertTrue(json.contains("\"schemaVersion\""), json);
        assertEquals(List.of(), leaks(json, secrets));

        // The run log has the runs (target, credential source, every check of the report) and no secret.
        assertTrue(Files.exists(log), "DBTOOL_LOG names the run log");
        String logged = Files.readString(log);
        assertTrue(logged.contains("orders: postgresql target"), logged);
        assertTrue(logged.contains("credentials: vault:secret/data/orders/db"), logged);
        List<String> checks = java.util.regex.Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"").matcher(json).results()
                .map(m -> m.group(1)).toList();
        assertFalse(checks.isEmpty(), json);
        for (String check : checks) {
            assertTrue(logged.contains("orders: check " + check + " "), "check " + check + " in the log:\n" + logged);
        }
        assertEquals(List.of(), leaks(logged, secrets), logged);
    }

    @Test
    void logoutKeepsATokenFileDbtoolDidNotWrite() throws Exception {
        VaultTokens.Token foreign = vault.tokens().issue("ldap-alice", List.of("default"), Map.of(), "auth/ldap/login/alice",
                Duration.ofHours(1), true);
        Files.writeString(tokenFile(), foreign.id());   // as 'vault login' leaves it
        ProcessResult logout = bundle().run("auth", "logout");
        assertEquals(0, logout.exitCode(), logout.describe());
        assertTrue(logout.stdout().contains("not written by dbtool: left alone; 'vault token revoke -self' ends it"), logout.stdout());
        assertEquals(foreign.id(), Files.readString(tokenFile()));
        assertTrue(vault.tokens().live(foreign.id()).isPresent(), "a token the Vault CLI wrote is not dbtool's to revoke");
        assertFalse(logout.stdout().contains(foreign.id()));
    }

    @Test
    void aTokenAdoptedWithMethodTokenOutlivesLogoutAndStrayArgumentsAreNeverEchoed() throws Exception {
        VaultTokens.Token shared = vault.tokens().issue("ldap-alice", List.of("default"), Map.of(), "auth/ldap/login/alice",
                Duration.ofHours(1), true);
        DbtoolBundle bundle = bundle().env("SHARED_TOKEN", shared.id());
        ProcessResult adopt = bundle.run("auth", "login", "--method", "token", "--password-env", "SHARED_TOKEN");
        assertEquals(0, adopt.exitCode(), adopt.describe());
        ProcessResult logout = bundle.run("auth", "logout");
        assertEquals(0, logout.exitCode(), logout.describe());
        assertTrue(logout.stdout().contains("not revoked: it was given to 'dbtool auth login --method token'"), logout.stdout());
        assertTrue(vault.tokens().live(shared.id()).isPresent(), "a shared token stays valid");
        assertFalse(Files.exists(tokenFile()), "dbtool wrote the file, so it is removed");

        ProcessResult pastedAsName = bundle.run("auth", "login", "--method", "token", "--password-env", shared.id());
        assertEquals(64, pastedAsName.exitCode(), pastedAsName.describe());
        assertTrue(pastedAsName.stderr().contains("is not an environment variable name"), pastedAsName.stderr());
        ProcessResult stray = bundle.run("auth", "login", shared.id());
        assertEquals(64, stray.exitCode(), stray.describe());
        assertTrue(stray.stderr().startsWith("dbtool: auth: 1 unexpected argument after 'login'; usage: dbtool auth "), stray.stderr());
        for (ProcessResult result : List.of(adopt, logout, pastedAsName, stray)) {
            assertFalse(result.stdout().contains(shared.id()) || result.stderr().contains(shared.id()), result.describe());
        }
    }

    @Test
    void anUnreadableCacertIsAConfigurationError() throws Exception {
        DbtoolBundle bundle = bundle().env("VAULT_ADDR", httpsVault.address()).env("VAULT_CACERT", "/nonexistent/ca.pem");
        assertEquals(78, bundle.run("auth", "login", "--username", "alice", "--password-env", "ALICE_PW").exitCode());
        ProcessResult status = bundle.env("VAULT_TOKEN", ROOT_TOKEN).run("auth", "status");
        assertEquals(78, status.exitCode(), status.describe());
        assertTrue(status.stdout().contains("VAULT_CACERT names /nonexistent/ca.pem, which cannot be read"), status.stdout());
    }

    @Test
    void aWrongPasswordAnUnknownMethodAndAnUnreachableVaultAreOneLineErrors() throws Exception {
        DbtoolBundle bundle = bundle().env("ALICE_PW", "Wrong-" + LDAP_PASSWORD);
        ProcessResult wrong = bundle.run("auth", "login", "--username", "alice", "--password-env", "ALICE_PW");
        assertOneLineError(wrong, 3, "auth login (ldap): LDAP login of alice failed: Vault answered 400 for"
                + " auth/ldap/login/alice: ldap operation failed: failed to bind as user");
        assertFalse(Files.exists(tokenFile()));
        assertFalse(wrong.stderr().contains(LDAP_PASSWORD));

        assertOneLineError(bundle.run("auth", "login", "--method", "saml"), 64,
                "auth login: --method: unknown method 'saml'; available: kerberos, ldap, token");
        assertOneLineError(bundle.run("auth", "login", "--username", "alice"), 64, "auth login: no LDAP password for alice:"
                + " no terminal to prompt on; set DBTOOL_LDAP_PASSWORD or name a variable with --password-env VAR");
        assertOneLineError(bundle.run("auth", "login", "--password-env", "NOT_SET_ANYWHERE"), 64,
                "auth login: --password-env names a variable that is not set");
        assertOneLineError(bundle.run("auth", "status", "--method", "ldap"), 64, "auth status: --method belongs to 'auth login'");

        ProcessResult down = bundle.env("VAULT_ADDR", "http://127.0.0.1:1").env("ALICE_PW", LDAP_PASSWORD)
                .run("auth", "login", "--username", "alice", "--password-env", "ALICE_PW");
        assertEquals(3, down.exitCode(), down.describe());
        assertEquals(1, down.stderr().lines().count(), down.stderr());
        assertTrue(down.stderr().startsWith("dbtool: auth login (ldap): LDAP login of alice failed: Vault at http://127.0.0.1:1/ is unreachable"),
                down.stderr());

        ProcessResult noAddress = bundle.env("VAULT_ADDR", null).run("auth", "login", "--username", "alice", "--password-env", "ALICE_PW");
        assertOneLineError(noAddress, 78, "auth login: no Vault address: set VAULT_ADDR (e.g. https://vault.example.com:8200)");
    }

    @Test
    void anExpiredCachedTokenAsksForALoginAndAShortOneIsRenewedBeforeUse() throws Exception {
        DbtoolBundle bundle = bundle();
        ProcessResult login = bundle.run("auth", "login", "--username", "alice", "--password-env", "ALICE_PW", "--mount", "short");
        assertEquals(0, login.exitCode(), login.describe());
        String token = Files.readString(tokenFile());

        ProcessResult used = bundle.run("troubleshoot", "orders", "--check", "connection");
        assertEquals(0, used.exitCode(), used.describe());
        assertEquals(1, vault.tokens().live(token).orElseThrow().renewals(), "a token with 2 minutes left is renewed");

        vault.tokens().expire(token);
        ProcessResult expired = bundle.run("troubleshoot", "orders");
        assertOneLineError(expired, 3, "credentials (vault): the Vault token in " + tokenFile()
                + " is invalid or expired (Vault answered 403); run 'dbtool auth login'");
        ProcessResult status = bundle.run("auth", "status");
        assertEquals(3, status.exitCode(), status.describe());
        assertTrue(status.stdout().contains("error: Vault denied access to auth/token/lookup-self (403"), status.stdout());
    }

    @Test
    void theNamespaceIsSentWithTheLoginAndEveryLaterRequest() throws Exception {
        String namespace = "team-" + UUID.randomUUID();
        DbtoolBundle bundle = bundle().env("VAULT_NAMESPACE", namespace);
        ProcessResult login = bundle.run("auth", "login", "--username", "alice", "--password-env", "ALICE_PW");
        assertEquals(0, login.exitCode(), login.describe());
        assertTrue(login.stdout().contains("namespace:       " + namespace), login.stdout());
        assertEquals("", login.stderr(), "the Vault driver's log line about the namespace stays off the user's stderr");
        int afterLogin = (int) vault.namespaces().stream().filter(namespace::equals).count();
        assertEquals(1, afterLogin);
        ProcessResult used = bundle.run("troubleshoot", "orders", "--check", "connection");
        assertEquals(0, used.exitCode(), used.describe());
        assertEquals("", used.stderr());
        assertTrue(vault.namespaces().stream().filter(namespace::equals).count() >= 3,
                "lookup-self and the secret read carry it too: " + vault.namespaces());
    }

    @Test
    void httpsIsVerifiedWithVaultCacertAndAnUntrustedCertificateFailsClearly(@TempDir Path other) throws Exception {
        DbtoolBundle bundle = bundle().env("VAULT_ADDR", httpsVault.address());
        ProcessResult untrusted = bundle.run("auth", "login", "--username", "alice", "--password-env", "ALICE_PW");
        assertEquals(3, untrusted.exitCode(), untrusted.describe());
        assertEquals(1, untrusted.stderr().lines().count(), untrusted.stderr());
        assertTrue(untrusted.stderr().startsWith("dbtool: auth login (ldap): LDAP login of alice failed: Vault at " + httpsVault.address()
                + "/ presented a certificate that is not trusted: set VAULT_CACERT to the PEM file of the CA that signed it ("),
                untrusted.stderr());

        ProcessResult skip = bundle.env("VAULT_SKIP_VERIFY", "true").run("auth", "login", "--username", "alice", "--password-env", "ALICE_PW");
        assertEquals(0, skip.exitCode(), "VAULT_SKIP_VERIFY is Vault's convention and is honoured: " + skip.describe());
        assertEquals(List.of("dbtool: warning: VAULT_SKIP_VERIFY is set: Vault's certificate is not verified, so credentials"
                + " go to whoever answers at VAULT_ADDR; set VAULT_CACERT instead"), skip.stderr().lines().toList());
        assertTrue(httpsVault.tokens().live(Files.readString(tokenFile())).isPresent());
        Files.delete(tokenFile());

        ProcessResult otherCa = bundle.env("VAULT_SKIP_VERIFY", null)
                .env("VAULT_CACERT", TestCertificates.create(other.resolve("ca")).caPem().toString())
                .run("auth", "login", "--username", "alice", "--password-env", "ALICE_PW");
        assertEquals(3, otherCa.exitCode(), otherCa.describe());
        assertTrue(otherCa.stderr().contains("presented a certificate that is not trusted"), otherCa.describe());

        ProcessResult trusted = bundle.env("VAULT_CACERT", certificates.caPem().toString())
                .run("auth", "login", "--username", "alice", "--password-env", "ALICE_PW");
        assertEquals(0, trusted.exitCode(), trusted.describe());
        String token = Files.readString(tokenFile());
        assertTrue(httpsVault.tokens().live(token).isPresent());
        ProcessResult status = bundle.run("auth", "status");
        assertTrue(status.stdout().contains("identity:    ldap-alice"), status.describe());
        assertEquals(0, bundle.run("auth", "logout").exitCode());
        assertTrue(httpsVault.tokens().isRevoked(token));
    }

    @Test
    void skipVerifyReachesAnHttpsVaultInAFleetRunAndWarnsOnce() throws Exception {
        DbtoolBundle bundle = bundle().env("VAULT_ADDR", httpsVault.address()).env("VAULT_TOKEN", ROOT_TOKEN);
        Files.writeString(bundle.configFile(), """
                {"targets": {
                  "orders":  {"url": "postgresql://127.0.0.1:%1$d/postgres", "tags": ["team"],
                              "auth": {"method": "vault", "secret": "secret/data/orders/db"}},
                  "orders2": {"url": "postgresql://127.0.0.1:%1$d/postgres", "tags": ["team"],
                              "auth": {"method": "vault", "secret": "secret/data/orders/db"}}}}
                """.formatted(cluster.port()));
        ProcessResult verified = bundle.run("troubleshoot", "orders", "--check", "connection");
        assertEquals(3, verified.exitCode(), "the test CA is not trusted: " + verified.describe());
        assertTrue(verified.stderr().contains("presented a certificate that is not trusted"), verified.describe());

        ProcessResult fleet = bundle.env("VAULT_SKIP_VERIFY", "true").run("troubleshoot", "--tag", "team", "--check", "connection");
        assertEquals(0, fleet.exitCode(), fleet.describe());
        assertEquals(List.of("dbtool: warning: VAULT_SKIP_VERIFY is set: Vault's certificate is not verified, so credentials"
                + " go to whoever answers at VAULT_ADDR; set VAULT_CACERT instead"), fleet.stderr().lines().toList(),
                "one warning for the whole fleet: " + fleet.describe());
        assertFalse(fleet.stdout().contains(DB_PASSWORD) || fleet.stdout().contains(ROOT_TOKEN));
    }

    @Test
    void vaultTokenFromTheEnvironmentWinsOverTheTokenFile() throws Exception {
        DbtoolBundle bundle = bundle();
        Files.writeString(tokenFile(), "hvs.Stale-" + UUID.randomUUID());
        ProcessResult stale = bundle.run("troubleshoot", "orders");
        assertOneLineError(stale, 3, "credentials (vault): the Vault token in " + tokenFile()
                + " is invalid or expired (Vault answered 403); run 'dbtool auth login'");
        ProcessResult withEnvironment = bundle.env("VAULT_TOKEN", ROOT_TOKEN).run("troubleshoot", "orders", "--check", "connection");
        assertEquals(0, withEnvironment.exitCode(), withEnvironment.describe());
        assertFalse(withEnvironment.stdout().contains(ROOT_TOKEN));
    }

    /**
     * What dbtool sees on a user's terminal of the given TERM: no Kerberos ticket, Vault and the LDAP
     * directory of this test. TERM=dumb (an Emacs shell buffer) leaves JLine unable to change the TTY's
     * settings, so the console reads the password there; any other type gets dbtool's own masked read.
     */
    private Map<String, String> terminalEnvironment(String term) {
        return Map.of("HOME", home.toString(), "XDG_CONFIG_HOME", home.resolve(".config").toString(), "JAVA_HOME",
                System.getProperty("java.home"), "LANG", "C.UTF-8", "VAULT_ADDR", vault.address(), "TERM", term,
                "KRB5CCNAME", "FILE:" + noTicket());
    }

    @ParameterizedTest
    @ValueSource(strings = {"xterm-256color", "dumb"})
    void onATerminalThePasswordIsPromptedForWithoutEcho(String term) throws Exception {
        String text;
        try (PseudoTerminal terminal = PseudoTerminal.start(bundle(), home, terminalEnvironment(term), "auth", "login", "--username", "alice")) {
            terminal.waitFor("LDAP password for alice: ", 1, Duration.ofSeconds(60));
            terminal.type(LDAP_PASSWORD + "\r");
            assertEquals(0, terminal.exitCode(Duration.ofSeconds(60)), terminal.toString());
            text = terminal.toString();
        }
        assertTrue(text.contains("vault: logged in with ldap"), text);
        assertFalse(text.contains(LDAP_PASSWORD), "the terminal echoed the password: " + text);
        assertTrue(vault.tokens().live(Files.readString(tokenFile())).isPresent());
    }

    @Test
    void ctrlCAtThePasswordPromptCancelsAtOnceWithExit130() throws Exception {
        String typed = "Half-Typed-" + UUID.randomUUID();
        String text;
        try (PseudoTerminal terminal = PseudoTerminal.start(bundle(), home, terminalEnvironment("xterm-256color"), "auth", "login", "--username", "alice")) {
            terminal.waitFor("LDAP password for alice: ", 1, Duration.ofSeconds(60));
            terminal.type(typed);
            long start = System.nanoTime();
            terminal.type("\u0003");
            // Before: Console.readPassword ignored Ctrl-C until Enter was pressed.
            assertEquals(130, terminal.exitCode(Duration.ofSeconds(10)), terminal.toString());
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(millis < 2_000, "ended " + millis + " ms after Ctrl-C");
            text = terminal.toString();
        }
        assertTrue(text.strip().endsWith("dbtool: cancelled"), text);
        assertFalse(text.contains("Half-Typed"), "the terminal echoed what was typed: " + text);
        assertFalse(Files.exists(tokenFile()), "no login happened");
    }

    @Test
    void ctrlCAtThePasswordPromptInTheShellBringsTheShellPromptBack() throws Exception {
        String typed = "Half-Typed-" + UUID.randomUUID();
        String text;
        try (PseudoTerminal terminal = PseudoTerminal.start(bundle(), home, terminalEnvironment("xterm-256color"))) {
            terminal.waitFor("dbtool> ", 1, Duration.ofSeconds(60));
            terminal.type("auth login --username alice\r");
            terminal.waitFor("LDAP password for alice: ", 1, Duration.ofSeconds(30));
            terminal.type(typed);
            long start = System.nanoTime();
            terminal.type("\u0003");
            terminal.waitFor("dbtool> ", 2, Duration.ofSeconds(10));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(millis < 2_000, "the shell's prompt came back " + millis + " ms after Ctrl-C");
            // The prompt works again after a cancel, and the login goes through.
            terminal.type("auth login --username alice\r");
            terminal.waitFor("LDAP password for alice: ", 2, Duration.ofSeconds(30));
            terminal.type(LDAP_PASSWORD + "\r");
            terminal.waitFor("vault: logged in with ldap", 1, Duration.ofSeconds(30));
            terminal.waitFor("dbtool> ", 3, Duration.ofSeconds(10));
            terminal.type("exit\r");
            assertEquals(0, terminal.exitCode(Duration.ofSeconds(30)), terminal.toString());
            text = terminal.toString();
        }
        assertEquals(1, text.split("dbtool: cancelled", -1).length - 1, text);
        assertFalse(text.contains("Half-Typed") || text.contains(LDAP_PASSWORD), "the terminal echoed a secret: " + text);
        assertTrue(vault.tokens().live(Files.readString(tokenFile())).isPresent());
        String history = Files.readString(home.resolve(".config").resolve("dbtool").resolve("history"));
        assertFalse(history.contains("Half-Typed") || history.contains(LDAP_PASSWORD), history);
    }
}
