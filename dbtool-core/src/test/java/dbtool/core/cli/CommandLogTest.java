package dbtool.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.Environment;
import dbtool.core.ExitCodes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each command line reaches DBTOOL_LOG with its outcome, and a URL's password does not. */
class CommandLogTest {

    @TempDir
    Path dir;

    @Test
    void theCommandAndItsErrorAreLoggedWithTheUrlPasswordRedacted() throws Exception {
        Path log = dir.resolve("run.log");
        Environment environment = new Environment(Map.of("DBTOOL_LOG", log.toString(),
                "DBTOOL_CONFIG", dir.resolve("none.json").toString(), "DBTOOL_PLUGIN_PATH", dir.toString()), dir, "Linux", null);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandContext context = new CommandContext(environment, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
        int code = CommandLineInterface.standard().execute(
                List.of("troubleshoot", "nosuch://admin:Hunter2-Secret@db1:5432/orders"), context);
        String text = Files.readString(log);
        assertEquals(ExitCodes.USAGE, code, err.toString(StandardCharsets.UTF_8));
        assertTrue(text.contains("troubleshoot nosuch://admin:****@db1:5432/orders"), text);
        assertTrue(text.contains("ERROR") && text.contains("no plugin handles URL scheme 'nosuch://'"), text);
        assertTrue(text.contains("exit 64 after"), text);
        assertFalse(text.contains("Hunter2-Secret"), text);
    }

    @Test
    void aPasswordTypedWhereTheVariableNameBelongsIsNeitherLoggedNorEchoed() throws Exception {
        Path log = dir.resolve("run.log");
        Environment environment = new Environment(Map.of("DBTOOL_LOG", log.toString(),
                "DBTOOL_CONFIG", dir.resolve("none.json").toString(), "DBTOOL_PLUGIN_PATH", dir.toString()), dir, "Linux", null);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandContext context = new CommandContext(environment, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
        CommandLineInterface cli = CommandLineInterface.standard();
        cli.execute(List.of("auth", "login", "--password-env", "Hunter2-Secret"), context);
        cli.execute(List.of("auth", "login", "--password-env=Hunter2-Other"), context);
        int code = cli.execute(List.of("auth", "login", "hvs.Pasted-Token-123"), context);
        int unknownAction = cli.execute(List.of("auth", "hvs.Another-Token-456"), context);
        String text = Files.readString(log);
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertEquals(ExitCodes.USAGE, code, stderr);
        assertEquals(ExitCodes.USAGE, unknownAction, stderr);
        assertTrue(text.contains("auth login --password-env ****"), text);
        assertTrue(text.contains("auth login --password-env=****"), text);
        assertTrue(stderr.contains("auth: 1 unexpected argument after 'login'"), stderr);
        for (String secret : List.of("Hunter2-Secret", "Hunter2-Other", "Pasted-Token", "Another-Token")) {
            assertFalse(text.contains(secret), text);
            assertFalse(stderr.contains(secret), stderr);
        }
    }

    /** A command that quotes its --password-env value in its error, as a plugin's message might. */
    private static final class EchoingCommand implements Command {
        @Override public String name() { return "echoing"; }
        @Override public String synopsis() { return "[--password-env VAR]"; }
        @Override public String summary() { return "test"; }
        @Override public String description() { return ""; }
        @Override public org.apache.commons.cli.Options options() {
            return new org.apache.commons.cli.Options().addOption(
                    org.apache.commons.cli.Option.builder().longOpt("password-env").hasArg().get());
        }
        @Override public int[] arity() { return new int[] {0, 0}; }
        @Override public int run(org.apache.commons.cli.CommandLine line, CommandContext context) {
            throw dbtool.core.DbtoolException.usage("--password-env names " + line.getOptionValue("password-env") + ", which is not set");
        }
    }

    @Test
    void noErrorMessageRepeatsWhatTheCommandLineHides() throws Exception {
        Path log = dir.resolve("run.log");
        Environment environment = new Environment(Map.of("DBTOOL_LOG", log.toString(),
                "DBTOOL_CONFIG", dir.resolve("none.json").toString(), "DBTOOL_PLUGIN_PATH", dir.toString()), dir, "Linux", null);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandContext context = new CommandContext(environment, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
        CommandLineInterface cli = CommandLineInterface.standard();
        List<List<String>> lines = List.of(
                List.of("postgresql://app:UrlPw123@h/db"),
                List.of("checks", "postgresql://app:ChecksPw123@h/db"),
                List.of("troubleshoot", "orders", "--timeout=postgresql://app:TimeoutPw123@h/db"),
                List.of("troubleshoot", "orders", "--password", "Hunter2short"),
                List.of("auth", "login", "--pass=Hunter8abbrev"),
                List.of("auth", "login", "--pasword-env=Hunter3secret"),
                List.of("--pasword-env=Hunter4secret"),
                List.of("auth", "CorrectHorseBattery"),
                List.of("auth", "login", "hvs.StrayToken123"),
                List.of("hvs.CAESIsecretTOKEN"));
        for (List<String> line : lines) {
            assertEquals(ExitCodes.USAGE, cli.execute(line, context), line + ": " + err.toString(StandardCharsets.UTF_8));
        }
        CommandLineInterface echoing = new CommandLineInterface(List.of(new EchoingCommand()));
        assertEquals(ExitCodes.USAGE, echoing.execute(List.of("echoing", "--password-env", "hunter7secret"), context));
        String stderr = err.toString(StandardCharsets.UTF_8);
        List<String> logLines = Files.readAllLines(log);
        assertEquals(lines.size() + 1, stderr.lines().count(), "one line per mistake: " + stderr);
        assertTrue(stderr.contains("a URL is not a command (did you mean 'dbtool troubleshoot URL'?)"), stderr);
        assertTrue(stderr.contains("unknown option '--pasword-env' (did you mean '--password-env'?)"), stderr);
        assertTrue(stderr.contains("unknown option '--password'"), stderr);
        assertTrue(stderr.contains("--password-env names ****, which is not set"), stderr);
        for (String secret : List.of("UrlPw123", "ChecksPw123", "TimeoutPw123", "Hunter2short", "Hunter8abbrev", "Hunter3secret",
                "Hunter4secret", "CorrectHorseBattery", "StrayToken123", "CAESIsecretTOKEN", "hunter7secret")) {
            assertFalse(stderr.contains(secret), secret + " on stderr: " + stderr);
            for (String logLine : logLines) {
                assertFalse(logLine.contains(secret), secret + " in the run log: " + logLine);
            }
        }
    }

    @Test
    void aCredentialFetchFailingBecauseOfCtrlCEndsAsInterrupted() throws Exception {
        // What the Vault client does on Ctrl-C: the interrupt flag set again, and a failure that the
        // credential resolver turns into a one-line error (exit 3).
        Command fetching = new Command() {
            @Override public String name() { return "fetching"; }
            @Override public String synopsis() { return ""; }
            @Override public String summary() { return "test"; }
            @Override public int[] arity() { return new int[] {0, 0}; }
            @Override public int run(org.apache.commons.cli.CommandLine line, CommandContext context) {
                Thread.currentThread().interrupt();
                throw new dbtool.core.DbtoolException(ExitCodes.UNKNOWN, "credentials (vault): interrupted while asking Vault for database/creds/ro");
            }
        };
        Path log = dir.resolve("run.log");
        Environment environment = new Environment(Map.of("DBTOOL_LOG", log.toString()), dir, "Linux", null);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandContext context = new CommandContext(environment, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
        int code = new CommandLineInterface(List.of(fetching)).execute(List.of("fetching"), context);
        Thread.interrupted();
        assertEquals(ExitCodes.INTERRUPTED, code);
        assertEquals("dbtool: interrupted", err.toString(StandardCharsets.UTF_8).strip());
        String text = Files.readString(log);
        assertTrue(text.contains("WARN ") && text.contains("interrupted"), text);
        assertTrue(text.contains("exit 130 after"), "the log survives the interrupt: " + text);
    }
}
