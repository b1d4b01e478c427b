package dbtool.plugin.postgres.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.report.Report;
import dbtool.plugin.postgres.PostgresPlugin;
import dbtool.spi.Credentials;
import dbtool.spi.DemoScenario;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.testkit.PluginRun;
import dbtool.testkit.Reports;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each demo scenario stages the incident its chapter of the Book teaches, and dbtool finds it with
 * the scenario's own thresholds: a reader who runs 'dbtool demo --scenario NAME' sees what the
 * chapter describes.
 */
class DemoScenariosTest {

    private static Report diagnose(DemoScenario scenario) throws Exception {
        PrintStream progress = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try (DemoScenario.Running running = scenario.start(progress)) {
            return PluginRun.run(new PostgresPlugin(), running.url().toString(), Credentials.none(), running.thresholds(),
                    Duration.ofSeconds(10));
        }
    }

    @Test
    void lockQueueShowsTheAlterTableBetweenTheReportAndTheReaders() throws Exception {
        Finding chain = Reports.require(diagnose(new LockQueueDemo()), "PG_BLOCKING_CHAIN");
        assertEquals(Severity.WARNING, chain.severity(), "the head is an active report, which will finish");
        assertEquals(2, chain.evidence().get("blockedSessions"));
        assertTrue(chain.evidence().get("blockingTree").toString().contains("ALTER TABLE invoices"), chain.toString());
    }

    @Test
    void pileUpIsNearTheConnectionLimit() throws Exception {
        Finding headroom = Reports.require(diagnose(new PileUpDemo()), "PG_CONNECTIONS_NEAR_LIMIT");
        assertEquals(Severity.WARNING, headroom.severity());
        assertEquals(16L, ((Number) headroom.evidence().get("connections")).longValue(), headroom.toString());
    }

    @Test
    void longQueryIsReportedWithTheScenariosThreshold() throws Exception {
        Report report = diagnose(new LongQueryDemo());
        Finding query = Reports.require(report, "PG_LONG_QUERY");
        assertTrue(query.title().contains("nightly-report"), query.title());
        assertTrue(Reports.finding(report, "PG_BLOCKING_CHAIN").isEmpty(), "one incident per scenario");
    }

    @Test
    void scenarioNamesAreDistinctAndTheDefaultComesFirst() {
        List<DemoScenario> scenarios = List.of(new PostgresDemo(), new LockQueueDemo(), new PileUpDemo(), new LongQueryDemo());
        assertEquals("incident", scenarios.getFirst().name());
        assertEquals(scenarios.size(), scenarios.stream().map(DemoScenario::name).distinct().count());
        scenarios.forEach(s -> assertTrue(s.name().matches("[a-z]+(-[a-z]+)*"), s.name()));
    }
}
