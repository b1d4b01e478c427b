package dbtool.change;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dbtool.change.diff.DiffCommand;
import dbtool.core.cli.CommandReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The site's pages for 'dbtool change' and 'dbtool diff' (docs/commands/change.md, diff.md) match the command's own options and
 * its --help text; this module's command is not on core's test path. Stale page: scripts/docs --regenerate.
 */
class ChangeCommandReferenceTest {

    @Test
    void theChangePageIsCurrent() {
        List<String> problems = CommandReference.sync(pages(), new ChangeCommand());
        assertEquals(List.of(), problems, String.join("\n", problems));
    }

    @Test
    void theDiffPageIsCurrent() {
        List<String> problems = CommandReference.sync(pages(), new DiffCommand());
        assertEquals(List.of(), problems, String.join("\n", problems));
    }

    private static Path pages() {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.exists(dir.resolve("mkdocs.yml"))) {
            dir = dir.getParent();
        }
        return dir.resolve("docs/commands");
    }
}
