package dbtool.core.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.Environment;
import dbtool.core.cli.CommandContext;
import dbtool.core.cli.CommandLineInterface;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What Tab offers in the dbtool> shell. */
class ShellCompleterTest {

    @TempDir
    Path home;

    Path configFile;
    Path plugins;

    @BeforeEach
    void setUp() throws Exception {
        configFile = home.resolve(".config/dbtool/config.json");
        Files.createDirectories(configFile.getParent());
        plugins = Files.createDirectories(home.resolve("plugins"));
    }

    private ShellCompleter completer() {
        Environment environment = new Environment(Map.of("XDG_CONFIG_HOME", home.resolve(".config").toString(),
                "DBTOOL_PLUGIN_PATH", plugins.toString()), home, "Linux", null);
        return new ShellCompleter(CommandLineInterface.standard(), new CommandContext(environment, System.out, System.err, false));
    }

    /** A plugin folder whose jar only declares its engine in the manifest: completion must not need more. */
    private void declarePlugin(String engine, String schemes) throws Exception {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Dbtool-Engine", engine);
        manifest.getMainAttributes().putValue("Dbtool-Schemes", schemes);
        Path dir = Files.createDirectories(plugins.resolve(engine));
        try (OutputStream out = Files.newOutputStream(dir.resolve(engine + ".jar"));
             JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.flush();
        }
    }

    @Test
    void theFirstWordIsACommandOrExit() {
        List<String> candidates = completer().candidates(List.of("tr"), 0);
        assertEquals(List.of("troubleshoot", "checks", "plugins", "targets", "demo", "auth", "grants", "explain", "help", "version", "exit"), candidates);
    }

    @Test
    void explainCompletesFindingCodes() {
        List<String> codes = completer().candidates(List.of("explain", ""), 1);
        assertTrue(codes.containsAll(List.of("PG_BLOCKING_CHAIN", "MSSQL_BLOCKING", "MONGO_LOCK_WAITS", "SF_SPILLING_REMOTE",
                "MARIADB_BLOCKING_CHAIN", "PG_LOG_DEADLOCKS", "SESSION_FAILED")), codes.toString());
    }

    @Test
    void helpCompletesCommandNamesAndAnUnknownCommandNothing() {
        assertTrue(completer().candidates(List.of("help", ""), 1).containsAll(List.of("troubleshoot", "checks", "version")));
        assertEquals(List.of(), completer().candidates(List.of("frobnicate", ""), 1));
    }

    @Test
    void aDashOffersTheCommandsLongFlags() {
        assertEquals(List.of("--no-color", "--directory", "--package", "--port", "--help"), completer().candidates(List.of("plugins", "-"), 1));
        List<String> flags = completer().candidates(List.of("troubleshoot", "orders", "--"), 2);
        assertTrue(flags.containsAll(List.of("--check", "--format", "--timeout", "--output", "--no-color", "--help")), flags.toString());
        assertTrue(flags.stream().allMatch(f -> f.startsWith("--")), flags.toString());
    }

    @Test
    void theFormatFlagLongOrShortOffersTextAndJson() {
        assertEquals(List.of("text", "json"), completer().candidates(List.of("troubleshoot", "orders", "--format", "j"), 3));
        assertEquals(List.of("text", "json"), completer().candidates(List.of("troubleshoot", "orders", "-f", ""), 3));
    }

    @Test
    void authOffersItsActionsThenItsFlags() {
        assertEquals(List.of("status", "login", "logout"), completer().candidates(List.of("auth", ""), 1));
        assertEquals(List.of(), completer().candidates(List.of("auth", "login", ""), 2), "nothing positional after the action");
        assertTrue(completer().candidates(List.of("auth", "login", "--"), 2).containsAll(List.of("--method", "--username")));
    }

    @Test
    void troubleshootOffersTheConfiguredTargets() throws Exception {
        Files.writeString(configFile, "{\"targets\": {\"orders\": {\"url\": \"postgresql://db1/orders\"}, \"billing\": {\"url\": \"postgresql://db2/b\"}}}");
        assertEquals(List.of("orders", "billing"), completer().candidates(List.of("troubleshoot", ""), 1));
    }

    @Test
    void checksOffersTheEngineIdsOfInstalledPlugins() throws Exception {
        declarePlugin("postgresql", "postgresql,postgres");
        declarePlugin("mongodb", "mongodb,mongodb+srv");
        assertEquals(List.of("mongodb", "postgresql"), completer().candidates(List.of("checks", ""), 1));
        assertEquals(List.of("mongodb", "postgresql"), completer().candidates(List.of("grants", ""), 1));
    }

    @Test
    void aBrokenConfigurationCompletesNothingInsteadOfBreakingThePrompt() throws Exception {
        Files.writeString(configFile, "{\"targets\": ");
        assertEquals(List.of(), completer().candidates(List.of("troubleshoot", ""), 1));
        assertEquals(List.of(), completer().candidates(List.of("troubleshoot", "orders", "--check", ""), 3));
    }
}
