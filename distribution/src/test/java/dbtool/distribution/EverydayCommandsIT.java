package dbtool.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.testkit.DbtoolBundle;
import dbtool.testkit.ProcessResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** version, help, targets and the configuration file, through the real launcher. */
class EverydayCommandsIT {

    @TempDir
    Path home;

    private DbtoolBundle bundle() {
        return DbtoolBundle.locate(home);
    }

    private DbtoolBundle withConfig(String json) throws Exception {
        DbtoolBundle bundle = bundle();
        Files.createDirectories(bundle.configFile().getParent());
        Files.writeString(bundle.configFile(), json);
        return bundle;
    }

    private static void assertUsageError(ProcessResult result, String contains) {
        assertEquals(64, result.exitCode(), result.describe());
        assertEquals(1, result.stderr().lines().count(), "one line: " + result.stderr());
        assertTrue(result.stderr().startsWith("dbtool: ") && result.stderr().contains(contains), result.stderr());
        assertFalse(result.stderr().contains("at dbtool.") || result.stderr().contains("Exception"), "no stack trace: " + result.stderr());
        assertEquals("", result.stdout());
    }

    @Test
    void versionNamesTheBuiltVersionAndJava() {
        String version = dbtool.core.Version.get();
        assertNotEquals("dev", version, "the build filters the version in");
        ProcessResult result = bundle().run("--version");
        assertEquals(0, result.exitCode(), result.describe());
        assertTrue(result.stdout().startsWith("dbtool " + version + " (Java 25"), result.stdout());
        assertEquals("", result.stderr());
        assertEquals(result.stdout(), bundle().run("version").stdout());
        assertEquals(result.stdout(), bundle().run("-V").stdout());
    }

    @Test
    void helpListsEveryCommandAndEachCommandHasItsOwn() {
        ProcessResult overview = bundle().run("--help");
        assertEquals(0, overview.exitCode(), overview.describe());
        for (String command : List.of("troubleshoot", "checks", "plugins", "targets", "demo", "help", "version")) {
            assertTrue(overview.stdout().lines().anyMatch(l -> l.strip().startsWith(command + " ")), command + ":\n" + overview.stdout());
        }
        assertTrue(overview.stdout().contains("64 usage error, 78 configuration error"), overview.stdout());
        ProcessResult troubleshoot = bundle().run("help", "troubleshoot");
        assertEquals(0, troubleshoot.exitCode(), troubleshoot.describe());
        assertTrue(troubleshoot.stdout().startsWith("Usage: dbtool troubleshoot TARGET"), troubleshoot.stdout());
        assertTrue(troubleshoot.stdout().contains("--format text|json") && troubleshoot.stdout().contains("--check"), troubleshoot.stdout());
        assertEquals("", troubleshoot.stderr());
    }

    @Test
    void explainPrintsAPlaybookFromInsideTheBundle() {
        // The pages are resources of dbtool-core in the jlink image: no docs folder, no network.
        ProcessResult sqlServer = bundle().run("explain", "MSSQL_LOG_FULL");
        assertEquals(0, sqlServer.exitCode(), sqlServer.describe());
        assertTrue(sqlServer.stdout().startsWith("MSSQL_LOG_FULL and MSSQL_LOG_REUSE_WAIT"), sqlServer.stdout());
        assertTrue(sqlServer.stdout().contains("BACKUP LOG") && sqlServer.stdout().contains("log_used_critical_percent"), sqlServer.stdout());
        assertTrue(sqlServer.stdout().strip().endsWith("Playbook: docs/playbooks/mssql-log-space.md"), sqlServer.stdout());
        assertEquals("", sqlServer.stderr());

        ProcessResult mongo = bundle().run("explain", "mongo_lock_waits");
        assertEquals(0, mongo.exitCode(), mongo.describe());
        assertTrue(mongo.stdout().contains("db.killOp(12345)"), mongo.stdout());
        assertFalse(mongo.stdout().contains("MONGO_FSYNC_LOCKED\n"), "only this code's section: " + mongo.stdout());

        assertUsageError(bundle().run("explain", "SF_SPILING_REMOTE"), "no playbook for the code 'SF_SPILING_REMOTE'; close: SF_SPILLING_REMOTE");
    }

