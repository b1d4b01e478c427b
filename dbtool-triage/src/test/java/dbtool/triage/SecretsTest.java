package dbtool.triage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.Environment;
import dbtool.core.config.Config;
import dbtool.serve.store.StateStore;
import dbtool.testkit.notify.SlackWebhookServer;
import dbtool.testkit.vault.VaultTestServer;
import dbtool.triage.send.HttpSender;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A receiver's secret from Vault (KV v2, testkit's Vault API server): used, never shown, and a refusal names the path only. */
class SecretsTest {

    static final String VAULT_TOKEN = "hvs.triage-test-token";

    @TempDir
    Path home;

    @Test
    void theSlackWebhookUrlComesFromVaultAndIsNeverShown() throws Exception {
        try (SlackWebhookServer slack = new SlackWebhookServer("/services/T0/B0/vaultKeptSecret42");
             VaultTestServer vault = new VaultTestServer(VAULT_TOKEN, null);
             StateStore store = Stores.embedded(home, new Stores.TestClock())) {
            vault.putKv("secret", "dbtool/slack", Map.of("url", slack.webhookUrl()));
            Config config = Fixtures.config("""
                    {"targets": {"orders": {"url": "postgresql://db1/orders"}},
                     "triage": {"receivers": {"chat": {"type": "slack", "url": {"vault": "secret/dbtool/slack#url"}},
                                              "other": {"type": "slack", "url": {"vault": "secret/dbtool/missing#url"}}},
                                "routes": {"receiver": "chat", "routes": [{"match": {"target": "orders"}, "receiver": "chat", "continue": true},
                                                                          {"match": {"target": "orders"}, "receiver": "other"}]}}}""");
            Triage triage = new Triage(TriageConfig.of(config).orElseThrow(), config, new IncidentBook(store),
                    new Environment(Map.of("VAULT_ADDR", vault.address(), "VAULT_TOKEN", VAULT_TOKEN), home, "Linux", null),
                    new HttpSender(HttpClient.newHttpClient(), 2, Duration.ofMillis(10), Duration.ofSeconds(1)), new Stores.TestClock());
            List<String> lines = triage.observe("orders", Fixtures.incident("orders", 3), null);
            assertEquals(1, slack.accepted().size(), lines.toString());
            assertTrue(lines.contains("  slack chat: message sent"), lines.toString());
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("  slack other: failed: triage.receivers.other.url: Vault answered 404 for secret/dbtool/missing#url")),
                    lines.toString());
            String all = String.join("\n", lines);
            assertFalse(all.contains("vaultKeptSecret42"), all);
            assertFalse(all.contains(VAULT_TOKEN), all);
        }
    }
}
