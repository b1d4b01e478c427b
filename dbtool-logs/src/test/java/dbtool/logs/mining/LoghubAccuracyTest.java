package dbtool.logs.mining;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Guards the miner's accuracy on Loghub-2k with its one configuration (bench/logs/results.md has
 * the table). The data lives in ../shared/datasets, outside the repository; without it the test
 * is skipped.
 */
class LoghubAccuracyTest {

    @Test
    void oneConfigurationGroupsEverySystemWell() throws Exception {
        Optional<Path> dataset = Loghub.dataset();
        assumeTrue(dataset.isPresent(), "../shared/datasets/loghub-2k not found");
        List<Loghub.Score> scores = Loghub.scoreAll(dataset.get());
        double ga = scores.stream().mapToDouble(Loghub.Score::ga).average().orElseThrow();
        double pa = scores.stream().mapToDouble(Loghub.Score::pa).average().orElseThrow();
        assertTrue(ga >= 0.96, "average grouping accuracy " + ga);
        assertTrue(pa >= 0.85, "average parsing accuracy " + pa);
        for (Loghub.Score score : scores) {
            assertTrue(score.ga() >= 0.85, score.system() + " grouping accuracy " + score.ga());
        }
    }
}
