package dbtool.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dbtool.core.cli.CommandReference;
import dbtool.testkit.RepositoryFiles;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The site's page for 'dbtool alert' (docs/commands/alert.md) matches the command's own options and its
 * --help text, and its examples parse. Stale page: scripts/docs --regenerate.
 */
class AlertCommandReferenceTest {

    @Test
    void theAlertPageIsCurrent() {
        List<String> problems = CommandReference.sync(RepositoryFiles.docs("commands"), new AlertCommand());
        assertEquals(List.of(), problems, String.join("\n", problems));
    }
}
