package dbtool.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.DbtoolException;
import dbtool.core.Environment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mistakes in what is typed or set: one line on stderr, the right exit code, the flag or variable named (issue 13). */
class InputMistakesTest {

    @TempDir
    Path home;

    final Map<String, String> variables = new HashMap<>();
    Path bundle;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        variables.putIfAbsent("XDG_CONFIG_HOME", home.toString());
        CommandContext context = new CommandContext(new Environment(variables, home, "Linux", bundle),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), false);
        try (context) {
            return CommandLineInterface.standard().execute(List.of(args), context);
        }
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private void assertOneLine(int expected, int code, String contains) {
        assertEquals(expected, code, stderr());
        assertEquals(1, stderr().lines().count(), stderr());
        assertTrue(stderr().contains(contains), stderr());
    }

    @Test
    void theLastOfARepeatedOptionWins() throws Exception {
        CommandLine parsed = DefaultParser.builder().get().parse(new TroubleshootCommand().options(),
                new String[] {"--timeout", "20", "x", "-t", "5", "--no-color", "--no-color"});
        CommandLine line = CommandLineInterface.lastWins(parsed);
        assertEquals("5", line.getOptionValue("timeout"));
        assertEquals(List.of("x"), line.getArgList());
        assertTrue(line.hasOption("no-color"));

        // End to end: the last --format is the one checked (the first alone would pass and go on to the target).
        assertOneLine(64, run("troubleshoot", "x", "--format", "json", "--format", "yaml"), "--format: expected text or json, got 'yaml'");
        assertOneLine(64, run("troubleshoot", "x", "--timeout", "soon", "--timeout", "5"), "unknown target 'x'");
    }

    @Test
    void aCheckOptionThatNamesNothingIsAUsageError() {
        assertOneLine(64, run("troubleshoot", "postgresql://127.0.0.1:1/x", "--check", ""), "--check: expected check ids or categories");
        assertOneLine(64, run("troubleshoot", "postgresql://127.0.0.1:1/x", "--check", ",,,"), "got ',,,'");
        assertOneLine(64, run("troubleshoot", "postgresql://127.0.0.1:1/x", "--check", " , "), "--check:");
    }

    @Test
    void anEmptyOutputFileNameIsAUsageError() {
        assertOneLine(64, run("troubleshoot", "x", "--output", ""), "--output: expected a file name, got ''");
    }

    @Test
    void anOutputFileThatCannotBeReplacedSaysWhy() {
        DbtoolException error = assertThrows(DbtoolException.class,
                () -> TroubleshootCommand.writeWhole(Path.of("/sys/dbtool-report.json"), "{}"));
        assertEquals(73, error.exitCode());
        assertTrue(error.getMessage().startsWith("--output: cannot write /sys/dbtool-report.json: permission denied"), error.getMessage());
        DbtoolException folder = assertThrows(DbtoolException.class, () -> TroubleshootCommand.writeWhole(home, "{}"));
        assertEquals("--output: cannot write " + home + ": is a directory", folder.getMessage());
    }

    @Test
    void runLogProblemsAreSaidInWords() throws Exception {
        variables.put("DBTOOL_LOG", home.toString());
        assertEquals(0, run("version"));
        assertEquals("dbtool: DBTOOL_LOG: cannot append to " + home + ": is a directory; continuing without a run log\n", stderr());
        variables.put("DBTOOL_LOG", home.resolve("no-such-folder").resolve("run.log").toString());
        assertEquals(0, run("version"));
        assertTrue(stderr().contains(": the folder " + home.resolve("no-such-folder") + " does not exist; continuing"), stderr());
        assertFalse(stderr().contains("Exception") || stderr().contains("FileSystem"), stderr());
    }

    @Test
    void pluginPathEntriesThatAreNoFolderAreWarnedAbout() throws Exception {
        Path jar = Files.writeString(home.resolve("plugin.jar"), "x");
        Path missing = home.resolve("missing");
        variables.put("DBTOOL_PLUGIN_PATH", missing + java.io.File.pathSeparator + jar);
        assertEquals(0, run("plugins"));
        assertTrue(stderr().contains("dbtool: DBTOOL_PLUGIN_PATH: " + missing + " does not exist; skipped"), stderr());
        assertTrue(stderr().contains("dbtool: DBTOOL_PLUGIN_PATH: " + jar + " is a file, not a folder (name the folder"), stderr());
    }

    @Test
    void anEndlessConfigurationFileIsRefused() {
        variables.put("DBTOOL_CONFIG", "/dev/zero");
        assertOneLine(78, run("targets"), "/dev/zero: not read: larger than 4 MiB");
    }

    @Test
    void controlCharactersInMessagesAreShownNotObeyed() {
        assertOneLine(64, run("troubleshoot", "x\u001b[2J", "--format", "\u001b]0;owned\u0007"), "got '\\e]0;owned\\u0007'");
        assertFalse(stderr().contains("\u001b"), stderr());
    }

    @Test
    void aBrokenFolderThatHidesABundledEngineIsNamedWhenItsSchemeIsMissing() throws Exception {
        bundle = Files.createDirectories(home.resolve("bundle"));
        Path bundled = Files.createDirectories(bundle.resolve("plugins").resolve("postgresql"));
        java.util.jar.Manifest manifest = new java.util.jar.Manifest();
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Dbtool-Engine", "postgresql");
        manifest.getMainAttributes().putValue("Dbtool-Schemes", "postgresql,postgres");
        try (var jar = new java.util.jar.JarOutputStream(Files.newOutputStream(bundled.resolve("plugin-postgres.jar")), manifest)) {
            jar.flush();
        }
        Path broken = Files.createDirectories(home.resolve("dbtool").resolve("plugins").resolve("postgresql"));
        Files.writeString(broken.resolve("half-copied.jar"), "not a jar");

        assertOneLine(78, run("troubleshoot", "postgres://db1/orders"), "'postgres://' is provided by plugin postgresql (" + bundled
                + "), hidden by the folder of the same name " + broken + ", which failed to load: ");
        assertOneLine(78, run("troubleshoot", "postgresql://db1/orders"), "(it hides the plugin of the same name at " + bundled + ")");
    }
}
