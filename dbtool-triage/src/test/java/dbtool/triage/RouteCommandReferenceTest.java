package dbtool.triage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dbtool.core.cli.CommandReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The site's page for 'dbtool route' (docs/commands/route.md) matches the command. Stale page: scripts/docs --regenerate. */
class RouteCommandReferenceTest {

    @Test
    void theRoutePageIsCurrent() {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.exists(dir.resolve("mkdocs.yml"))) {
            dir = dir.getParent();
        }
        List<String> problems = CommandReference.sync(dir.resolve("docs/commands"), new RouteCommand());
        assertEquals(List.of(), problems, String.join("\n", problems));
    }
}
