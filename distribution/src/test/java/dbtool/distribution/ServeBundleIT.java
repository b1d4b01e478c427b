package dbtool.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.plugin.postgres.demo.LocalCluster;
import dbtool.testkit.DbtoolBundle;
import dbtool.testkit.vault.VaultTestServer;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 'dbtool serve' from the bundle, as systemd runs it: the metrics modules work from the runtime
 * image, Vault database credentials are read for each run and their lease revoked after it, SIGHUP
 * rereads the configuration, and SIGTERM drains and exits 0 with no role left behind and no secret
 * in its output.
 */
class ServeBundleIT {

    private static final String TOKEN = "s.serve-" + Long.toHexString(System.nanoTime());

    @TempDir
    Path home;

    @Test
    void servesMetricsWithVaultLeasesPerRunReloadsOnSighupAndDrainsOnSigterm() throws Exception {
        try (LocalCluster cluster = LocalCluster.start(LocalCluster.Settings.defaults())) {
            PostgresRoles roles = new PostgresRoles(cluster, "pg_monitor");
            try (VaultTestServer vault = new VaultTestServer(TOKEN, roles)) {
                DbtoolBundle bundle = DbtoolBundle.locate(home).env("VAULT_ADDR", vault.address()).env("VAULT_TOKEN", TOKEN);
                Files.createDirectories(bundle.configFile().getParent());
                Files.writeString(bundle.configFile(), """
                        {"targets": {"orders": {"url": "postgresql://127.0.0.1:%d/postgres",
                          "auth": {"method": "vault", "secret": "database/creds/readonly"}}}}
                        """.formatted(cluster.port()));
                int port = freePort();
                Path stderr = home.resolve("stderr.txt");
                Process serve = bundle.start(stderr, "serve", "--listen", "127.0.0.1:" + port, "--interval", "1s");
                try {
                    await(stderr, "a second run, with its own credentials", () -> roles.created.size() >= 2);
                    String metrics = get(port, "/metrics");
                    assertTrue(metrics.contains("dbtool_target_up{engine=\"postgresql\",target=\"orders\"} 1.0"), metrics);

                    // SIGHUP with a second target: it is served from then on.
                    Files.writeString(bundle.configFile(), """
                            {"targets": {"orders": {"url": "postgresql://127.0.0.1:%1$d/postgres",
                              "auth": {"method": "vault", "secret": "database/creds/readonly"}},
                             "billing": {"url": "postgresql://127.0.0.1:%1$d/postgres",
                              "auth": {"method": "vault", "secret": "database/creds/readonly"}}}}
                            """.formatted(cluster.port()));
                    assertEquals(0, new ProcessBuilder("kill", "-HUP", String.valueOf(serve.pid())).start().waitFor());
                    await(stderr, "billing served after SIGHUP", () -> get(port, "/metrics").contains("target=\"billing\""));

                    serve.destroy(); // SIGTERM
                    assertTrue(serve.waitFor(30, TimeUnit.SECONDS), "dbtool serve ended on SIGTERM");
                    assertEquals(0, serve.exitValue(), Files.readString(stderr));
                } finally {
                    serve.destroyForcibly();
                }
                String errors = Files.readString(stderr);
                assertTrue(errors.contains("dbtool serve: configuration reloaded") && errors.contains("dbtool serve: stopped"), errors);
                assertTrue(vault.leases().isEmpty(), "every lease revoked: " + vault.leases());
                for (String role : roles.created) {
                    assertFalse(roleExists(cluster, role), role + " outlived dbtool serve");
                }
                assertFalse(errors.contains(TOKEN), "the Vault token leaked");
                roles.passwords.forEach(password -> assertFalse(errors.contains(password), "a dynamic password leaked"));
            }
        }
    }

    @Test
    void sigtermDuringARunThatHangsStillRevokesItsLeaseAndExitsWithinTheDrain() throws Exception {
        // A "database" that accepts connections and never answers: the run hangs with the credentials in hand.
        try (LocalCluster cluster = LocalCluster.start(LocalCluster.Settings.defaults());
             ServerSocket hanging = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CountDownLatch connected = new CountDownLatch(1);
            List<Socket> held = new CopyOnWriteArrayList<>();
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (true) {
                        held.add(hanging.accept());
                        connected.countDown();
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            PostgresRoles roles = new PostgresRoles(cluster, "pg_monitor");
            try (VaultTestServer vault = new VaultTestServer(TOKEN, roles)) {
                DbtoolBundle bundle = DbtoolBundle.locate(home).env("VAULT_ADDR", vault.address()).env("VAULT_TOKEN", TOKEN);
                Files.createDirectories(bundle.configFile().getParent());
                Files.writeString(bundle.configFile(), """
                        {"targets": {"hangs": {"url": "postgresql://127.0.0.1:%d/postgres",
                          "auth": {"method": "vault", "secret": "database/creds/readonly"}}}}
                        """.formatted(hanging.getLocalPort()));
                Path stderr = home.resolve("stderr-hangs.txt");
                Process serve = bundle.start(stderr, "serve", "--listen", "127.0.0.1:" + freePort(), "--interval", "60s", "--timeout", "50");
                try {
                    // The connection attempt comes after the credentials were read (and registered for release).
                    assertTrue(connected.await(60, TimeUnit.SECONDS), "serve never connected: " + Files.readString(stderr));
                    assertEquals(1, roles.created.size(), "Vault created the run's role");
                    String role = roles.created.getFirst();
                    assertTrue(roleExists(cluster, role));
                    serve.destroy(); // SIGTERM while the run waits on the database
                    assertTrue(serve.waitFor(30, TimeUnit.SECONDS), "the drain is bounded (8 s), whatever the run's deadline");
                    assertEquals(0, serve.exitValue(), Files.readString(stderr));
                    String errors = Files.readString(stderr);
                    assertTrue(errors.contains("waiting up to 8 s for 1 run(s) in progress"), "SIGTERM came during the run: " + errors);
                    assertFalse(roleExists(cluster, role), "the lease was revoked at shutdown and the role is gone: " + errors);
                    assertTrue(vault.leases().isEmpty(), vault.leases().toString());
                    assertFalse(errors.contains(TOKEN), "the Vault token leaked");
                    roles.passwords.forEach(password -> assertFalse(errors.contains(password), "a dynamic password leaked"));
                } finally {
                    serve.destroyForcibly();
                    for (Socket socket : held) {
                        socket.close();
                    }
                }
            }
        }
    }

    private static void await(Path stderr, String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!tryCall(condition)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within 60 s\n" + (Files.exists(stderr) ? Files.readString(stderr) : ""));
            }
            Thread.sleep(200);
        }
    }

    private static boolean tryCall(Callable<Boolean> condition) {
        try {
            return condition.call();
        } catch (Exception notYet) {
            return false; // not listening yet
        }
    }

    private static String get(int port, String path) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
        try {
            return new String(connection.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            connection.disconnect();
        }
    }

    private static boolean roleExists(LocalCluster cluster, String role) throws Exception {
        try (Connection admin = cluster.connect("postgres");
             ResultSet rows = admin.createStatement().executeQuery("SELECT count(*) FROM pg_roles WHERE rolname = '" + role + "'")) {
            rows.next();
            return rows.getInt(1) == 1;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
