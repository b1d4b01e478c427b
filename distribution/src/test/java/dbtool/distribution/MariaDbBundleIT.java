package dbtool.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dbtool.testkit.DbtoolBundle;
import dbtool.testkit.ProcessResult;
import dbtool.testkit.mariadb.LocalMariaDb;
import dbtool.testkit.mariadb.MariaDbIncident;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built bundle against a real MariaDB: plugins/mariadb (the plugin and Connector/J, which
 * requires the runtime's jdk.net) loads in its own layer and diagnoses a staged row lock chain.
 */
class MariaDbBundleIT {

    static LocalMariaDb server;
    static MariaDbIncident incident;
    static long head;

    @TempDir
    Path home;

    @BeforeAll
    static void start() throws Exception {
        server = LocalMariaDb.start(LocalMariaDb.Settings.defaults());
        server.execute("CREATE DATABASE shop",
                "CREATE USER 'monitor'@'127.0.0.1' IDENTIFIED BY 'Sup3r-Secret-Pw'",
                "GRANT PROCESS, SLAVE MONITOR ON *.* TO 'monitor'@'127.0.0.1'",
                "GRANT SELECT ON shop.* TO 'monitor'@'127.0.0.1'");
        incident = new MariaDbIncident(server, "shop");
        head = incident.rowLockChain("accounts", 2);
    }

    @AfterAll
    static void stop() {
        incident.close();
        server.close();
    }

    @Test
    void pluginsListsMariaDbWithItsSchemesAndChecks() {
        ProcessResult plugins = DbtoolBundle.locate(home).run("plugins");

        assertEquals(0, plugins.exitCode(), plugins.describe());
        assertTrue(plugins.stdout().lines().anyMatch(l -> l.startsWith("mariadb ") && l.contains(" ok ")
                && l.contains("mariadb://") && l.contains("mysql://") && l.contains("bundle")), plugins.stdout());
        ProcessResult checks = DbtoolBundle.locate(home).run("checks", "mariadb");
        assertEquals(0, checks.exitCode(), checks.describe());
        assertTrue(checks.stdout().contains("metadata-locks"), checks.stdout());
    }

    @Test
    void pluginFolderHoldsThePluginAndConnectorJWithItsLicence() throws Exception {
        Path bundle = DbtoolBundle.locate(home).home();
        try (java.util.stream.Stream<Path> files = Files.list(bundle.resolve("plugins/mariadb"))) {
            assertEquals(List.of("mariadb-java-client-3.5.11.jar", "plugin-mariadb.jar"), files.map(p -> p.getFileName().toString())
                    .map(n -> n.replaceFirst("^plugin-mariadb-.*\\.jar$", "plugin-mariadb.jar")).sorted().toList());
        }
        assertTrue(Files.readString(bundle.resolve("LICENSES/mariadb-java-client-3.5.11/LICENSE"))
                .contains("GNU LESSER GENERAL PUBLIC LICENSE"), "Connector/J's jar has no licence file: the LGPL text ships");
    }

    @Test
    void troubleshootAsJsonNamesTheHeadBlockerAndExitsCritical() {
        ProcessResult result = DbtoolBundle.locate(home).run("troubleshoot",
                "mysql://root@127.0.0.1:" + server.port() + "/shop", "--format", "json");

        assertEquals(2, result.exitCode(), result.describe());
        JsonObject report = JsonParser.parseString(result.stdout()).getAsJsonObject();
        assertEquals("mariadb", report.getAsJsonObject("target").get("engine").getAsString());
        JsonObject chain = JsonReports.finding(report, "MARIADB_BLOCKING_CHAIN");
        assertEquals(head, chain.getAsJsonObject("evidence").getAsJsonArray("headBlockers").get(0).getAsLong());
        assertEquals("docs/playbooks/mariadb-blocking-chain.md", chain.get("playbook").getAsString());
        for (JsonElement check : report.getAsJsonArray("checks")) {
            assertTrue(!check.getAsJsonObject().has("error") || check.getAsJsonObject().get("error").isJsonNull(),
                    "every check answered: " + check);
        }
        assertTrue(result.stderr().isBlank(), result.stderr());
    }

    @Test
    void configuredTargetWithPasswordFromEnvironmentNeverShowsTheSecret() throws Exception {
        DbtoolBundle bundle = DbtoolBundle.locate(home).env("SHOP_DB_PASSWORD", "Sup3r-Secret-Pw");
        Files.createDirectories(bundle.configFile().getParent());
        Files.writeString(bundle.configFile(), """
                {
                  "targets": {
                    "shop-mariadb": {
                      "url": "mariadb://127.0.0.1:%d/shop",
                      "auth": {"method": "password", "user": "monitor", "passwordEnv": "SHOP_DB_PASSWORD"}
                    }
                  }
                }
                """.formatted(server.port()));

        ProcessResult result = bundle.run("troubleshoot", "shop-mariadb", "--check", "locks");

        assertEquals(2, result.exitCode(), result.describe());
        assertTrue(result.stdout().contains("MARIADB_BLOCKING_CHAIN"), result.stdout());
        assertTrue(result.stdout().contains("session " + head + " idle in transaction"), result.stdout());
        assertTrue(result.stdout().contains("KILL " + head + ";"), result.stdout());
        assertFalse(result.stdout().contains("buffer-pool"), "only the locks category ran");
        assertFalse((result.stdout() + result.stderr()).contains("Sup3r-Secret-Pw"));
    }
}
