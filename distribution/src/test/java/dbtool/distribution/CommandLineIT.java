package dbtool.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import dbtool.testkit.DbtoolBundle;
import dbtool.testkit.ProcessResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user meets it: help, mistakes, plugins, configuration, the shell on a pipe. */
class CommandLineIT {

    @TempDir
    Path home;

    private DbtoolBundle bundle() {
        return DbtoolBundle.locate(home);
    }

    private static void assertOneLineError(ProcessResult result, int exitCode, String contains) {
        assertEquals(exitCode, result.exitCode(), result.describe());
        assertEquals(1, result.stderr().lines().count(), "one line: " + result.stderr());
        assertTrue(result.stderr().contains(contains), result.stderr());
        assertFalse(result.stderr().contains("\tat "), "no stack trace");
        assertTrue(result.stdout().isEmpty(), result.stdout());
    }

    @Test
    void helpExplainsCommandsAndOptions() {
        ProcessResult help = bundle().run("--help");
        assertEquals(0, help.exitCode());
        assertTrue(help.stdout().contains("troubleshoot") && help.stdout().contains("Exit codes: 0 OK"), help.stdout());
        ProcessResult command = bundle().run("help", "troubleshoot");
        assertTrue(command.stdout().contains("--targets-file FILE") && command.stdout().contains("--timeout SECONDS"), command.stdout());
        assertEquals(command.stdout(), bundle().run("troubleshoot", "--help").stdout());
    }

    @Test
    void mistakesAreOneLineUsageErrors() {
        assertOneLineError(bundle().run("troubelshoot", "x"), 64, "did you mean 'troubleshoot'?");
        assertOneLineError(bundle().run("troubleshoot", "--chek", "locks", "x"), 64, "unknown option '--chek'");
        assertOneLineError(bundle().run("troubleshoot", "x", "--timeout", "soon"), 64, "--timeout: expected a number of seconds");
        assertOneLineError(bundle().run("troubleshoot", "x", "--format", "xml"), 64, "--format: expected text or json");
        assertOneLineError(bundle().run("troubleshoot", "oracle://db1/x"), 64, "installed plugins handle: mariadb://, mongodb://");
        assertOneLineError(bundle().run("troubleshoot"), 64, "missing TARGET");
        assertOneLineError(bundle().run("checks", "oracle"), 64, "unknown engine 'oracle'");
    }

    @Test
    void whatTheRunLogHidesNoErrorMessageRepeats() throws Exception {
        Path log = home.resolve("run.log");
        // VAULT_ADDR set and no token anywhere: dbtool-auth's token login gets as far as reading --password-env.
        DbtoolBundle bundle = bundle().env("DBTOOL_LOG", log.toString()).env("VAULT_ADDR", "http://127.0.0.1:1");
        java.util.List<java.util.List<String>> lines = java.util.List.of(
                java.util.List.of("postgresql://app:UrlPw123@h/db"),
                java.util.List.of("checks", "postgresql://app:ChecksPw123@h/db"),
                java.util.List.of("troubleshoot", "x", "--timeout=postgresql://app:TimeoutPw123@h/db"),
                java.util.List.of("troubleshoot", "x", "--password", "Hunter2short"),
                java.util.List.of("auth", "login", "--pasword-env=Hunter3secret"),
                java.util.List.of("auth", "CorrectHorseBattery"),
                java.util.List.of("auth", "login", "hvs.StrayToken123"),
                java.util.List.of("hvs.CAESIsecretTOKEN"),
                java.util.List.of("auth", "login", "--method", "token", "--password-env", "hunter7secret"));
        StringBuilder stderr = new StringBuilder();
        for (java.util.List<String> line : lines) {
            ProcessResult result = bundle.run(line.toArray(String[]::new));
            assertOneLineError(result, 64, "");
            stderr.append(result.stderr());
        }
        assertTrue(stderr.toString().contains("auth login: --password-env names a variable that is not set"), stderr.toString());
        String text = Files.readString(log);
        for (String secret : java.util.List.of("UrlPw123", "ChecksPw123", "TimeoutPw123", "Hunter2short", "Hunter3secret",
                "CorrectHorseBattery", "StrayToken123", "CAESIsecretTOKEN", "hunter7secret")) {
            assertFalse(stderr.toString().contains(secret), secret + ": " + stderr);
            assertFalse(text.contains(secret), secret + ": " + text);
        }
        assertEquals(lines.size(), text.lines().filter(l -> l.contains(" ERROR ")).count(), text);
    }

