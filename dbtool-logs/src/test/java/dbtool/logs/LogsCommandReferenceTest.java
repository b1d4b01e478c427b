package dbtool.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dbtool.core.cli.CommandReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The site's page for 'dbtool logs' (docs/commands/logs.md) matches the command's own options and
 * its --help text. dbtool-core's CommandReferenceTest checks the built-in commands; this module's
 * command is not on core's test path. Stale page: scripts/docs --regenerate.
 */
class LogsCommandReferenceTest {

    @Test
    void theLogsPageIsCurrent() {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.exists(dir.resolve("mkdocs.yml"))) {
            dir = dir.getParent();
        }
        List<String> problems = CommandReference.sync(dir.resolve("docs/commands"), new LogsCommand());
        assertEquals(List.of(), problems, String.join("\n", problems));
    }
}
