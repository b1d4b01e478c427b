package dbtool.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.plugin.LoadedPlugin;
import dbtool.core.plugin.PluginDirectory;
import dbtool.spi.CredentialProvider;
import dbtool.spi.CredentialRequest;
import dbtool.spi.Credentials;
import dbtool.testkit.grafana.GrafanaTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pushing to Grafana, and every mistake answered with one line, its exit code and nothing half-written. */
class MonitoringCommandTest {

    static final String TOKEN = "glsa_Secret0123456789abcdef_token";

    @TempDir
    Path home;

    static void oneLine(MonitoringRun run, String expected) {
        List<String> lines = run.err().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), run.toString());
        assertTrue(lines.getFirst().contains(expected), run.toString());
        assertFalse(run.err().contains("Exception") || run.err().contains("\tat "), run.toString());
        assertFalse((run.out() + run.err()).contains(TOKEN), "the token is never printed");
    }

    @Test
    void dashboardsArePushedToGrafanaWithTheTokenFromTheEnvironment() throws Exception {
        try (GrafanaTestServer grafana = GrafanaTestServer.start(TOKEN)) {
            MonitoringRun run = MonitoringRun.run(home, Map.of(MonitoringCommand.TOKEN_VARIABLE, TOKEN), "monitoring", "dashboards",
                    "--engine", "postgresql", "--push", grafana.url().toString());
            assertEquals(0, run.exitCode(), run.toString());
            assertEquals(List.of("dbtool-overview", "dbtool-postgresql"),
                    grafana.imported().stream().map(d -> d.get("uid").getAsString()).toList());
            assertTrue(run.out().contains("imported " + grafana.url() + "/d/dbtool-postgresql/"), run.toString());
            assertFalse((run.out() + run.err()).contains(TOKEN));
            // pushing again overwrites (same uid), as Grafana's overwrite: true does
            assertEquals(0, MonitoringRun.run(home, Map.of(MonitoringCommand.TOKEN_VARIABLE, TOKEN), "monitoring", "dashboards",
                    "--engine", "postgresql", "--push", grafana.url().toString()).exitCode());
        }
    }

    /** Stands for dbtool-auth's Vault provider: the secret the configuration names, read for the target "grafana". */
    static final class VaultStandIn implements CredentialProvider {
        final List<CredentialRequest> asked = new ArrayList<>();

        @Override
        public String method() {
            return "vault";
        }

        @Override
        public Optional<Credentials> credentials(CredentialRequest request) {
            asked.add(request);
            if (!"vault".equals(request.method())) {
                return Optional.empty();
            }
            return Optional.of(Credentials.password("grafana", TOKEN.toCharArray(), "vault " + request.auth().get("secret")));
        }
    }

    @Test
    void theTokenComesFromTheVaultSecretTheConfigurationNames() throws Exception {
        Files.writeString(home.resolve("config.json"), """
                {"grafana": {"auth": {"method": "vault", "secret": "secret/data/grafana", "passwordField": "token"}}}
                """);
        VaultStandIn vault = new VaultStandIn();
        try (GrafanaTestServer grafana = GrafanaTestServer.start(TOKEN)) {
            MonitoringRun run = MonitoringRun.run(home, Map.of("DBTOOL_CONFIG", home.resolve("config.json").toString()),
                    List.of(new LoadedPlugin(new PluginDirectory("auth", home, "test", Optional.empty()), List.of("auth"), List.of(),
                            List.of(vault), List.of(), List.of(), List.of(), Optional.empty())),
                    "monitoring", "dashboards", "--engine", "snowflake", "--push", grafana.url().toString());
            assertEquals(0, run.exitCode(), run.toString());
            assertEquals(2, grafana.imported().size());
            assertEquals("secret/data/grafana", vault.asked.getFirst().auth().get("secret"));
            assertEquals("grafana", vault.asked.getFirst().target().name());
            assertFalse((run.out() + run.err()).contains(TOKEN));
        }
    }

    @Test
    void aRefusedTokenIsAConfigurationErrorInOneLineWithoutTheToken() throws Exception {
        try (GrafanaTestServer grafana = GrafanaTestServer.start("another-token")) {
            MonitoringRun run = MonitoringRun.run(home, Map.of(MonitoringCommand.TOKEN_VARIABLE, TOKEN), "monitoring", "dashboards",
                    "--push", grafana.url().toString());
            assertEquals(78, run.exitCode(), run.toString());
            oneLine(run, "401: the token was refused");
            assertEquals(List.of(), grafana.imported());
        }
    }

    @Test
    void aFailingGrafanaIsExit74InOneLineAndDashboardsWrittenToOutStayWhole() throws Exception {
        try (GrafanaTestServer grafana = GrafanaTestServer.start(TOKEN)) {
            grafana.failWith(503);
            Path out = home.resolve("grafana");
            MonitoringRun run = MonitoringRun.run(home, Map.of(MonitoringCommand.TOKEN_VARIABLE, TOKEN), "monitoring", "dashboards",
                    "--out", out.toString(), "--push", grafana.url().toString());
            assertEquals(74, run.exitCode(), run.toString());
            oneLine(run, "Grafana answered 503");
            try (var files = Files.list(out)) {
                assertEquals(5, files.filter(f -> f.toString().endsWith(".json")).count());
            }
            grafana.failWith(500);
            oneLine(MonitoringRun.run(home, Map.of(MonitoringCommand.TOKEN_VARIABLE, TOKEN), "monitoring", "dashboards",
                    "--push", grafana.url().toString()), "Grafana answered 500");
        }
    }

    @Test
    void aGrafanaThatDoesNotListenIsExit74() {
        MonitoringRun run = MonitoringRun.run(home, Map.of(MonitoringCommand.TOKEN_VARIABLE, TOKEN), "monitoring", "dashboards",
                "--push", "http://127.0.0.1:1");
        assertEquals(74, run.exitCode(), run.toString());
        oneLine(run, "no answer");
    }

    @Test
    void noTokenIsAConfigurationError() {
        MonitoringRun run = MonitoringRun.run(home, Map.of(), "monitoring", "dashboards", "--push", "http://127.0.0.1:1");
        assertEquals(78, run.exitCode(), run.toString());
        oneLine(run, MonitoringCommand.TOKEN_VARIABLE);
    }

    @Test
    void anUnknownEngineIsAUsageErrorNamingTheKnownOnes() {
        MonitoringRun run = MonitoringRun.run(home, Map.of(), "monitoring", "rules", "--engine", "oracle", "--out", home.resolve("r.yml").toString());
        assertEquals(64, run.exitCode(), run.toString());
        oneLine(run, "--engine oracle: unknown engine; expected one of postgresql, sqlserver, mongodb, snowflake");
        assertFalse(Files.exists(home.resolve("r.yml")));
        assertEquals(64, MonitoringRun.run(home, Map.of(), "monitoring", "graphs").exitCode());
        assertEquals(64, MonitoringRun.run(home, Map.of(), "monitoring", "rules").exitCode(), "--out is required");
        assertEquals(64, MonitoringRun.run(home, Map.of(), "monitoring", "dashboards", "--push", "ftp://grafana").exitCode());
    }

    @Test
    void anUnwritableOutIsExit73AndTheFileBeforeStaysAsItWas() throws Exception {
        Path rules = home.resolve("rules.yml");
        Files.writeString(rules, "# the rules before\n");
        Path blocker = home.resolve("a-file");
        Files.writeString(blocker, "not a folder");
        // the rule file could be written, its tests cannot: neither is replaced
        MonitoringRun run = MonitoringRun.run(home, Map.of(), "monitoring", "rules", "--out", rules.toString(),
                "--tests", blocker.resolve("tests.yml").toString());
        assertEquals(73, run.exitCode(), run.toString());
        oneLine(run, "cannot write");
        assertEquals("# the rules before\n", Files.readString(rules));
        try (var files = Files.list(home)) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList(), "no temporary file left");
        }
        MonitoringRun folder = MonitoringRun.run(home, Map.of(), "monitoring", "dashboards", "--out", blocker.toString());
        assertEquals(73, folder.exitCode(), folder.toString());
        oneLine(folder, "a-file");
        MonitoringRun isFolder = MonitoringRun.run(home, Map.of(), "monitoring", "rules", "--out", home.toString());
        assertEquals(73, isFolder.exitCode(), isFolder.toString());
        oneLine(isFolder, "is a folder, expected a file");
    }
}
