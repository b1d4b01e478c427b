package dbtool.plugin.mongo.checks;

import static dbtool.plugin.mongo.checks.Fixtures.reply;
import static dbtool.testkit.CheckFixtures.context;
import static dbtool.testkit.CheckFixtures.require;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** The checks that read serverStatus, on a healthy 7.0 reply and a 6.0 reply under cache pressure. */
class ServerStatusChecksTest {

    final Document healthy = reply("serverstatus-7.0-healthy");
    final Document pressure = reply("serverstatus-6.0-cache-pressure");

    @Test
    void healthyServerHasNoFindings() {
        assertTrue(ConnectionsCheck.interpret(healthy, context()).findings().isEmpty());
        assertTrue(WiredTigerCacheCheck.interpret(healthy, context()).findings().isEmpty());
        CheckResult tickets = TicketsCheck.interpret(healthy, context());
        assertTrue(tickets.findings().isEmpty());
        assertEquals(125L, tickets.metrics().get("read_tickets_available"), "7.0 tickets come from queues.execution");
    }

    @Test
    void cacheOverItsEvictionTriggersIsCritical() {
        Finding cache = require(WiredTigerCacheCheck.interpret(pressure, context()), "MONGO_CACHE_PRESSURE");

        assertEquals(Severity.CRITICAL, cache.severity());
        assertEquals(0.971, cache.evidence().get("usedRatio"));
        assertEquals(0.22, cache.evidence().get("dirtyRatio"));
        assertTrue(cache.title().startsWith("WiredTiger cache is 97% full and 22% dirty"), cache.title());
    }

    @Test
    void exhaustedTicketsWithAQueueAreCriticalOnSixPointZero() {
        CheckResult result = TicketsCheck.interpret(pressure, context());

        Finding tickets = require(result, "MONGO_TICKETS_EXHAUSTED");
        assertEquals(Severity.CRITICAL, tickets.severity());
        assertTrue(tickets.title().contains("read and write"), tickets.title());
        Finding queued = require(result, "MONGO_OPERATIONS_QUEUED");
        assertEquals(Severity.WARNING, queued.severity());
        assertEquals(36L, queued.evidence().get("queuedWriters"));
    }

    @Test
    void connectionsNearTheLimit() {
        Finding connections = require(ConnectionsCheck.interpret(pressure, context()), "MONGO_CONNECTIONS_NEAR_LIMIT");

        assertEquals(Severity.CRITICAL, connections.severity(), "780 of 819 is 95%");
        assertTrue(connections.title().startsWith("780 of 819"), connections.title());
    }

    @Test
    void mongosWithoutWiredTigerIsNotAFinding() {
        CheckResult result = WiredTigerCacheCheck.interpret(new Document("process", "mongos"), context());

        assertTrue(result.findings().isEmpty());
        assertEquals(false, result.metrics().get("wiredtiger"));
    }

    @Test
    void ratesComeFromTwoSamplesOverTheServersUptime() {
        Document first = reply("serverstatus-6.0-cache-pressure");
        Document second = reply("serverstatus-6.0-cache-pressure");
        second.put("uptimeMillis", first.getInteger("uptimeMillis") + 2000);
        second.get("opcounters", Document.class).put("update", 5123123 + 6000);
        second.get("extra_info", Document.class).put("page_faults", 981234 + 1000);
        second.get("asserts", Document.class).put("regular", 4);

        CheckResult result = ActivityCheck.interpret(first, second, context());

        assertEquals(3000.0, result.metrics().get("update_per_second"));
        assertEquals(500.0, require(result, "MONGO_PAGE_FAULTS").evidence().get("pageFaultsPerSecond"));
        assertEquals(Severity.WARNING, require(result, "MONGO_ASSERTS").severity());
    }

    @Test
    void aRestartBetweenSamplesGivesNoNegativeRates() {
        Document first = reply("serverstatus-7.0-healthy");
        Document second = reply("serverstatus-6.0-cache-pressure");
        second.put("uptimeMillis", first.getInteger("uptimeMillis") + 1000);

        CheckResult result = ActivityCheck.interpret(first, second, context());

        assertEquals(0.0, result.metrics().get("query_per_second"));
    }
}
