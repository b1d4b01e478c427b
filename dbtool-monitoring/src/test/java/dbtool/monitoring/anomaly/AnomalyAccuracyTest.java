package dbtool.monitoring.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Precision and recall of the detector on synthetic series with known anomalies, several seeds each: spikes, a level
 * shift, office-hours rhythm with off-hours anomalies (found only through the hour-of-week profile), and two series
 * that must never fire (a slow drift, sparse counts). The table goes to target/anomaly-accuracy.md; bench/anomalies.md
 * records it.
 */
class AnomalyAccuracyTest {

    static final long[] SEEDS = {1, 2, 3};

    @Test
    void spikesShiftsAndOffHoursValuesAreFoundAndDriftAndSparseCountsNeverFire() throws Exception {
        AnomalyDetector detector = new AnomalyDetector(AnomalyDetector.Settings.defaults(), ZoneOffset.UTC);
        List<Scenario.Score> scores = new ArrayList<>();
        for (long seed : SEEDS) {
            for (Scenario scenario : List.of(Scenario.spikes(seed), Scenario.levelShift(seed), Scenario.dailyPattern(seed),
                    Scenario.slowDrift(seed), Scenario.sparseCounts(seed))) {
                scores.add(scenario.score(scenario.flags(detector)));
            }
        }
        int tp = 0;
        int fp = 0;
        int found = 0;
        int events = 0;
        StringBuilder table = new StringBuilder("| scenario (3 seeds each, last 7 days judged) | events | found | flag episodes | false | precision | recall |\n"
                + "|---|---|---|---|---|---|---|\n");
        for (String name : scores.stream().map(Scenario.Score::scenario).distinct().toList()) {
            List<Scenario.Score> of = scores.stream().filter(s -> s.scenario().equals(name)).toList();
            int t = of.stream().mapToInt(Scenario.Score::truePositives).sum();
            int f = of.stream().mapToInt(Scenario.Score::falsePositives).sum();
            int e = of.stream().mapToInt(Scenario.Score::events).sum();
            int fd = of.stream().mapToInt(Scenario.Score::eventsFound).sum();
            tp += t;
            fp += f;
            found += fd;
            events += e;
            table.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %s | %s |%n", name, e, fd, t + f, f,
                    t + f == 0 ? "-" : String.format(Locale.ROOT, "%.2f", (double) t / (t + f)),
                    e == 0 ? "-" : String.format(Locale.ROOT, "%.2f", (double) fd / e)));
        }
        double precision = (double) tp / (tp + fp);
        double recall = (double) found / events;
        table.append(String.format(Locale.ROOT, "| **all** | %d | %d | %d | %d | **%.2f** | **%.2f** |%n", events, found, tp + fp, fp,
                precision, recall));
        // The same rhythm without the time-of-week profiles: 100 at 03:00 is a value the whole window holds (office hours), so
        // the off-hours anomalies go unseen.
        AnomalyDetector.Settings flat = AnomalyDetector.Settings.defaults();
        flat = new AnomalyDetector.Settings(flat.window(), flat.minimumHistory(), flat.minimumPoints(), Duration.ofDays(999),
                Duration.ofDays(999), flat.threshold(), flat.minimumChange(), flat.minimumRatio(), flat.spreadFloor(), flat.recent());
        Scenario rhythm = Scenario.dailyPattern(1);
        Scenario.Score withoutProfile = rhythm.score(rhythm.flags(new AnomalyDetector(flat, ZoneOffset.UTC)));
        long started = System.nanoTime();
        Scenario.spikes(9).flags(detector);
        int judged = 7 * Scenario.PER_DAY;
        double microsEach = (System.nanoTime() - started) / 1000.0 / judged;
        table.append(String.format(Locale.ROOT, "%nWithout the hour-of-day and hour-of-week profiles, the daily pattern (seed 1): %d flag episodes, "
                + "%d false, precision %.2f, recall %.2f.%n%nOne judgement against 3 to 4 weeks of 5-minute history: %.0f us (this machine, "
                + "one thread).%n", withoutProfile.truePositives() + withoutProfile.falsePositives(), withoutProfile.falsePositives(),
                withoutProfile.precision(), withoutProfile.recall(), microsEach));
        Path report = Path.of("target", "anomaly-accuracy.md");
        Files.createDirectories(report.getParent());
        Files.writeString(report, table.toString());
        System.out.println(table);

        assertTrue(precision >= 0.9, "precision " + precision + "\n" + table);
        assertTrue(recall >= 0.9, "recall " + recall + "\n" + table);
        assertTrue(withoutProfile.recall() < 0.5, "the profiles are what finds off-hours anomalies\n" + table);
        for (Scenario.Score score : scores) {
            if (score.events() == 0) {
                assertEquals(0, score.flags(), score.scenario() + " must not fire\n" + table);
            }
        }
    }
}
