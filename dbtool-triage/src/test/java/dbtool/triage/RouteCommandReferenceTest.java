package dbtool.triage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dbtool.core.cli.CommandReference;
import dbtool.testkit.RepositoryFiles;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The site's page for 'dbtool route' (docs/commands/route.md) matches the command. Stale page: scripts/docs --regenerate. */
class RouteCommandReferenceTest {

    @Test
    void theRoutePageIsCurrent() {
        List<String> problems = CommandReference.sync(RepositoryFiles.docs("commands"), new RouteCommand());
        assertEquals(List.of(), problems, String.join("\n", problems));
    }
}
