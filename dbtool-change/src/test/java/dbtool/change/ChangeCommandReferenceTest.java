package dbtool.change;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dbtool.change.diff.DiffCommand;
import dbtool.core.cli.CommandReference;
import dbtool.testkit.RepositoryFiles;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The site's pages for 'dbtool change', 'dbtool config' and 'dbtool diff' (docs/commands/change.md, config.md, diff.md) match
 * the commands' own options and --help texts; this module's commands are not on core's test path. Stale page: scripts/docs --regenerate.
 */
class ChangeCommandReferenceTest {

    @Test
    void theChangePageIsCurrent() {
        List<String> problems = CommandReference.sync(commands(), new ChangeCommand());
        assertEquals(List.of(), problems, String.join("\n", problems));
    }

    @Test
    void theConfigPageIsCurrent() {
        List<String> problems = CommandReference.sync(commands(), new ConfigCommand());
        assertEquals(List.of(), problems, String.join("\n", problems));
    }

    @Test
    void theDiffPageIsCurrent() {
        List<String> problems = CommandReference.sync(commands(), new DiffCommand());
        assertEquals(List.of(), problems, String.join("\n", problems));
    }

    private static Path commands() {
        return RepositoryFiles.docs("commands");
    }
}
