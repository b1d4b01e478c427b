package dbtool.monitoring.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.Environment;
import dbtool.core.config.Config;
import dbtool.core.plugin.PluginRegistry;
import dbtool.core.report.CheckReport;
import dbtool.core.run.CheckSkipped;
import dbtool.core.run.RunSoFar;
import dbtool.serve.store.StateStore;
import dbtool.serve.store.StoreConfig;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.spi.Target;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * troubleshoot's anomaly check over the history dbtool serve keeps in its (real, embedded H2) state store: this run's
 * gauges against their history, CRITICAL checks left out, skipped when there is no history.
 */
class AnomalyCheckTest {

    static final Instant NOW = Instant.parse("2026-12-07T09:00:00Z");

    @TempDir
    Path home;

    record Run(Target target, List<CheckReport> reportsSoFar) implements RunSoFar {
        @Override
        public Instant deadline() {
            return Instant.now().plusSeconds(10);
        }

        @Override
        public Map<String, String> settings() {
            return Map.of();
        }
    }

    StateStore store() {
        Environment environment = new Environment(Map.of("XDG_DATA_HOME", home.resolve("data").toString()), home, "Linux", null);
        return StoreConfig.of(Config.empty(), environment).open(environment, PluginRegistry.ofLoaded(List.of()), Clock.systemUTC());
    }

    static Run run(CheckReport... reports) {
        Target target = new Target("orders", URI.create("postgresql://db1:5432/orders"), "postgresql", "db1", 5432, "orders", List.of(), Map.of());
        return new Run(target, List.of(reports));
    }

    static CheckReport connections(Severity status, long active) {
        return new CheckReport("connections", "connections", status, 3, null, Map.of("active", active), List.of());
    }

    static CheckReport blocking(long blocked) {
        return new CheckReport("blocking", "locks", Severity.OK, 3, null, Map.of("blocked_sessions", blocked), List.of());
    }

    void keepHistory(StateStore store) {
        for (Instant at = NOW.minus(Duration.ofDays(4)); at.isBefore(NOW); at = at.plus(Duration.ofMinutes(5))) {
            store.saveMetrics("orders", at, Map.of("dbtool_connections_active", 10.0 + at.getEpochSecond() / 300 % 3,
                    "dbtool_blocked_sessions", 0.0));
        }
    }

    AnomalyCheck check(StateStore store) {
        StoreHistory history = new StoreHistory(store);
        return new AnomalyCheck(run -> new HistorySource() {
            @Override
            public Optional<Instant> oldest(String target) {
                return history.oldest(target);
            }

            @Override
            public Map<String, List<Point>> history(String target, Set<String> families, List<Period> periods) {
                return history.history(target, families, periods);
            }

            @Override
            public String description() {
                return history.description();
            }
        }, new AnomalyDetector(AnomalyDetector.Settings.defaults(), ZoneOffset.UTC), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void connectionsSixTimesTheUsualForThisHourAreAnAnomalyFinding() throws Exception {
        try (StateStore store = store()) {
            keepHistory(store);
            CheckResult result = check(store).run(null, run(connections(Severity.OK, 66), blocking(0)));
            assertEquals(1, result.findings().size(), result.toString());
            Finding finding = result.findings().getFirst();
            assertEquals("METRIC_ANOMALY", finding.code());
            assertEquals(Severity.WARNING, finding.severity());
            assertEquals("connections_active 6x the usual for 09:00 (66, usually 11)", finding.title());
            assertEquals("connections", finding.evidence().get("check"));
            assertEquals("09:00", finding.evidence().get("baseline"));
            assertEquals(2, result.metrics().get("metrics_judged"));
        }
    }

    @Test
    void aMetricOfACriticalCheckIsNotJudgedAndUsualValuesFindNothing() throws Exception {
        try (StateStore store = store()) {
            keepHistory(store);
            CheckResult critical = check(store).run(null, run(connections(Severity.CRITICAL, 66), blocking(0)));
            assertEquals(List.of(), critical.findings());
            assertEquals(1, critical.metrics().get("metrics_judged"), "only blocking's metric");
            assertEquals(List.of(), check(store).run(null, run(connections(Severity.OK, 11), blocking(0))).findings());
        }
    }

    @Test
    void withoutHistoryOrOutsideATroubleshootTheCheckIsSkipped() throws Exception {
        try (StateStore store = store()) {
            CheckSkipped none = assertThrows(CheckSkipped.class, () -> check(store).run(null, run(connections(Severity.OK, 66))));
            assertTrue(none.getMessage().contains("no metric history for orders"), none.getMessage());
            CheckContext plain = new CheckContext() {
                @Override
                public Instant deadline() {
                    return NOW;
                }

                @Override
                public Map<String, String> settings() {
                    return Map.of();
                }
            };
            assertThrows(CheckSkipped.class, () -> check(store).run(null, plain));
        }
    }
}
