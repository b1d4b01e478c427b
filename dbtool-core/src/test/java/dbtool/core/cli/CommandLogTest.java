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
}
