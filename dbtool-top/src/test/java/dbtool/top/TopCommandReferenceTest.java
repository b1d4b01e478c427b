package dbtool.top;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dbtool.core.cli.CommandReference;
import dbtool.testkit.RepositoryFiles;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The site's page for 'dbtool top' (docs/commands/top.md) matches the command's own options and its
 * --help text; this module's command is not on core's test path. Stale page: scripts/docs --regenerate.
 */
class TopCommandReferenceTest {

    @Test
    void theTopPageIsCurrent() {
        List<String> problems = CommandReference.sync(RepositoryFiles.docs("commands"), new TopCommand());
        assertEquals(List.of(), problems, String.join("\n", problems));
    }
}
