package dbtool.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dbtool.core.cli.CommandReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The site's pages for 'dbtool logs' and 'dbtool replay' (docs/commands/logs.md, replay.md) match the
 * commands' own options and their --help text. dbtool-core's CommandReferenceTest checks the built-in commands; this module's
 * command is not on core's test path. Stale page: scripts/docs --regenerate.
 */
class LogsCommandReferenceTest {

    @Test
    void theLogsPageIsCurrent() {
        List<String> problems = CommandReference.sync(commands(), new LogsCommand());
        assertEquals(List.of(), problems, String.join("\n", problems));
    }

    @Test
    void theReplayPageIsCurrent() {
        List<String> problems = CommandReference.sync(commands(), new ReplayCommand());
        assertEquals(List.of(), problems, String.join("\n", problems));
    }

    private static Path commands() {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.exists(dir.resolve("mkdocs.yml"))) {
            dir = dir.getParent();
        }
        return dir.resolve("docs/commands");
    }
}
