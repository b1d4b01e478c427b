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
 * plugin compiled only against dbtool-core loads in its own layer, and so does one built on the
 * plugin toolkit, which it carries in its folder as the bundled engines do.
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

    /**
     * A third-party engine on the toolkit: its session is the toolkit's JDBC session, its connection
     * check times DNS and TCP with the toolkit's stages, its locks check reads the toolkit's blocking
     * forest. No server answers here, so the check says where it failed.
     */
    static final Map<String, String> TOOLKIT_ENGINE = Map.of(
            "module-info.java", """
                    module test.toolkit {
                        requires dbtool.toolkit;
                        provides dbtool.spi.EnginePlugin with plugin.toolkit.ToolkitEngine;
                    }
                    """,
            "plugin/toolkit/ToolkitEngine.java", """
                    package plugin.toolkit;

                    import dbtool.spi.*;
                    import dbtool.toolkit.BlockingForest;
                    import dbtool.toolkit.Stages;
                    import dbtool.toolkit.Values;
                    import dbtool.toolkit.jdbc.JdbcSession;
                    import java.io.IOException;
                    import java.sql.Connection;
                    import java.sql.SQLException;
                    import java.util.ArrayList;
                    import java.util.List;
                    import java.util.Map;
                    import java.util.Set;

                    public final class ToolkitEngine implements EnginePlugin {
                        public String id() { return "toolkitdb"; }
                        public String displayName() { return "Toolkit DB"; }
                        public Set<String> schemes() { return Set.of("toolkitdb"); }
                        public int defaultPort() { return 5999; }
                        public List<Check> checks() { return List.of(new ConnectionCheck(), new BlockingCheck()); }
                        public EngineSession open(Target target, Credentials credentials, SessionSettings settings) {
                            return new Session(target, settings);
                        }

                        static final class Session extends JdbcSession {
                            final Target target;
                            Session(Target target, SessionSettings settings) { super(settings); this.target = target; }
                            protected Connection connect() throws SQLException { throw new SQLException("no driver in this test", "08001"); }
                            protected void forgetSecrets() { }
                            protected String driverName() { return "Toolkit DB"; }
                        }

                        static final class ConnectionCheck extends AbstractCheck<Session> {
                            ConnectionCheck() { super(Session.class, "connection", Category.CONNECTIVITY, "DNS and TCP, timed"); }
                            protected CheckResult check(Session session, CheckContext context) {
                                Stages stages = session.stages();
                                try {
                                    stages.connect(stages.resolve(session.target.host()), session.target.portOr(5999), 2000);
                                } catch (IOException e) {
                                    session.markUnreachable("TCP connect failed: " + e.getMessage());
                                    return CheckResult.builder().add(Finding.of("TOOLKITDB_UNREACHABLE", Severity.CRITICAL,
                                            "Cannot reach " + session.target.host()).evidence("stages", stages.list()).build()).build();
                                }
                                return CheckResult.healthy();
                            }
                        }

                        static final class BlockingCheck extends AbstractCheck<Session> {
                            BlockingCheck() { super(Session.class, "blocking", Category.LOCKS, "who blocks whom"); }
                            protected CheckResult check(Session session, CheckContext context) throws SQLException {
                                List<Map.Entry<Long, Long>> edges = new ArrayList<>();
                                for (Map<String, Object> row : session.query("SELECT waiter, blocker FROM lock_waits", context)) {
                                    edges.add(BlockingForest.edge(Values.longValue(row, "waiter"), Values.longValue(row, "blocker")));
                                }
                                return CheckResult.builder().metric("head_blockers", BlockingForest.of(edges).headBlockers().size()).build();
                            }
                        }
                    }
                    """);

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

        // A plugin whose manifest declares its engine, and which cannot load (its library is missing).
        PluginJars.modularJar(work, "test.declared", PluginJars.engineSources("test.declared", " requires test.gone;\n",
                        NO_CHECKS.replace("\"nochecks\"", "\"declared\"")), List.of(gone), extra.resolve("declared/declared.jar"),
                Map.of("Dbtool-Engine", "declared", "Dbtool-Schemes", "declared"));

        // Modern drivers require JDK modules (MariaDB Connector/J 3: 'requires transitive jdk.net'):
        // one the runtime carries loads, one it does not is named with what to do.
        PluginJars.modularJar(work, "test.jdknet", PluginJars.engineSources("test.jdknet", " requires jdk.net;\n",
                NO_CHECKS.replace("\"nochecks\"", "\"jdknet\"").replace("return 7777;",
                        "return jdk.net.ExtendedSocketOptions.TCP_KEEPIDLE.name().isEmpty() ? 0 : 7777;")),
                List.of(), extra.resolve("jdknet/jdknet.jar"));
        // java.compiler: a JDK module no bundled part needs (java.desktop is in the image since triage's mail library requires it)
        PluginJars.modularJar(work, "test.compiler", PluginJars.engineSources("test.compiler", " requires java.compiler;\n",
                NO_CHECKS.replace("\"nochecks\"", "\"compiler\"")), List.of(), extra.resolve("compiler/compiler.jar"));

        // The SPI compatibility fixture: a plugin written against SPI 1, compiled against this build.
        PluginJars.modularJar(work, "compat.plugin", PluginJars.sourcesOf(Path.of("src/test/resources/spi-compat/1")), List.of(),
                extra.resolve("compat/compat.jar"));

        // A working plugin.
        PluginJars.modularJar(work, "test.nochecks", PluginJars.engineSources("test.nochecks", "", NO_CHECKS), List.of(),
                extra.resolve("nochecks/nochecks.jar"));

        // A working plugin on the toolkit, which ships in its folder as in the bundled engines' folders.
        Path toolkit = toolkitJar();
        PluginJars.modularJar(work, "test.toolkit", TOOLKIT_ENGINE, List.of(toolkit), extra.resolve("toolkitdb/toolkitdb.jar"));
        Files.copy(toolkit, extra.resolve("toolkitdb").resolve(toolkit.getFileName()));
    }

    /** The toolkit jar the bundle ships beside each bundled engine. */
    private static Path toolkitJar() throws Exception {
        try (var jars = Files.list(DbtoolBundle.locate(work).home().resolve("plugins/postgresql"))) {
            return jars.filter(jar -> jar.getFileName().toString().startsWith("dbtool-toolkit-")).findFirst()
                    .orElseThrow(() -> new AssertionError("no dbtool-toolkit jar in plugins/postgresql"));
        }
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

    @Test
    void aPluginThatRequiresJdkNetLoadsAndOneNeedingAMissingJdkModuleSaysWhatToDo() {
        ProcessResult plugins = bundle().run("plugins");
        assertEquals(0, plugins.exitCode(), plugins.describe());
        assertTrue(line(plugins, "jdknet").contains(" ok ") && line(plugins, "jdknet").contains("jdknet (jdknet://; 0 checks)"),
                plugins.stdout());
        assertTrue(reason(plugins, "compiler").contains("module test.compiler requires JDK module java.compiler, which this dbtool runtime does not include")
                && reason(plugins, "compiler").contains("bundle.jdk.extra.modules"), reason(plugins, "compiler"));

        ProcessResult run = bundle().run("troubleshoot", "jdknet://db1/x", "--format", "json");
        assertEquals(3, run.exitCode(), run.describe());
        assertEquals(7777, JsonParser.parseString(run.stdout()).getAsJsonObject().getAsJsonObject("target").get("port").getAsInt(),
                "the plugin used jdk.net at run time");
    }

    @Test
    void anEngineWhosePluginFailedIsNamedByEveryCommandThatNeedsIt() {
        String expected = "'declared' is provided by plugin declared (" + extra.resolve("declared")
                + "), which failed to load: ";
        ProcessResult checks = bundle().run("checks", "declared");
        assertEquals(78, checks.exitCode(), checks.describe());
        assertTrue(checks.stderr().contains(expected) && checks.stderr().contains("test.gone")
                && checks.stderr().contains("'dbtool plugins' lists every plugin and why"), checks.stderr());
        assertEquals(1, checks.stderr().strip().lines().count(), "one line: " + checks.stderr());

        ProcessResult troubleshoot = bundle().run("troubleshoot", "declared://u:S3cret@db1/x");
        assertEquals(78, troubleshoot.exitCode(), troubleshoot.describe());
        assertTrue(troubleshoot.stderr().contains("'declared://' is provided by plugin declared (" + extra.resolve("declared")
                + "), which failed to load: "), troubleshoot.stderr());
        assertFalse(troubleshoot.stderr().contains("S3cret") || troubleshoot.stdout().contains("S3cret"), troubleshoot.describe());

        ProcessResult unknown = bundle().run("checks", "nosuchengine");
        assertEquals(64, unknown.exitCode(), unknown.describe());
        assertTrue(unknown.stderr().contains("plugins that failed to load: ") && unknown.stderr().contains("garbage")
                && unknown.stderr().contains("throwing"), "the undeclared broken plugins might have been the one: " + unknown.stderr());
    }

    @Test
    void aPluginWrittenForSpiOneCompilesAndRunsOnThisBuild() {
        ProcessResult checks = bundle().run("checks", "compat");
        assertEquals(0, checks.exitCode(), checks.describe());
        assertTrue(checks.stdout().contains("compat-connection") && checks.stdout().contains("compat-threshold"), checks.stdout());

        ProcessResult run = bundle().run("troubleshoot", "compat://db1/x", "--format", "json");
        assertEquals(0, run.exitCode(), run.describe());
        JsonObject json = JsonParser.parseString(run.stdout()).getAsJsonObject();
        assertEquals("OK", json.get("status").getAsString(), run.stdout());
        assertTrue(run.stdout().contains("compat://db1/x compat db1:7001/x") && run.stdout().contains("COMPAT_CONNECTED"), run.stdout());

        // Its demo lowers compat_limit, a threshold read the 1.x way (CheckContext.number).
        ProcessResult demo = bundle().run("demo", "--engine", "compat", "--format", "json");
        assertEquals(0, demo.exitCode(), demo.describe());
        assertTrue(demo.stdout().contains("COMPAT_LOW_LIMIT"), demo.describe());

        ProcessResult config = bundle().run("troubleshoot", "compat://db1/config");
        assertEquals(78, config.exitCode(), config.describe());
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
    void anEngineOnTheToolkitLoadsWithTheToolkitInItsFolderAndTimesItsStages() {
        assertTrue(line(bundle().run("plugins"), "toolkitdb").contains(" ok "), "loads in its layer");
        ProcessResult result = bundle().run("troubleshoot", "toolkitdb://127.0.0.1:1/x", "--format", "json");
        assertEquals(2, result.exitCode(), result.describe());
        JsonObject json = JsonParser.parseString(result.stdout()).getAsJsonObject();
        JsonObject connection = json.getAsJsonArray("checks").get(0).getAsJsonObject();
        JsonObject finding = connection.getAsJsonArray("findings").get(0).getAsJsonObject();
        assertEquals("TOOLKITDB_UNREACHABLE", finding.get("code").getAsString());
        JsonObject tcp = finding.getAsJsonObject("evidence").getAsJsonArray("stages").get(1).getAsJsonObject();
        assertEquals("tcp", tcp.get("stage").getAsString());
        assertTrue(tcp.get("result").getAsString().startsWith("failed: "), tcp.toString());
        JsonObject blocking = json.getAsJsonArray("checks").get(1).getAsJsonObject();
        assertEquals("not connected: TCP connect failed: Connection refused", blocking.get("error").getAsString(),
                "the remembered failure, at once");
        assertTrue(result.stderr().isEmpty(), result.stderr());
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
