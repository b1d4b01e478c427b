package dbtool.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.plugin.postgres.demo.LocalCluster;
import dbtool.testkit.DbtoolBundle;
import dbtool.testkit.ProcessResult;
import dbtool.testkit.kdc.TestKdc;
import dbtool.testkit.vault.VaultTestServer;
import dbtool.testkit.vault.VaultTokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kerberos end to end through the bundle, against Apache Kerby's KDC and a PostgreSQL server that
 * accepts GSSAPI with the postgres/localhost keytab: the "kerberos" method from a FILE ticket cache
 * (the server itself says the session was GSS-authenticated and encrypted), Vault's Kerberos login
 * leading to dynamic credentials (its token revoked when the command ends), {@code dbtool auth login
 * --method kerberos} caching a token that troubleshoot, status and logout use, and each
 * missing-ticket case as one line without a stack trace.
 */
class KerberosIT {

    static final TestKdc KDC = TestKdc.shared();
    static LocalCluster cluster;
    static VaultTestServer vault;
    static PostgresRoles roles;

    @TempDir
    Path home;

    @BeforeAll
    static void start() throws Exception {
        // Vault's dynamic roles log in with passwords (their group's line comes first); everyone else with GSSAPI.
        cluster = LocalCluster.start(LocalCluster.Settings.defaults()
                .withConfig("log_connections = on")
                .withHba("host all +vault_dynamic 127.0.0.1/32 scram-sha-256",
                        "host all all 127.0.0.1/32 gss include_realm=0",
                        "host all all ::1/128 gss include_realm=0"));
        Path keytab = cluster.dataDirectory().resolve("krb5.keytab");
        Files.copy(KDC.keytab(TestKdc.POSTGRES_SERVICE), keytab, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(keytab, PosixFilePermissions.fromString("rw-------"));
        if ("root".equals(System.getProperty("user.name"))) {
            Files.setOwner(keytab, keytab.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres"));
        }
        cluster.execute("postgres",
                "ALTER SYSTEM SET krb_server_keyfile = 'FILE:" + keytab + "'",
                "SELECT pg_reload_conf()",
                "CREATE ROLE alice LOGIN IN ROLE pg_monitor",
                "CREATE ROLE vault_dynamic NOLOGIN");
        awaitSetting("krb_server_keyfile", "FILE:" + keytab);

        roles = new PostgresRoles(cluster, "pg_monitor, vault_dynamic");
        vault = new VaultTestServer("hvs.Root-" + UUID.randomUUID(), roles);
        vault.enableKerberosLogin(KDC.keytab(TestKdc.HTTP_SERVICE), TestKdc.HTTP_SERVICE + "@" + TestKdc.REALM,
                Map.of("alice@EXAMPLE.COM", List.of("default", "dba-readonly")));
    }

    @AfterAll
    static void stop() {
        if (vault != null) {
            vault.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    /** pg_reload_conf() only signals the postmaster; wait until new sessions see the setting. */
    private static void awaitSetting(String name, String value) throws Exception {
        for (int i = 0; i < 100; i++) {
            try (Connection c = cluster.connect("postgres"); var rs = c.createStatement().executeQuery("SHOW " + name)) {
                rs.next();
                if (value.equals(rs.getString(1))) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException(name + " never became " + value);
    }

    private DbtoolBundle bundle(String url, String auth, Path cache) throws Exception {
        DbtoolBundle bundle = DbtoolBundle.locate(home)
                .env("KRB5CCNAME", "FILE:" + cache)
                .env("KRB5_CONFIG", KDC.krb5Conf().toString());
        Files.createDirectories(bundle.configFile().getParent());
        Files.writeString(bundle.configFile(), """
                {"targets": {"orders": {"url": "%s", "auth": %s}}}
                """.formatted(url, auth));
        return bundle;
    }

    private static String byName() {
        // The server's principal is postgres/localhost: connecting to 127.0.0.1 would ask for postgres/127.0.0.1.
        return "postgresql://localhost:" + cluster.port() + "/postgres";
    }

    private static String serverLog() throws Exception {
        return Files.readString(cluster.dataDirectory().getParent().resolve("server.log"));
    }

    private static void assertNoSecretOrTrace(ProcessResult result) {
        String all = result.stdout() + result.stderr();
        assertFalse(all.contains(KDC.password(TestKdc.USER)), "a Kerberos password leaked");
        assertFalse(all.contains("hvs."), "a Vault token leaked");
        roles.passwords.forEach(p -> assertFalse(all.contains(p), "a dynamic password leaked"));
        assertFalse(all.contains("\tat ") || all.contains("Exception"), "a stack trace: " + all);
    }

    @Test
    void theKerberosMethodConnectsWithGssapiAuthenticatedAndEncrypted() throws Exception {
        Path cache = KDC.kinit(TestKdc.USER, home.resolve("krb5cc_alice"));
        ProcessResult result = bundle(byName(), "{\"method\": \"kerberos\"}", cache)
                .run("troubleshoot", "orders", "--check", "connection", "--format", "json");

        assertEquals(0, result.exitCode(), result.describe());
        assertTrue(result.stdout().contains("authenticated as alice"), result.stdout());
        assertTrue(result.stdout().contains("\"gss\": \"authenticated as alice@EXAMPLE.COM, encrypted\""), result.stdout());
        // The server's own account of the session (log_connections), not dbtool's.
        assertTrue(serverLog().contains("user=alice database=postgres application_name=dbtool GSS (authenticated=yes,"
                + " encrypted=yes, principal=alice@EXAMPLE.COM)"), serverLog());
        assertNoSecretOrTrace(result);
    }

    @Test
    void authStatusShowsThePrincipalTicketExpiryAndCache() throws Exception {
        Path cache = KDC.kinit(TestKdc.USER, home.resolve("krb5cc_status"));
        ProcessResult status = bundle(byName(), "{\"method\": \"kerberos\"}", cache).run("auth", "status");
        assertEquals(0, status.exitCode(), status.describe());
        assertTrue(status.stdout().contains("kerberos:"), status.stdout());
        assertTrue(status.stdout().contains("principal:") && status.stdout().contains("alice@EXAMPLE.COM"), status.stdout());
        assertTrue(status.stdout().contains(cache + " (KRB5CCNAME)"), status.stdout());
        assertTrue(status.stdout().contains("expires:"), status.stdout());
        assertNoSecretOrTrace(status);
    }

    /** The tokens the Kerberos login issued that are still live, or already revoked. */
    private static List<String> kerberosTokens(List<VaultTokens.Token> tokens) {
        return tokens.stream().filter(t -> t.path().equals("auth/kerberos/login")).map(VaultTokens.Token::id).toList();
    }

    @Test
    void vaultKerberosLoginThenDynamicCredentialsAndTheRoleIsGoneAfterwards() throws Exception {
        Path cache = KDC.kinit(TestKdc.USER, home.resolve("krb5cc_vault"));
        List<String> revokedBefore = kerberosTokens(vault.tokens().revoked());
        List<String> liveBefore = kerberosTokens(vault.tokens().live());
        ProcessResult result = bundle("postgresql://127.0.0.1:" + cluster.port() + "/postgres",
                "{\"method\": \"vault\", \"secret\": \"database/creds/readonly\"}", cache)
                .env("VAULT_ADDR", vault.addressByName())
                .run("troubleshoot", "orders", "--check", "connection");

        assertEquals(0, result.exitCode(), result.describe());
        String role = roles.created.getLast();
        assertTrue(result.stdout().contains("authenticated as " + role), result.stdout());
        try (Connection admin = cluster.connect("postgres");
             var rs = admin.createStatement().executeQuery("SELECT count(*) FROM pg_roles WHERE rolname = '" + role + "'")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "the lease was revoked and the role dropped when dbtool finished");
        }
        List<String> revoked = new ArrayList<>(kerberosTokens(vault.tokens().revoked()));
        revoked.removeAll(revokedBefore);
        assertEquals(1, revoked.size(), "the command's own Kerberos login token was revoked when it ended");
        assertEquals(Set.copyOf(liveBefore), Set.copyOf(kerberosTokens(vault.tokens().live())),
                "no orphan token left in Vault");
        assertNoSecretOrTrace(result);
    }

    @Test
    void authLoginWithKerberosCachesTheTokenForTroubleshootStatusAndLogout() throws Exception {
        Path cache = KDC.kinit(TestKdc.USER, home.resolve("krb5cc_login"));
        DbtoolBundle bundle = bundle("postgresql://127.0.0.1:" + cluster.port() + "/postgres",
                "{\"method\": \"vault\", \"secret\": \"database/creds/readonly\"}", cache)
                .env("VAULT_ADDR", vault.addressByName());
        Path tokenFile = home.resolve(".vault-token");

        ProcessResult login = bundle.run("auth", "login", "--method", "kerberos");
        assertEquals(0, login.exitCode(), login.describe());
        assertTrue(login.stdout().startsWith("vault: logged in with kerberos\n"), login.stdout());
        assertTrue(login.stdout().contains("identity:        alice@EXAMPLE.COM (kerberos, auth/kerberos)"), login.stdout());
        assertTrue(login.stdout().contains("token saved in:  " + tokenFile + " (mode 0600)"), login.stdout());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)));
        String token = Files.readString(tokenFile);
        assertTrue(vault.tokens().live(token).isPresent(), "the cached token is the one the Kerberos login issued");

        ProcessResult troubleshoot = bundle.run("troubleshoot", "orders", "--check", "connection");
        assertEquals(0, troubleshoot.exitCode(), troubleshoot.describe());
        String role = roles.created.getLast();
        assertTrue(troubleshoot.stdout().contains("authenticated as " + role), troubleshoot.stdout());
        assertTrue(vault.tokens().live(token).isPresent(), "a cached token outlives the command; only logout ends it");

        ProcessResult status = bundle.run("auth", "status");
        assertEquals(0, status.exitCode(), status.describe());
        Map<String, String> vaultFacts = section(status.stdout(), "vault:");
        assertEquals(tokenFile.toString(), vaultFacts.get("token from"), status.stdout());
        assertEquals("kerberos-alice@EXAMPLE.COM", vaultFacts.get("identity"), status.stdout());
        assertTrue(vaultFacts.getOrDefault("expires", "").startsWith("20"), status.stdout());
        Map<String, String> kerberosFacts = section(status.stdout(), "kerberos:");
        assertEquals("alice@EXAMPLE.COM", kerberosFacts.get("principal"), status.stdout());
        assertEquals(cache + " (KRB5CCNAME)", kerberosFacts.get("ticket cache"), status.stdout());
        assertTrue(kerberosFacts.getOrDefault("expires", "").startsWith("20"), status.stdout());

        ProcessResult logout = bundle.run("auth", "logout");
        assertEquals(0, logout.exitCode(), logout.describe());
        assertTrue(logout.stdout().contains("token:       revoked"), logout.stdout());
        assertTrue(vault.tokens().isRevoked(token));
        assertFalse(Files.exists(tokenFile));

        for (ProcessResult result : List.of(login, troubleshoot, status, logout)) {
            assertFalse((result.stdout() + result.stderr()).contains(token), result.describe());
            assertNoSecretOrTrace(result);
        }
    }

    /** The "key: value" lines under a heading of {@code dbtool auth status}. */
    private static Map<String, String> section(String stdout, String heading) {
        Map<String, String> facts = new LinkedHashMap<>();
        boolean inside = false;
        for (String line : stdout.lines().toList()) {
            if (!line.startsWith(" ")) {
                inside = line.equals(heading);
            } else if (inside && line.contains(":")) {
                int colon = line.indexOf(':');
                facts.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
            }
        }
        return facts;
    }

    @Test
    void noTicketIsOneLineWithTheFix() throws Exception {
        Path missing = home.resolve("krb5cc_nobody");
        ProcessResult result = bundle(byName(), "{\"method\": \"kerberos\"}", missing).run("troubleshoot", "orders");
        assertEquals(3, result.exitCode(), result.describe());
        assertEquals(List.of("dbtool: credentials (kerberos): no Kerberos ticket: " + missing + " (KRB5CCNAME) does not exist; run kinit"),
                result.stderr().lines().toList());
        assertNoSecretOrTrace(result);
    }

    @Test
    void anExpiredTicketIsOneLineSayingWhen() throws Exception {
        Path cache = KDC.expiredTicket(TestKdc.USER, home.resolve("krb5cc_expired"));
        ProcessResult result = bundle(byName(), "{\"method\": \"kerberos\"}", cache).run("troubleshoot", "orders");
        assertEquals(3, result.exitCode(), result.describe());
        assertEquals(1, result.stderr().lines().count(), result.stderr());
        assertTrue(result.stderr().startsWith("dbtool: credentials (kerberos): the Kerberos ticket of alice@EXAMPLE.COM in "
                + cache + " expired at "), result.stderr());
        assertTrue(result.stderr().strip().endsWith("; run kinit"), result.stderr());
        assertNoSecretOrTrace(result);
    }

    @Test
    void aKeyringCacheGetsTheOneLineFix() throws Exception {
        ProcessResult result = bundle(byName(), "{\"method\": \"kerberos\"}", home.resolve("unused"))
                .env("KRB5CCNAME", "KEYRING:persistent:0").run("troubleshoot", "orders");
        assertEquals(3, result.exitCode(), result.describe());
        assertEquals(List.of("dbtool: credentials (kerberos): the Kerberos ticket cache KEYRING:persistent:0 (KRB5CCNAME) is in the"
                + " kernel keyring, which Java cannot read; get a ticket in a file cache: KRB5CCNAME=FILE:/tmp/krb5cc_$(id -u) kinit"),
                result.stderr().lines().toList());
    }

    @Test
    void aClockOutOfSkewIsAnAuthenticationFindingNamingTheSkew() throws Exception {
        Path cache = KDC.kinit(TestKdc.USER, home.resolve("krb5cc_skew"));
        ProcessResult result;
        KDC.skewClock(true);
        try {
            result = bundle(byName(), "{\"method\": \"kerberos\"}", cache).run("troubleshoot", "orders", "--check", "connection");
        } finally {
            KDC.skewClock(false);
        }
        assertEquals(2, result.exitCode(), result.describe());
        assertTrue(result.stdout().contains("PG_AUTH_KERBEROS_FAILED"), result.stdout());
        assertTrue(result.stdout().contains("Clock skew too great"), result.stdout());
        assertNoSecretOrTrace(result);
    }
}
