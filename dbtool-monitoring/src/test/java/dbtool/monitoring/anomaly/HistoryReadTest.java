package dbtool.monitoring.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dbtool.core.Environment;
import dbtool.core.config.Config;
import dbtool.core.plugin.PluginRegistry;
import dbtool.serve.store.StateStore;
import dbtool.serve.store.StoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four weeks of 40 gauges in a real embedded store, as dbtool serve keeps them: a troubleshoot reads only the periods
 * its baselines need (three earlier weeks' same hour and the last 6 hours: 108 values a metric, not 8064). The time it
 * took and the store's size go to target/history-read.md for bench/monitoring/anomalies.md; nothing here asserts a time.
 */
class HistoryReadTest {

    @TempDir
    Path home;

    @Test
    void aJudgementReadsAFewHundredValuesPerMetricFromFourWeeksOfHistory() throws Exception {
        Environment environment = new Environment(Map.of("XDG_DATA_HOME", home.toString()), home, "Linux", null);
        Set<String> families = new TreeSet<>();
        for (int m = 0; m < 40; m++) {
            families.add("dbtool_gauge_" + m);
        }
        Instant now = Instant.parse("2026-12-07T09:20:00Z");
        StringBuilder report = new StringBuilder();
        try (StateStore store = StoreConfig.of(Config.empty(), environment).open(environment, PluginRegistry.ofLoaded(List.of()),
                Clock.systemUTC())) {
            long started = System.nanoTime();
            int rows = 0;
            for (Instant at = now.minus(Duration.ofDays(28)); at.isBefore(now); at = at.plus(Duration.ofMinutes(5))) {
                Map<String, Double> values = new HashMap<>();
                for (String family : families) {
                    values.put(family, 100.0 + rows % 7);
                }
                store.saveMetrics("orders", at, values);
                rows++;
            }
            report.append(String.format(Locale.ROOT, "Kept 28 days of 40 gauges (%d rows) in %d ms.%n", rows, (System.nanoTime() - started) / 1_000_000));
            AnomalyDetector detector = new AnomalyDetector(AnomalyDetector.Settings.defaults(), ZoneOffset.UTC);
            StoreHistory source = new StoreHistory(store);
            long best = Long.MAX_VALUE;
            for (int round = 0; round < 5; round++) {
                long start = System.nanoTime();
                Instant oldest = source.oldest("orders").orElseThrow();
                Map<String, List<Point>> history = source.history("orders", families, detector.needs(now, oldest));
                for (String family : families) {
                    detector.judge(family, history.get(family), new Point(now, 500), oldest);
                }
                best = Math.min(best, System.nanoTime() - start);
                assertEquals(40, history.size());
                assertEquals(3 * 12 + 72, history.get("dbtool_gauge_0").size(), "three earlier Mondays 09:00 and the last 6 hours");
            }
            report.append(String.format(Locale.ROOT, "Reading what 40 judgements need and judging them: %d ms (best of 5).%n", best / 1_000_000));
        }
        long bytes;
        try (Stream<Path> files = Files.walk(home)) {
            bytes = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        report.append(String.format(Locale.ROOT, "Store size: %.1f MB.%n", bytes / 1e6));
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "history-read.md"), report);
        System.out.print(report);
    }
}
