package dbtool.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dbtool.testkit.DbtoolBundle;
import dbtool.testkit.ProcessResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugin folders from DBTOOL_PLUGIN_PATH, built here as a third party would build them: broken
 * ones are listed with their reason and skipped, the bundled engines keep working, and a working
 * plugin compiled only against dbtool-core loads in its own layer.
 */
class ThirdPartyPluginsIT {

    @TempDir
    static Path work;

    static Path extra;

    @TempDir
    Path home;

    /** A working engine without checks: a troubleshoot of it has nothing to run. */
    static final String NO_CHECKS = """
                public String id() { return "nochecks"; }
                public String displayName() { return "No Checks"; }
                public Set<String> schemes() { return Set.of("nochecks"); }
                public int defaultPort() { return 7777; }
                public List<Check> checks() { return List.of(); }
                public EngineSession open(Target target, Credentials credentials, SessionSettings settings) {
                    return () -> { };
                }
            """;

    @BeforeAll
    static void buildPlugins() throws Exception {
        extra = Files.createDirectories(work.resolve("extra plugins"));

        // Not a jar at all.
        Files.writeString(Files.createDirectories(extra.resolve("garbage")).resolve("garbage.jar"), "not a jar");

        // A module that requires a library its folder does not hold.
        Path gone = PluginJars.modularJar(work, "test.gone", Map.of("module-info.java", "module test.gone { exports gone; }\n",
                "gone/Gone.java", "package gone; public final class Gone { }\n"), List.of(), work.resolve("unused/gone.jar"));
        PluginJars.modularJar(work, "test.missing", PluginJars.engineSources("test.missing", " requires test.gone;\n",
                NO_CHECKS.replace("\"nochecks\"", "\"missing\"")), List.of(gone), extra.resolve("missing-library/missing.jar"));

        // A provider whose constructor throws.
        PluginJars.modularJar(work, "test.throwing", PluginJars.engineSources("test.throwing", "",
                "public Engine() { throw new IllegalStateException(\"licence file not found\"); }\n"
                        + NO_CHECKS.replace("\"nochecks\"", "\"throwing\"")), List.of(), extra.resolve("throwing/throwing.jar"));

        // A working plugin.
        PluginJars.modularJar(work, "test.nochecks", PluginJars.engineSources("test.nochecks", "", NO_CHECKS), List.of(),
                extra.resolve("nochecks/nochecks.jar"));
    }

    private DbtoolBundle bundle() {
        return DbtoolBundle.locate(home).env("DBTOOL_PLUGIN_PATH", extra.toString());
    }

    private static String line(ProcessResult result, String plugin) {
        return result.stdout().lines().filter(l -> l.startsWith(plugin + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no line for " + plugin + ":\n" + result.stdout()));
    }

    @Test
    void brokenPluginsAreListedWithTheirReasonAndTheRestLoad() {
        ProcessResult plugins = bundle().run("plugins");
        assertEquals(0, plugins.exitCode(), plugins.describe());
        for (String engine : List.of("postgresql", "sqlserver", "mongodb", "snowflake")) {
            assertTrue(line(plugins, engine).contains(" ok "), line(plugins, engine));
        }
        assertTrue(line(plugins, "nochecks").contains(" ok ") && line(plugins, "nochecks").contains("nochecks (nochecks://; 0 checks)"),
                line(plugins, "nochecks"));
        for (String broken : List.of("garbage", "missing-library", "throwing")) {
            assertTrue(line(plugins, broken).contains("FAILED") && line(plugins, broken).contains("DBTOOL_PLUGIN_PATH"), line(plugins, broken));
            assertTrue(plugins.stdout().contains("plugin " + broken + " (" + extra.resolve(broken) + ") failed to load: "), plugins.stdout());
        }
        assertTrue(reason(plugins, "missing-library").contains("test.gone"), "names the missing module: " + reason(plugins, "missing-library"));
        assertTrue(reason(plugins, "throwing").contains("licence file not found"), reason(plugins, "throwing"));
        assertFalse(plugins.stdout().contains("\tat ") || plugins.stderr().contains("at dbtool."), "no stack trace: " + plugins.describe());
    }

    private static String reason(ProcessResult result, String plugin) {
        return result.stdout().lines().filter(l -> l.startsWith("plugin " + plugin + " ")).findFirst().orElseThrow();
    }

    @Test
    void aBundledEngineStillWorksBesideBrokenPlugins() {
        ProcessResult result = bundle().run("troubleshoot", "sqlserver://127.0.0.1:1/orders", "--check", "connection");
        assertEquals(2, result.exitCode(), result.describe());
        assertTrue(result.stdout().contains("MSSQL_CONNECTION_REFUSED"), result.stdout());
        assertTrue(result.stderr().isEmpty(), "the broken plugins say nothing during a troubleshoot: " + result.stderr());
    }

    @Test
    void anEngineWithoutChecksReportsUnknownAndSaysWhy() {
        ProcessResult result = bundle().run("troubleshoot", "nochecks://db1:1433/x");
        assertEquals(3, result.exitCode(), result.describe());
        assertTrue(result.stdout().startsWith("dbtool troubleshoot nochecks://db1:1433/x (nochecks, db1:1433/x)"), result.stdout());
        assertTrue(result.stdout().contains("UNKNOWN  0 checks"), result.stdout());
        assertTrue(result.stdout().contains("No checks ran: the nochecks plugin has no checks for this selection yet"), result.stdout());
        assertTrue(result.stderr().isEmpty(), result.stderr());
    }

    @Test
    void jsonOfAnEngineWithoutChecks() {
        ProcessResult result = bundle().run("troubleshoot", "nochecks://db1/x", "--format", "json");
        assertEquals(3, result.exitCode(), result.describe());
        JsonObject json = JsonParser.parseString(result.stdout()).getAsJsonObject();
        assertEquals("UNKNOWN", json.get("status").getAsString());
        assertEquals(0, json.getAsJsonArray("checks").size());
        assertEquals("nochecks", json.getAsJsonObject("target").get("engine").getAsString());
        assertEquals(7777, json.getAsJsonObject("target").get("port").getAsInt(), "the plugin's default port");
    }

    @Test
    void outputGoesToTheFileAndStdoutStaysEmpty() throws Exception {
        Path report = home.resolve("reports").resolve("nochecks.json");
        Files.createDirectories(report.getParent());
        ProcessResult result = bundle().run("troubleshoot", "nochecks://db1/x", "--format", "json", "--output", report.toString());
        assertEquals(3, result.exitCode(), result.describe());
        assertEquals("", result.stdout());
        assertEquals("dbtool: report written to " + report + " (exit code 3)", result.stderr().strip());
        assertEquals("UNKNOWN", JsonParser.parseString(Files.readString(report)).getAsJsonObject().get("status").getAsString());
    }
}
