package dbtool.auth.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.spi.ConfigurationException;
import dbtool.spi.CredentialRequest;
import dbtool.spi.Target;
import dbtool.testkit.SilentServer;
import dbtool.testkit.vault.VaultTestServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The vault credential method against the Vault test server, whose database backend records the roles it holds. */
class VaultCredentialProviderTest {

    static final Set<String> ROLES = ConcurrentHashMap.newKeySet();
    static VaultTestServer vault;

    @TempDir
    Path home;

    @BeforeAll
    static void start() throws Exception {
        vault = new VaultTestServer("hvs.root", new VaultTestServer.DatabaseBackend() {
            @Override
            public String[] create(String vaultRole) {
                String user = "v-" + vaultRole + "-" + ROLES.size();
                ROLES.add(user);
                return new String[] {user, "Role-Password-1"};
            }

            @Override
            public void drop(String user) {
                ROLES.remove(user);
            }
        });
    }

    @AfterAll
    static void stop() {
        vault.close();
    }

    @Test
    void aSecretWithoutTheConfiguredFieldsIsAConfigurationErrorAndItsLeaseIsRevoked() {
        Map<String, String> env = Map.of("VAULT_ADDR", vault.address(), "VAULT_TOKEN", "hvs.root");
        VaultCredentialProvider provider = new VaultCredentialProvider(env::get, home);
        CredentialRequest request = new CredentialRequest(new Target("orders", URI.create("postgresql://db/orders"), "postgresql",
                "db", 5432, "orders", List.of(), Map.of()),
                Map.of("method", "vault", "secret", "database/creds/ro", "userField", "login"), false);
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> provider.credentials(request));
        assertEquals("Vault secret database/creds/ro has no 'login' and 'password' text fields; set"
                + " targets.orders.auth.userField and .passwordField", e.getMessage());
        assertTrue(vault.leases().isEmpty(), "the lease the read created is revoked: " + vault.leases());
        assertTrue(ROLES.isEmpty(), "the role is dropped: " + ROLES);
    }

    @Test
    void aVaultThatNeverAnswersIsGivenUpOnAtTheRunsDeadlineNotAfterTheDefaultTenSeconds() throws Exception {
        try (SilentServer silent = SilentServer.start()) {
            Map<String, String> env = Map.of("VAULT_ADDR", silent.httpAddress(), "VAULT_TOKEN", "hvs.root");
            VaultCredentialProvider provider = new VaultCredentialProvider(env::get, home);
            long start = System.nanoTime();
            CredentialRequest request = new CredentialRequest(new Target("orders", URI.create("postgresql://db/orders"), "postgresql",
                    "db", 5432, "orders", List.of(), Map.of()), Map.of("method", "vault", "secret", "database/creds/ro"), false);

            Exception e = assertThrows(Exception.class, () -> provider.credentials(request, Instant.now().plusSeconds(2)));
            long millis = (System.nanoTime() - start) / 1_000_000;

            // 2 s left: the read waits 2 s (the driver counts whole seconds), not the default 10 s whatever --timeout said.
            assertTrue(millis < 2_000 + 1_000, "gave up after " + millis + " ms");
            assertTrue(e.getMessage().matches("Vault at http://127.0.0.1:[0-9]+/ did not answer database/creds/ro within 2 s"), e.getMessage());
            assertTrue(silent.wasAsked(), "the provider asked the silent Vault");
        }
    }
}
