package dbtool.change.diff;

import dbtool.testkit.PlaybookCoverage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every PARITY_* code dbtool diff reports is declared by its check, has its section in
 * docs/playbooks/environment-parity.md (the five sections, the thresholds), and its findings link there.
 */
class PlaybooksTest {

    @Test
    void everyParityCodeHasAPlaybookThatItsFindingsLinkTo() throws IOException {
        PlaybookCoverage.verify(List.of(ParityCheck.declaration()), Path.of("src", "main", "java"), "PARITY_[A-Z0-9_]+", Set.of(),
                Parity::link);
    }
}
