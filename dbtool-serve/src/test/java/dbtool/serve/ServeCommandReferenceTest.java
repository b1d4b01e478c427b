package dbtool.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dbtool.core.cli.CommandReference;
import dbtool.testkit.RepositoryFiles;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The site's page for 'dbtool serve' (docs/commands/serve.md) matches the command's own options and
 * its --help text. Stale page: scripts/docs --regenerate.
 */
class ServeCommandReferenceTest {

    @Test
    void theServePageIsCurrent() {
        List<String> problems = CommandReference.sync(RepositoryFiles.docs("commands"), new ServeCommand());
        assertEquals(List.of(), problems, String.join("\n", problems));
    }
}