    @Test
    void configurationMistakesNameFileLineAndField() throws Exception {
        DbtoolBundle bundle = bundle();
        Files.createDirectories(bundle.configFile().getParent());
        Files.writeString(bundle.configFile(), "{\n  \"targets\": {\n    \"orders\": {\"url\": 5432}\n  }\n}\n");
        ProcessResult result = bundle.run("troubleshoot", "orders");
        assertOneLineError(result, 78, bundle.configFile() + ":3:");
        assertTrue(result.stderr().contains("targets.orders.url: expected a URL"), result.stderr());

        Files.writeString(bundle.configFile(), "{\"targets\": {\"prod-orders-pg\": {\"url\": \"postgresql://db1/orders\"}}}");
        assertOneLineError(bundle.run("troubleshoot", "prod-ordres-pg"), 64, "did you mean 'prod-orders-pg'?");
    }

    @Test
    void pluginsAreListedAndABrokenOneDoesNotStopTheOthers() throws Exception {
        Path extra = Files.createDirectories(home.resolve("extra plugins"));
        Files.writeString(Files.createDirectories(extra.resolve("broken")).resolve("broken.jar"), "not a jar");
        DbtoolBundle bundle = bundle().env("DBTOOL_PLUGIN_PATH", extra.toString());

        ProcessResult plugins = bundle.run("plugins");
        assertEquals(0, plugins.exitCode(), plugins.describe());
        for (String engine : new String[] {"postgresql", "sqlserver", "mongodb", "snowflake", "mariadb"}) {
            assertTrue(plugins.stdout().lines().anyMatch(l -> l.startsWith(engine) && l.contains(" ok ")), engine + ":\n" + plugins.stdout());
        }
        assertTrue(plugins.stdout().lines().anyMatch(l -> l.startsWith("broken") && l.contains("FAILED")), plugins.stdout());
        assertTrue(plugins.stdout().contains("plugin broken (" + extra.resolve("broken") + ") failed to load: "), plugins.stdout());

        ProcessResult troubleshoot = bundle.run("troubleshoot", "postgresql://postgres@127.0.0.1:1/x", "--check", "connection");
        assertEquals(2, troubleshoot.exitCode(), "the others keep working: " + troubleshoot.describe());
        assertTrue(troubleshoot.stdout().contains("PG_CONNECTION_REFUSED"), troubleshoot.stdout());
    }

    @Test
    void sqlServerPluginLoadsJtdsInItsLayerAndNamesTheFailingStage() {
        ProcessResult result = bundle().run("troubleshoot", "sqlserver://dbtool:secret-pw@127.0.0.1:1/orders", "--format", "json");
        assertEquals(2, result.exitCode(), result.describe());
        assertTrue(result.stdout().contains("\"code\": \"MSSQL_CONNECTION_REFUSED\""), result.stdout());
        assertTrue(result.stdout().contains("\"error\": \"not connected: TCP connect to 127.0.0.1:1 failed"), result.stdout());
        assertFalse(result.stdout().contains("secret-pw") || result.stderr().contains("secret-pw"), "no password in any output");
    }

    @Test
    void jsonToAFileLeavesStdoutEmpty() throws Exception {
        Path report = home.resolve("report.json");
        ProcessResult result = bundle().run("troubleshoot", "postgresql://postgres@127.0.0.1:1/x", "--format", "json",
                "--output", report.toString());
        assertEquals(2, result.exitCode(), result.describe());
        assertTrue(result.stdout().isEmpty());
        assertEquals("CRITICAL", JsonParser.parseString(Files.readString(report)).getAsJsonObject().get("status").getAsString());
    }

    @Test
    void shellOnAPipeRunsEachLineQuietly() {
        ProcessResult result = bundle().run("version\n\nplugins\nexit\nversion\n", Duration.ofSeconds(60));
        assertEquals(0, result.exitCode(), result.describe());
        assertEquals(1, result.stdout().lines().filter(l -> l.startsWith("dbtool ")).count(), "nothing runs after exit");
        assertTrue(result.stdout().contains("PLUGIN"), result.stdout());
        assertTrue(result.stderr().isEmpty(), "no terminal warnings: " + result.stderr());
    }
}
