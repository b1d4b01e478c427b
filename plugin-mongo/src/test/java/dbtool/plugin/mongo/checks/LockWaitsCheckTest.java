package dbtool.plugin.mongo.checks;

import static dbtool.plugin.mongo.checks.Fixtures.reply;
import static dbtool.testkit.CheckFixtures.context;
import static dbtool.testkit.CheckFixtures.require;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** Reading currentOp replies shaped like the MongoDB documentation's examples. */
class LockWaitsCheckTest {

    @Test
    void quietServerHasNoLockFinding() {
        CheckResult result = LockWaitsCheck.interpret(reply("currentop-quiet"), context());

        assertTrue(result.findings().isEmpty(), result.findings().toString());
        assertEquals(0, result.metrics().get("waiting_for_lock"));
    }

    @Test
    void exclusiveCollectionLockHolderIsTheHeadOfAllItsWaiters() {
        Finding waits = require(LockWaitsCheck.interpret(reply("currentop-lock-wait"), context()), "MONGO_LOCK_WAITS");

        assertEquals(List.of(4711L), waits.evidence().get("headBlockers"));
        assertEquals(List.of(4725L, 4731L, 4740L), waits.evidence().get("waitingOperations"));
        assertEquals(75L, waits.evidence().get("longestWaitSeconds"));
        assertEquals(Severity.CRITICAL, waits.severity());
    }

    @Test
    void fewShortWaitsAreAWarning() {
        Finding waits = require(LockWaitsCheck.interpret(reply("currentop-lock-wait"),
                context(Map.of("lock_wait_critical_seconds", "600"))), "MONGO_LOCK_WAITS");

        assertEquals(Severity.WARNING, waits.severity());
    }

    @Test
    void ddlQueuedBehindAnIdleTransactionBlocksTheReadersBehindIt() {
        Finding waits = require(LockWaitsCheck.interpret(reply("currentop-ddl-behind-transaction"), context()), "MONGO_LOCK_WAITS");

        assertEquals(List.of(), waits.evidence().get("headBlockers"), "an idle session has no opid");
        assertEquals(List.of("c95ab7c6-b61f-4749-8ed2-027ab56e21f2"), waits.evidence().get("headBlockerSessions"));
        assertEquals(Severity.CRITICAL, waits.severity(), "an idle head never finishes by itself");
        @SuppressWarnings("unchecked")
        Map<String, Object> head = ((List<Map<String, Object>>) waits.evidence().get("blockingTree")).getFirst();
        Map<String, Object> ddl = children(head).getFirst();
        assertEquals(9101L, ddl.get("opid"));
        assertTrue(ddl.get("label").toString().contains("likely blocker"), "the transaction's namespace is not shown: " + ddl.get("label"));
        assertEquals(9120L, children(ddl).getFirst().get("opid"), "the reader queues behind the pending exclusive request");
        assertTrue(waits.recommendation().startsWith("db.adminCommand({killSessions: [{id: UUID(\"c95ab7c6-b61f-4749-8ed2-027ab56e21f2\")}]})"),
                waits.recommendation());
    }

    @Test
    void fsyncLockedServerIsCritical() {
        Document reply = reply("currentop-quiet").append("fsyncLock", true);

        Finding locked = require(LockWaitsCheck.interpret(reply, context()), "MONGO_FSYNC_LOCKED");

        assertEquals(Severity.CRITICAL, locked.severity());
        assertTrue(locked.recommendation().contains("db.fsyncUnlock()"));
    }

    @Test
    void lockModesConflictAsMongoDbDocumentsThem() {
        assertFalse(LockGraph.conflicts('r', 'w'));
        assertFalse(LockGraph.conflicts('w', 'w'));
        assertFalse(LockGraph.conflicts('R', 'r'));
        assertTrue(LockGraph.conflicts('R', 'w'));
        assertTrue(LockGraph.conflicts('W', 'r'));
        assertTrue(LockGraph.conflicts('r', 'W'));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> children(Map<String, Object> node) {
        return (List<Map<String, Object>>) node.get("blocked");
    }
}
