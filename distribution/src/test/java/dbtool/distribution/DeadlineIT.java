package dbtool.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dbtool.plugin.postgres.demo.LocalCluster;
import dbtool.testkit.DbtoolBundle;
import dbtool.testkit.ProcessResult;
import dbtool.testkit.SilentServer;
import dbtool.testkit.vault.VaultTestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --timeout} holds whatever Vault does, through the bundle (issue 13, items 4 to 6): a Vault that
 * never answers, a Vault that freezes before the lease is revoked, and a deadline too short for anything.
 * Each wall time is measured around the whole process, JVM start included; the bound is the deadline
 * plus 3 s (the grace is 1 s; the rest is room for a loaded 2-core CI machine). The frozen PostgreSQL
 * server is plugin-postgres's FrozenServerTest.
 */
class DeadlineIT {

    static final String TOKEN = "hvs.DeadlineToken-" + UUID.randomUUID();
    static LocalCluster cluster;
    static VaultTestServer vault;
    static PostgresRoles roles;

    @TempDir
    Path home;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalCluster.start(LocalCluster.Settings.defaults());
        roles = new PostgresRoles(cluster, "pg_monitor");
        vault = new VaultTestServer(TOKEN, roles);
    }

    @AfterAll
    static void stop() {
        vault.close();
        cluster.close();
    }

    private DbtoolBundle bundle(String vaultAddress) throws IOException {
        DbtoolBundle bundle = DbtoolBundle.locate(home).env("VAULT_ADDR", vaultAddress).env("VAULT_TOKEN", TOKEN);
        Files.createDirectories(bundle.configFile().getParent());
        Files.writeString(bundle.configFile(), """
                {"targets": {"orders": {"url": "postgresql://127.0.0.1:%d/postgres",
                                        "auth": {"method": "vault", "secret": "database/creds/readonly"}}}}
                """.formatted(cluster.port()));
        return bundle;
    }

    /** Runs the bundle and returns its result with the wall time in milliseconds. */
    private record Timed(ProcessResult result, long millis) {
    }

    private static Timed timed(DbtoolBundle bundle, String... args) {
        long start = System.nanoTime();
        ProcessResult result = bundle.run("", Duration.ofSeconds(60), args);
        return new Timed(result, (System.nanoTime() - start) / 1_000_000);
    }

    @Test
    void aVaultThatNeverAnswersIsInsideTheDeadline() throws Exception {
        // Vault's host stopped, or a black-holing proxy.
        try (SilentServer silent = SilentServer.start()) {
            Timed run = timed(bundle(silent.httpAddress()), "troubleshoot", "orders", "--timeout", "2", "--format", "json");

            assertEquals(3, run.result().exitCode(), run.result().describe());
            assertTrue(run.millis() < 2_000 + 3_000, "--timeout 2 took " + run.millis() + " ms (before: 11 s)");
            assertEquals("dbtool: orders: credentials (vault): not obtained within the deadline of 2 s (a secret store, Kerberos"
                    + " or DNS did not answer); raise it with --timeout", run.result().stderr().strip());
            assertTrue(silent.wasAsked(), "dbtool asked the silent Vault");
            // An overrun like any other: a report whose checks were not run, UNKNOWN.
            assertEveryCheckUnknownWithoutASessionEntry(run.result());
            assertTrue(run.result().stdout().contains("not run: the deadline of 2 s was reached before a session was open"),
                    run.result().stdout());
        }
    }

    @Test
    void aVaultThatFreezesBeforeTheLeaseIsRevokedCannotHoldTheRun() throws Exception {
        vault.freeze("sys/leases/revoke");
        Timed run;
        try {
            run = timed(bundle(vault.address()), "troubleshoot", "orders", "--check", "connection", "--timeout", "3");
        } finally {
            vault.thaw();
        }
        assertEquals(0, run.result().exitCode(), run.result().describe());
        assertTrue(run.result().stdout().contains("authenticated as " + roles.created.getLast()), run.result().stdout());
        // Before: 5 s waiting for the revocation, then 3 s more in the shutdown hook.
        assertTrue(run.millis() < 3_000 + 3_000, "--timeout 3 took " + run.millis() + " ms");
        assertTrue(run.result().stderr().contains("the credentials' release (e.g. revoking a Vault lease) did not finish"),
                run.result().stderr());
        assertEquals(1, run.result().stderr().lines().count(), "one line, no second wait in the shutdown hook: "
                + run.result().stderr());
    }

    @Test
    void aDeadlineTooShortForAnythingIsUnknownWithoutAnExtraCheck() throws Exception {
        Timed run = timed(bundle(vault.address()), "troubleshoot", cluster.url("postgres"), "--timeout", "0.01", "--format", "json");

        assertEquals(3, run.result().exitCode(), "an overrun is UNKNOWN, not CRITICAL: " + run.result().describe());
        assertEveryCheckUnknownWithoutASessionEntry(run.result());
    }

    private static void assertEveryCheckUnknownWithoutASessionEntry(ProcessResult result) {
        JsonObject report = JsonParser.parseString(result.stdout()).getAsJsonObject();
        assertEquals("UNKNOWN", report.get("status").getAsString());
        JsonArray checks = report.getAsJsonArray("checks");
        assertFalse(checks.isEmpty());
        for (JsonElement element : checks) {
            JsonObject check = element.getAsJsonObject();
            assertFalse(check.get("id").getAsString().equals("session"), "no extra 'session' check: " + check);
            assertEquals("UNKNOWN", check.get("status").getAsString(), check.toString());
            assertTrue(check.getAsJsonArray("findings").isEmpty(), check.toString());
        }
    }
}
