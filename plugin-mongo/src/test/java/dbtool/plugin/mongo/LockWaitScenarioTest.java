package dbtool.plugin.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.report.Report;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.testkit.Reports;
import dbtool.testkit.mongo.FakeMongod;
import dbtool.testkit.mongo.MongoScenario;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The lock-wait incident end to end through the real driver: a validate({full: true}) holds the
 * exclusive lock on shop.orders and three application operations wait behind it.
 */
class LockWaitScenarioTest {

    static FakeMongod server;
    static Report report;

    @BeforeAll
    static void start() {
        server = FakeMongod.start(MongoScenario.lockWait());
        report = Troubleshoot.run(server.url());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void reportNamesTheHoldingAndTheWaitingOperations() {
        Finding waits = Reports.require(report, "MONGO_LOCK_WAITS");

        assertEquals(Severity.CRITICAL, waits.severity(), "a 75 s wait is past lock_wait_critical_seconds");
        assertEquals(List.of(4711L), waits.evidence().get("headBlockers"));
        assertEquals(List.of(4725L, 4731L, 4740L), waits.evidence().get("waitingOperations"));
        assertTrue(waits.title().contains("opid 4711"), waits.title());
        assertTrue(waits.title().contains("validate"), waits.title());
        assertTrue(waits.recommendation().startsWith("db.killOp(4711)"), waits.recommendation());

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> tree = (List<Map<String, Object>>) waits.evidence().get("blockingTree");
        assertEquals(1, tree.size());
        assertEquals(4711L, tree.getFirst().get("opid"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> blocked = (List<Map<String, Object>>) tree.getFirst().get("blocked");
        assertEquals(List.of(4725L, 4731L, 4740L), blocked.stream().map(n -> n.get("opid")).toList());
    }

    @Test
    void textReportDrawsTheTreeWithHolderAndWaiters() {
        String text = Reports.text(report);

        assertTrue(text.contains("opid 4711 holding Collection W on shop.orders, running 5 min 12 s, MongoDB Shell from 10.0.4.17:53122"), text);
        assertTrue(text.contains("opid 4725 waiting for Collection w on shop.orders, running 1 min 15 s, orders-api"), text);
        assertTrue(text.contains("opid 4740 waiting for Collection w on shop.orders"), text);
        assertTrue(text.contains("Do: db.killOp(4711)"), text);
    }

    @Test
    void everyCheckRanAndTheReportIsCritical() {
        Reports.assertNoUnknown(report);
        assertEquals(Severity.CRITICAL, report.status());
        Reports.require(report, "MONGO_CONNECTED");
        Reports.require(report, "MONGO_STANDALONE");
    }

    @Test
    void monitoringAndServerThreadsAreNotSlowOperations() {
        // hello with maxAwaitTimeMS (8 s) and the TTL monitor are below or outside the threshold anyway;
        // the 312 s validate is the one slow client operation.
        Finding slow = Reports.require(report, "MONGO_SLOW_OPERATION");
        assertEquals(List.of(4711L, 4725L), slow.evidence().get("opids"));
    }
}
