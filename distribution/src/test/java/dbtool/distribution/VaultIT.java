package dbtool.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.plugin.postgres.demo.LocalCluster;
import dbtool.testkit.DbtoolBundle;
import dbtool.testkit.ProcessResult;
import dbtool.testkit.vault.VaultTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Credentials from Vault, end to end through the bundle: a dynamic PostgreSQL role created by the
 * Vault test server for this run, used, and gone once dbtool exits; static credentials from KV v2;
 * Vault's failures as one-line errors; never a token or password in any output.
 */
class VaultIT {

    static final String TOKEN = "hvs.TestToken-" + UUID.randomUUID();
    static final String KV_PASSWORD = "Kv-Static-" + UUID.randomUUID();
    static LocalCluster cluster;
    static VaultTestServer vault;
    static PostgresRoles roles;

    @TempDir
    Path home;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalCluster.start(LocalCluster.Settings.defaults());
        cluster.execute("postgres", "CREATE ROLE app_static LOGIN PASSWORD '" + KV_PASSWORD + "' IN ROLE pg_monitor");
        roles = new PostgresRoles(cluster, "pg_monitor");
        vault = new VaultTestServer(TOKEN, roles);
        vault.putKv("secret", "orders/db", Map.of("username", "app_static", "password", KV_PASSWORD));
    }

    @AfterAll
    static void stop() {
        vault.close();
        cluster.close();
    }

    private DbtoolBundle bundle(String auth, String token) throws Exception {
        DbtoolBundle bundle = DbtoolBundle.locate(home).env("VAULT_ADDR", vault.address()).env("VAULT_TOKEN", token);
        Files.createDirectories(bundle.configFile().getParent());
        Files.writeString(bundle.configFile(), """
                {"targets": {"orders": {"url": "postgresql://127.0.0.1:%d/postgres", "auth": %s}}}
                """.formatted(cluster.port(), auth));
        return bundle;
    }

    private static boolean roleExists(String role) throws Exception {
        try (Connection admin = cluster.connect("postgres");
             var rs = admin.createStatement().executeQuery("SELECT count(*) FROM pg_roles WHERE rolname = '" + role + "'")) {
            rs.next();
            return rs.getInt(1) == 1;
        }
    }

    private static void assertNoSecret(ProcessResult result) {
        String all = result.stdout() + result.stderr();
        assertFalse(all.contains(TOKEN), "the Vault token leaked");
        assertFalse(all.contains(KV_PASSWORD), "the KV password leaked");
        roles.passwords.forEach(p -> assertFalse(all.contains(p), "a dynamic password leaked"));
    }

    @Test
    void dynamicCredentialsAreUsedAndTheRoleIsGoneAfterTheRun() throws Exception {
        ProcessResult result = bundle("{\"method\": \"vault\", \"secret\": \"database/creds/readonly\"}", TOKEN)
                .run("troubleshoot", "orders", "--check", "connection", "--format", "json");

        assertEquals(0, result.exitCode(), result.describe());
        String role = roles.created.getLast();
        assertTrue(result.stdout().contains("authenticated as " + role), result.stdout());
        assertFalse(roleExists(role), "the lease was revoked and the role dropped when dbtool finished");
        assertTrue(vault.leases().isEmpty());
        assertNoSecret(result);
    }

    @Test
    void staticCredentialsFromKvVersion2() throws Exception {
        ProcessResult result = bundle("{\"method\": \"vault\", \"secret\": \"secret/data/orders/db\"}", TOKEN)
                .run("troubleshoot", "orders", "--check", "connection");
        assertEquals(0, result.exitCode(), result.describe());
        assertTrue(result.stdout().contains("authenticated as app_static"), result.stdout());
        assertNoSecret(result);
    }

    @Test
    void vaultFailuresAreOneLineErrors() throws Exception {
        String wrongToken = "hvs.Wrong-" + UUID.randomUUID();
        ProcessResult denied = bundle("{\"method\": \"vault\", \"secret\": \"database/creds/readonly\"}", wrongToken)
                .run("troubleshoot", "orders");
        assertEquals(3, denied.exitCode(), denied.describe());
        assertEquals(1, denied.stderr().lines().count(), denied.stderr());
        assertTrue(denied.stderr().contains("Vault denied access to database/creds/readonly (403"), denied.stderr());
        assertFalse(denied.stderr().contains(wrongToken));

        ProcessResult missing = bundle("{\"method\": \"vault\", \"secret\": \"secret/data/orders/db\", \"passwordField\": \"pw\"}", TOKEN)
                .run("troubleshoot", "orders");
        assertEquals(78, missing.exitCode(), "a secret without the configured fields is a configuration error: " + missing.describe());
        assertTrue(missing.stderr().contains("has no 'username' and 'pw' text fields"), missing.stderr());

        int rolesBefore = roles.created.size();
        ProcessResult dynamicMissing = bundle("{\"method\": \"vault\", \"secret\": \"database/creds/readonly\", \"userField\": \"login\"}",
                TOKEN).run("troubleshoot", "orders");
        assertEquals(78, dynamicMissing.exitCode(), dynamicMissing.describe());
        assertEquals(rolesBefore + 1, roles.created.size(), "Vault created a role for the read");
        assertFalse(roleExists(roles.created.getLast()), "the lease of a secret that could not be used is revoked at once");
        assertTrue(vault.leases().isEmpty(), vault.leases().toString());

        ProcessResult noSecret = bundle("{\"method\": \"vault\"}", TOKEN).run("troubleshoot", "orders");
        assertEquals(78, noSecret.exitCode(), noSecret.describe());
        assertTrue(noSecret.stderr().contains("targets.orders.auth.secret: expected a Vault path"), noSecret.stderr());

        DbtoolBundle unreachable = bundle("{\"method\": \"vault\", \"secret\": \"database/creds/readonly\"}", TOKEN)
                .env("VAULT_ADDR", "http://127.0.0.1:1");
        ProcessResult down = unreachable.run("troubleshoot", "orders");
        assertEquals(3, down.exitCode(), down.describe());
        assertTrue(down.stderr().contains("Vault at http://127.0.0.1:1/ is unreachable: connection refused"), down.stderr());

        for (String address : List.of("vault:8200", "ftp://vault:8200", "https://", "http://admin:Addr-Pw-1@127.0.0.1:1")) {
            ProcessResult wrong = bundle("{\"method\": \"vault\", \"secret\": \"database/creds/readonly\"}", TOKEN)
                    .env("VAULT_ADDR", address).run("troubleshoot", "orders");
            assertEquals(78, wrong.exitCode(), wrong.describe());
            assertTrue(wrong.stderr().contains("VAULT_ADDR: "), wrong.stderr());
            assertFalse(wrong.stderr().contains("Addr-Pw-1"), wrong.stderr());
            ProcessResult status = bundle("{}", TOKEN).env("VAULT_ADDR", address).run("auth", "status");
            assertEquals(78, status.exitCode(), status.describe());
            assertFalse(status.stdout().contains("Addr-Pw-1") || status.stderr().contains("Addr-Pw-1"), status.describe());
        }
        assertNoSecret(denied);
        assertNoSecret(down);
    }

    @Test
    void authStatusShowsTheIdentityAndNeverTheToken() throws Exception {
        ProcessResult status = bundle("{\"method\": \"vault\", \"secret\": \"database/creds/readonly\"}", TOKEN).run("auth", "status");
        assertEquals(0, status.exitCode(), status.describe());
        assertTrue(status.stdout().contains("token from:") && status.stdout().contains("VAULT_TOKEN"), status.stdout());
        assertTrue(status.stdout().contains("ldap-alice") && status.stdout().contains("dba-readonly"), status.stdout());
        assertTrue(status.stdout().contains("2764 s, renewable"), status.stdout());
        assertNoSecret(status);

        ProcessResult denied = bundle("{}", "hvs.Nope").run("auth", "status");
        assertEquals(3, denied.exitCode(), denied.describe());
        assertTrue(denied.stdout().contains("error: Vault denied access to auth/token/lookup-self (403"), denied.stdout());
        assertFalse(denied.stdout().contains("hvs.Nope"));
    }

    @Test
    void aLeaseAlreadyRevokedIsOneLineOnStderrAndTheDiagnosisStands() throws Exception {
        vault.revokeLeasesElsewhere(true);
        ProcessResult result;
        try {
            result = bundle("{\"method\": \"vault\", \"secret\": \"database/creds/readonly\"}", TOKEN)
                    .run("troubleshoot", "orders", "--check", "connection");
        } finally {
            vault.revokeLeasesElsewhere(false);
        }
        String role = roles.created.getLast();
        cluster.execute("postgres", "DROP ROLE \"" + role + "\"");

        assertEquals(0, result.exitCode(), result.describe());
        assertTrue(result.stdout().contains("authenticated as " + role), result.stdout());
        assertEquals(List.of("dbtool: could not revoke the Vault lease of database/creds/readonly (the role stays until"
                        + " the lease expires): Vault answered 400 for sys/leases/revoke: lease not found"),
                result.stderr().lines().toList(), result.stderr());
        assertNoSecret(result);
    }

    @Test
    void skipVerifyOnPlainHttpChangesNothingButStillWarns() throws Exception {
        ProcessResult result = bundle("{\"method\": \"vault\", \"secret\": \"secret/data/orders/db\"}", TOKEN)
                .env("VAULT_SKIP_VERIFY", "true")
                .run("troubleshoot", "orders", "--check", "connection");
        assertEquals(0, result.exitCode(), result.describe());
        assertEquals(List.of("dbtool: warning: VAULT_SKIP_VERIFY is set: Vault's certificate is not verified, so credentials"
                + " go to whoever answers at VAULT_ADDR; set VAULT_CACERT instead"), result.stderr().lines().toList(), result.stderr());
        assertNoSecret(result);
    }

    @Test
    void sigtermWhileTheDatabaseHangsStillRevokesTheLease(@TempDir Path logs) throws Exception {
        // A "database" that accepts connections and never answers: the run hangs with the credentials in hand.
        try (java.net.ServerSocket hanging = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            java.util.concurrent.CountDownLatch connected = new java.util.concurrent.CountDownLatch(1);
            List<java.net.Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
            // A daemon: it ends when the socket closes with the try block.
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (true) {
                        held.add(hanging.accept());
                        connected.countDown();
                    }
                } catch (java.io.IOException closed) {
                    // the test is over
                }
            });
            DbtoolBundle bundle = bundle("{\"method\": \"vault\", \"secret\": \"database/creds/readonly\"}", TOKEN);
            Files.writeString(bundle.configFile(), """
                    {"targets": {"hangs": {"url": "postgresql://127.0.0.1:%d/postgres",
                      "auth": {"method": "vault", "secret": "database/creds/readonly"}}}}
                    """.formatted(hanging.getLocalPort()));
            int rolesBefore = roles.created.size();
            Path stderr = logs.resolve("stderr.txt");
            Process dbtool = bundle.start(stderr, "troubleshoot", "hangs", "--timeout", "120");
            try {
                // The connection attempt comes after the credentials were read (and registered for release).
                assertTrue(connected.await(60, java.util.concurrent.TimeUnit.SECONDS), "dbtool never connected: "
                        + (Files.exists(stderr) ? Files.readString(stderr) : ""));
                assertEquals(rolesBefore + 1, roles.created.size(), "Vault created the role");
                String role = roles.created.getLast();
                assertTrue(roleExists(role));
                dbtool.destroy(); // SIGTERM
                assertTrue(dbtool.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "dbtool ended on SIGTERM");
                assertFalse(roleExists(role), "the shutdown hook revoked the lease and the role is gone: " + Files.readString(stderr));
                assertTrue(vault.leases().isEmpty(), vault.leases().toString());
                String errors = Files.readString(stderr);
                roles.passwords.forEach(p -> assertFalse(errors.contains(p)));
                assertFalse(errors.contains(TOKEN));
            } finally {
                dbtool.destroyForcibly();
                for (java.net.Socket socket : held) {
                    socket.close();
                }
            }
        }
    }
}
