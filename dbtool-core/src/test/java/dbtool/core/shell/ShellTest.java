package dbtool.core.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.Environment;
import dbtool.core.cli.CommandContext;
import dbtool.core.cli.CommandLineInterface;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShellTest {

    @TempDir
    Path home;

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private Shell shell() {
        Environment environment = new Environment(Map.of("XDG_CONFIG_HOME", home.toString()), home, "Linux", null);
        CommandContext context = new CommandContext(environment, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
        return new Shell(CommandLineInterface.standard(), context);
    }

    @Test
    void pipedCommandsRunLineByLineAndAnErrorDoesNotStopTheRest() throws Exception {
        int code = shell().runPiped(new BufferedReader(new StringReader("""
                # a comment

                version
                frobnicate
                help checks
                """)));
        String stdout = out.toString(StandardCharsets.UTF_8);
        assertTrue(stdout.startsWith("dbtool "), stdout);
        assertTrue(stdout.contains("Usage: dbtool checks [ENGINE]"), stdout);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown command 'frobnicate'"));
        assertEquals(0, code, "the last command's exit code");
    }

    @Test
    void exitStopsAndLeavingIsASuccessWhateverCameBefore() throws Exception {
        int code = shell().runPiped(new BufferedReader(new StringReader("frobnicate\nexit\nversion\n")));
        assertEquals(0, code, "'exit' was asked for and done");
        assertFalse(out.toString(StandardCharsets.UTF_8).contains("dbtool "), "nothing after exit runs");
    }

    private static final CommandLineInterface CLI = CommandLineInterface.standard();

    @Test
    void quotesGroupWordsAndBackslashesStay() {
        assertEquals(List.of("troubleshoot", "C:\\dbtool\\my targets.txt", "--format", "json"),
                Shell.ShellWords.split("troubleshoot \"C:\\dbtool\\my targets.txt\" --format json"));
    }

    @Test
    void historyNeverKeepsAPassword() {
        String stored = RedactingHistory.redact(CLI, "troubleshoot postgresql://alice:S3cr3t@db1/orders --check locks");
        assertFalse(stored.contains("S3cr3t"), stored);
        assertTrue(stored.contains("postgresql://alice:****@db1/orders --check locks"), stored);
    }

    @Test
    void completionOffersCommandsFlagsAndValues() {
        Environment environment = new Environment(Map.of(), home, "Linux", null);
        CommandContext context = new CommandContext(environment, System.out, System.err, false);
        ShellCompleter completer = new ShellCompleter(CommandLineInterface.standard(), context);
        assertTrue(completer.candidates(List.of(""), 0).containsAll(List.of("troubleshoot", "checks", "plugins", "exit")));
        assertTrue(completer.candidates(List.of("troubleshoot", "x", "--"), 2).containsAll(List.of("--check", "--format", "--timeout")));
        assertEquals(List.of("text", "json"), completer.candidates(List.of("troubleshoot", "x", "--format", ""), 3));
    }

    @Test
    void quitStopsTooAndBlankOrCommentLinesKeepTheLastExitCode() throws Exception {
        assertEquals(64, shell().runPiped(new BufferedReader(new StringReader("version\nfrobnicate\n\n   \n# done\n"))));
        assertEquals(0, shell().runPiped(new BufferedReader(new StringReader("frobnicate\nversion\nquit\nfrobnicate\n"))));
        assertEquals(0, shell().runPiped(new BufferedReader(new StringReader(""))), "nothing to run is OK");
    }

    @Test
    void eachLineRunsInOrderAndErrorsGoToStderrOnly() throws Exception {
        shell().runPiped(new BufferedReader(new StringReader("help version\n  # indented comment\ntroubleshoot --format\nversion\n")));
        String stdout = out.toString(StandardCharsets.UTF_8);
        assertTrue(stdout.indexOf("Usage: dbtool version") < stdout.lastIndexOf("\ndbtool "), stdout);
        assertEquals(1, err.toString(StandardCharsets.UTF_8).lines().count(), err.toString(StandardCharsets.UTF_8));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("dbtool: troubleshoot: option --format needs a value"),
                err.toString(StandardCharsets.UTF_8));
        assertFalse(stdout.contains("indented comment"));
    }

    @Test
    void historyHidesSecretQueryParametersAndKeepsOtherLinesAsTyped() {
        assertEquals("troubleshoot postgresql://db1/orders?password=**** --check locks",
                RedactingHistory.redact(CLI, "troubleshoot postgresql://db1/orders?password=S3cr3t --check locks"));
        assertEquals("troubleshoot mongodb://alice:****@h1,h2/admin",
                RedactingHistory.redact(CLI, "troubleshoot \"mongodb://alice:S3cr3t@h1,h2/admin\""));
        assertEquals("troubleshoot orders   --check locks", RedactingHistory.redact(CLI, "troubleshoot orders   --check locks"));
    }

    @Test
    void historyHidesTheValueOfPasswordEnvWhichMayBeThePasswordItself() {
        assertEquals("auth login --method ldap --password-env **** --username bob",
                RedactingHistory.redact(CLI, "auth login --method ldap --password-env S3cr3t --username bob"));
        assertEquals("auth login --password-env=****", RedactingHistory.redact(CLI, "auth login --password-env=S3cr3t"));
        assertEquals("auth login --password-env ****", RedactingHistory.redact(CLI, "auth login --password-env  S3cr3t"));
    }

    @Test
    void historyReadsTheLineAsTheShellDoesAndHidesWhatTheRunLogHides() {
        Map<String, String> typed = new java.util.LinkedHashMap<>();
        typed.put("auth login\t--password-env\tS3cr3tTab", "auth login --password-env ****");
        typed.put("auth login \"--password-env\" 'S3cr3t Quoted'", "auth login --password-env ****");
        typed.put("auth login --pasword-env=S3cr3tTypo", "auth login --pasword-env=****");
        typed.put("auth login --password S3cr3tShort", "auth login --password ****");
        typed.put("auth login --pass=S3cr3tPass", "auth login --pass=****");
        typed.put("auth hvs.S3cr3tToken", "auth ****");
        typed.put("auth login hvs.S3cr3tPasted", "auth login ****");
        typed.put("hvs.S3cr3tCommand", "****");
        typed.put("postgresql://app:S3cr3tUrl@h/db", "postgresql://app:****@h/db");
        typed.put("troubleshoot orders --timeout=postgresql://app:S3cr3tT@h/db",
                "troubleshoot orders --timeout=postgresql://app:****@h/db");
        typed.forEach((line, expected) -> {
            String stored = RedactingHistory.redact(CLI, line);
            assertEquals(expected, stored, line);
            assertEquals(CLI.loggable(Shell.ShellWords.split(line)), stored, "the same policy as the run log: " + line);
        });
    }

    @Test
    void theInteractiveHistoryDropsLinesTypedWithALeadingSpaceAndStoresTheRestMasked() throws Exception {
        String typed = String.join("\n",
                " troubleshoot postgresql://app:LeadingSpaceS3cret@127.0.0.1:1/db",
                "troubleshoot postgresql://app:MaskedS3cret@127.0.0.1:1/db --timeout 1",
                "troubleshoot u:NearMissS3cret@127.0.0.1/db",
                "troubleshoot 'host=h password=ConninfoS3cret'",
                "checks",
                "exit", "");
        try (org.jline.terminal.Terminal terminal = new org.jline.terminal.impl.DumbTerminal("test", "dumb",
                new java.io.ByteArrayInputStream(typed.getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream(), StandardCharsets.UTF_8)) {
            shell().runInteractive(terminal);
        }
        List<String> stored = java.nio.file.Files.readAllLines(home.resolve("dbtool").resolve("history")).stream()
                .map(line -> line.substring(line.indexOf(':') + 1)).toList();
        assertEquals(List.of("troubleshoot postgresql://app:****@127.0.0.1:1/db --timeout 1",
                "troubleshoot u:****@127.0.0.1/db",
                "troubleshoot 'host=h password=****'",
                "checks", "exit"), stored);
        for (String secret : List.of("LeadingSpaceS3cret", "MaskedS3cret", "NearMissS3cret", "ConninfoS3cret")) {
            assertFalse(err.toString(StandardCharsets.UTF_8).contains(secret), err.toString(StandardCharsets.UTF_8));
        }
    }
}
