package dbtool.monitoring.anomaly;

import dbtool.testkit.PlaybookCoverage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The anomaly check's finding code is declared, has its playbook under docs/playbooks (the five sections, the
 * thresholds) and its findings link there, as every engine's codes do.
 */
class PlaybooksTest {

    @Test
    void theAnomalyCodeHasAPlaybookThatItsFindingsLinkTo() throws IOException {
        PlaybookCoverage.verify(List.copyOf(new AnomalyCheck.Contributor().checks(null)), Path.of("src", "main", "java"),
                "METRIC_[A-Z0-9_]+", Set.of(), null);
    }
}
