package dbtool.plugin.postgres;

import dbtool.testkit.PlaybookCoverage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every finding code the plugin can report is declared by a check, has its playbook under docs/playbooks
 * (with the five sections and the thresholds of the checks that report it), and its findings link there.
 */
class PlaybooksTest {

    @Test
    void everyFindingCodeHasAPlaybookThatItsFindingsLinkTo() throws IOException {
        PlaybookCoverage.verify(new PostgresPlugin().checks(), Path.of("src", "main", "java"), "PG_[A-Z0-9_]+", Set.of("PG_BINDIR"), null);
    }
}