    @Test
    void unknownCommandsAndFlagsAreOneLineUsageErrors() {
        assertUsageError(bundle().run("frobnicate"), "unknown command 'frobnicate'; commands: troubleshoot, checks");
        assertUsageError(bundle().run("--frobnicate"), "unknown option '--frobnicate' before the command");
        assertUsageError(bundle().run("plugins", "--verbose"), "plugins: unknown option '--verbose'");
        assertUsageError(bundle().run("version", "extra"), "version: 1 unexpected argument after 'version'");
        assertUsageError(bundle().run("troubleshoot", "postgresql://db1/x", "--timeout"), "option --timeout needs a value");
        assertUsageError(bundle().run("help", "frobnicate"), "frobnicate");
    }

    @Test
    void invalidJsonInTheConfigurationNamesFileLineAndColumn() throws Exception {
        DbtoolBundle bundle = withConfig("""
                {
                  "targets": {
                    "orders": {"url": "postgresql://db1/orders"}
                    "billing": {"url": "postgresql://db2/billing"}
                  }
                }
                """);
        ProcessResult result = bundle.run("targets");
        assertEquals(78, result.exitCode(), result.describe());
        assertEquals(1, result.stderr().lines().count(), result.stderr());
        assertTrue(result.stderr().matches("(?s)dbtool: " + java.util.regex.Pattern.quote(bundle.configFile().toString())
                + ":4:\\d+: invalid JSON: .*"), result.stderr());
        assertEquals("", result.stdout());
    }

    @Test
    void aWrongValueIsAConfigurationErrorForEveryCommandThatReadsTheFile() throws Exception {
        DbtoolBundle bundle = withConfig("{\"defaults\": {\"format\": \"yaml\"}}");
        for (List<String> command : List.of(List.of("targets"), List.of("troubleshoot", "postgresql://db1/x"))) {
            ProcessResult result = bundle.run(command.toArray(String[]::new));
            assertEquals(78, result.exitCode(), command + ": " + result.describe());
            assertTrue(result.stderr().contains(bundle.configFile() + ":1:23: defaults.format: expected \"text\" or \"json\""), result.stderr());
        }
    }

    @Test
    void anEmptyConfigurationFileIsNoMistake() throws Exception {
        ProcessResult result = withConfig("// targets will come here\n").run("targets");
        assertEquals(0, result.exitCode(), result.describe());
        assertTrue(result.stdout().startsWith("No targets configured"), result.stdout());
    }

    @Test
    void targetsListsTheConfiguredOnesWithoutAnyPassword() throws Exception {
        DbtoolBundle bundle = withConfig("""
                {
                  "targets": {
                    "orders": {"url": "postgresql://alice:Pw-In-UserInfo@db1:5432/orders", "tags": ["prod", "orders"]},
                    "billing": {"url": "postgresql://db2/billing?user=bob&password=Pw-In-Query", "auth": {"method": "vault"}},
                    "legacy": {"url": "sqlserver://carol:Pw/With?Slash@db3/erp"}
                  }
                }
                """);
        ProcessResult result = bundle.run("targets");
        assertEquals(0, result.exitCode(), result.describe());
        for (String name : List.of("orders", "billing", "legacy")) {
            assertTrue(result.stdout().lines().anyMatch(l -> l.startsWith(name + " ")), name + ":\n" + result.stdout());
        }
        assertTrue(result.stdout().contains("postgresql://alice:****@db1:5432/orders"), result.stdout());
        assertTrue(result.stdout().contains("password=****"), result.stdout());
        assertTrue(result.stdout().contains("sqlserver://carol:****@db3/erp"), result.stdout());
        assertTrue(result.stdout().contains("prod,orders") && result.stdout().contains("vault"), result.stdout());
        assertTrue(result.stdout().contains("from " + bundle.configFile()), result.stdout());
        assertFalse((result.stdout() + result.stderr()).contains("Pw-") || (result.stdout() + result.stderr()).contains("Slash"),
                result.describe());
    }

    @Test
    void anUnknownTargetSuggestsTheClosestAndNeverShowsAPassword() throws Exception {
        DbtoolBundle bundle = withConfig("{\"targets\": {\"prod-orders-pg\": {\"url\": \"postgresql://alice:S3cr3t@db1/orders\"}}}");
        assertUsageError(bundle.run("troubleshoot", "prod-orders"), "unknown target 'prod-orders' (did you mean 'prod-orders-pg'?)");
        ProcessResult typo = bundle.run("troubleshoot", "postgrsql://alice:S3cr3t@db1/orders");
        assertUsageError(typo, "no plugin handles URL scheme 'postgrsql://'");
        assertTrue(typo.stderr().contains("did you mean 'postgresql'?"), typo.stderr());
        assertFalse(typo.stderr().contains("S3cr3t"), typo.stderr());
    }
}
