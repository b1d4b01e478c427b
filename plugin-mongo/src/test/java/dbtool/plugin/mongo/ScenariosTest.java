package dbtool.plugin.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.report.Report;
import dbtool.spi.Credentials;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.testkit.PluginRun;
import dbtool.testkit.Reports;
import dbtool.testkit.mongo.FakeMongod;
import dbtool.testkit.mongo.MongoScenario;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The recorded incidents end to end through the real driver, one server switched between scenarios. */
class ScenariosTest {

    static FakeMongod server;

    @BeforeAll
    static void start() {
        server = FakeMongod.start(MongoScenario.healthyStandalone());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void healthyStandaloneIsOk() {
        server.scenario(MongoScenario.healthyStandalone());

        Report report = Troubleshoot.run(server.url());

        Reports.assertNoUnknown(report);
        assertEquals(Severity.OK, report.status(), Reports.describe(report));
        assertEquals(0, report.exitCode());
        Map<String, Object> activity = Reports.check(report, "activity").metrics();
        assertTrue((Double) activity.get("query_per_second") > 0, "rates over a sample of the growing counters: " + activity);
    }

    @Test
    void cachePressureTicketsAndConnections() {
        server.scenario(MongoScenario.cachePressure());

        Report report = Troubleshoot.run(server.url() + "shop");

        Reports.assertNoUnknown(report);
        assertEquals(Severity.CRITICAL, Reports.require(report, "MONGO_CACHE_PRESSURE").severity());
        assertEquals(Severity.CRITICAL, Reports.require(report, "MONGO_TICKETS_EXHAUSTED").severity());
        assertEquals(Severity.CRITICAL, Reports.require(report, "MONGO_CONNECTIONS_NEAR_LIMIT").severity());
        assertEquals(Severity.WARNING, Reports.require(report, "MONGO_PAGE_FAULTS").severity());
        assertTrue(Reports.require(report, "MONGO_PROFILER_SLOW_QUERIES").detail().contains("COLLSCAN"));
        assertEquals(2, report.exitCode());
    }

    @Test
    void laggingSecondaryWithAShortOplogWindow() {
        server.scenario(MongoScenario.laggingSecondary());
        // Seed list of the set: the driver still talks to this one server, which says it is a secondary.
        Report report = PluginRun.run(new MongoPlugin(), server.url() + "?directConnection=true&replicaSet=rs0",
                Credentials.none(), Map.of(), Duration.ofSeconds(10));

        Reports.assertNoUnknown(report);
        Finding lag = Reports.require(report, "MONGO_REPLICATION_LAG");
        assertTrue(lag.title().contains("db2.example.net:27017 by 3 min 9 s"), lag.title());
        assertEquals(Severity.WARNING, Reports.require(report, "MONGO_OPLOG_WINDOW_SHORT").severity());
        assertTrue(Reports.require(report, "MONGO_CONNECTED").title().contains("SECONDARY of replica set rs0"));
        assertEquals(Severity.WARNING, Reports.require(report, "MONGO_NO_PRIMARY_REACHABLE").severity());
    }
}
