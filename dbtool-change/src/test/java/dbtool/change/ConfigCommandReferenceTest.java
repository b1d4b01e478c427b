package dbtool.change;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dbtool.core.cli.CommandReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The site's page for 'dbtool config' (docs/commands/config.md) matches the command's own options and
 * its --help text; this module's command is not on core's test path. Stale page: scripts/docs --regenerate.
 */
class ConfigCommandReferenceTest {

    @Test
    void theConfigPageIsCurrent() {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.exists(dir.resolve("mkdocs.yml"))) {
            dir = dir.getParent();
        }
        List<String> problems = CommandReference.sync(dir.resolve("docs/commands"), new ConfigCommand());
        assertEquals(List.of(), problems, String.join("\n", problems));
    }
}
