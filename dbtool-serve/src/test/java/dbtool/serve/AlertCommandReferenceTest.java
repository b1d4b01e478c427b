package dbtool.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dbtool.core.cli.CommandReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The site's page for 'dbtool alert' (docs/commands/alert.md) matches the command's own options and its
 * --help text, and its examples parse. Stale page: scripts/docs --regenerate.
 */
class AlertCommandReferenceTest {

    @Test
    void theAlertPageIsCurrent() {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.exists(dir.resolve("mkdocs.yml"))) {
            dir = dir.getParent();
        }
        List<String> problems = CommandReference.sync(dir.resolve("docs/commands"), new AlertCommand());
        assertEquals(List.of(), problems, String.join("\n", problems));
    }
}
