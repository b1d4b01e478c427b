package dbtool.plugin.postgres.checks;

import static dbtool.testkit.CheckFixtures.context;
import static dbtool.testkit.CheckFixtures.only;
import static dbtool.testkit.CheckFixtures.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The blocking check's reading of pg_stat_activity rows with pg_blocking_pids(): pid and the
 * EXTRACT(...)::bigint ages as Long, blocked_by (int[]) as a list of Longs, as the session hands
 * them over. The columns read are the same on PostgreSQL 12 and 17.
 */
class BlockingChainCheckTest {

    static Map<String, Object> session(long pid, List<Long> blockedBy, String state, long stateSeconds, long querySeconds, String query) {
        boolean waits = !blockedBy.isEmpty();
        return row("pid", pid, "blocked_by", blockedBy, "user", "app", "application", "billing", "client", "10.0.0.7",
                "state", state, "wait_event_type", waits ? "Lock" : null, "wait_event", waits ? "transactionid" : null,
                "xact_seconds", 400L, "state_seconds", stateSeconds, "query_seconds", querySeconds, "query", query);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> blocked(Map<String, Object> node) {
        return (List<Map<String, Object>>) node.get("blocked");
    }

    @Test
    void aChainThroughABlockerThatAlsoWaitsHasOneHeadTheIdleTransaction() {
        CheckResult result = BlockingChainCheck.interpret(List.of(
                session(100, List.of(), "idle in transaction", 300, 310, "UPDATE accounts SET balance = 0 WHERE id = 1"),
                session(101, List.of(100L), "active", 20, 20, "UPDATE accounts SET balance = 1 WHERE id = 1"),
                session(102, List.of(101L), "active", 8, 8, "DELETE FROM accounts WHERE id = 1"),
                session(103, List.of(), "active", 1, 1, "SELECT 1")), "server", context());

        Finding finding = only(result);
        assertEquals("PG_BLOCKING_CHAIN", finding.code());
        assertEquals(Severity.CRITICAL, finding.severity(), "an idle-in-transaction head never finishes by itself");
        assertEquals("2 sessions are blocked behind pid 100 (idle in transaction for 5 min, billing)", finding.title());
        assertEquals(List.of(100L), finding.evidence().get("headBlockers"), "101 blocks 102 but waits itself: not a head");
        assertEquals("server", finding.evidence().get("scope"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> tree = (List<Map<String, Object>>) finding.evidence().get("blockingTree");
        assertEquals(100L, tree.getFirst().get("pid"));
        Map<String, Object> middle = blocked(tree.getFirst()).getFirst();
        assertEquals(101L, middle.get("pid"));
        assertEquals(102L, blocked(middle).getFirst().get("pid"));
        assertTrue(finding.recommendation().startsWith("SELECT pg_terminate_backend(100);  -- idle in transaction"), finding.recommendation());
        assertFalse(finding.recommendation().contains("(101)"), "only heads get a statement: " + finding.recommendation());
        assertEquals(2, result.metrics().get("blocked_sessions"));
        assertEquals(1, result.metrics().get("head_blockers"));
        assertEquals(20L, result.metrics().get("longest_wait_seconds"));
    }

    @Test
    void aPreparedTransactionIsPidZeroWithNoSessionRow() {
        // pg_blocking_pids() reports 0 for a prepared transaction: it has no backend and no pg_stat_activity row.
        Finding finding = only(BlockingChainCheck.interpret(List.of(
                session(201, List.of(0L), "active", 3, 3, "UPDATE orders SET state = 'paid' WHERE id = 42")), "database shop", context()));
        assertEquals(Severity.WARNING, finding.severity(), "one waiter for 3 s, under both thresholds");
        assertEquals("1 session is blocked behind a prepared transaction", finding.title());
        assertEquals(List.of(0L), finding.evidence().get("headBlockers"));
        @SuppressWarnings("unchecked")
        Map<String, Object> head = ((List<Map<String, Object>>) finding.evidence().get("blockingTree")).getFirst();
        assertEquals("a prepared transaction (see the prepared-transactions check)", head.get("label"));
        assertTrue(finding.recommendation().startsWith("A prepared transaction holds the lock: resolve it with COMMIT PREPARED or ROLLBACK PREPARED"),
                finding.recommendation());
        assertFalse(finding.recommendation().contains("pg_terminate_backend(0)"), finding.recommendation());
    }

    @Test
    void sessionsWaitingForEachOtherAreADeadlockInProgress() {
        CheckResult result = BlockingChainCheck.interpret(List.of(
                session(301, List.of(302L), "active", 2, 2, "UPDATE a SET x = 1"),
                session(302, List.of(301L), "active", 2, 2, "UPDATE b SET x = 1"),
                session(303, List.of(301L), "active", 1, 1, "SELECT * FROM a FOR UPDATE")), "server", context());
        Finding finding = only(result);
        assertEquals(Severity.CRITICAL, finding.severity(), "a ring does not resolve by waiting");
        assertEquals(List.of(List.of(302L, 301L)), finding.evidence().get("deadlocks"));
        assertEquals(List.of(302L), finding.evidence().get("headBlockers"), "no one outside the ring heads it: its first blocker stands as the head");
        assertTrue(finding.detail().contains("Sessions wait for each other in a ring (a deadlock in progress)"), finding.detail());
        assertEquals(3, result.metrics().get("blocked_sessions"), "every member of the ring waits, and so does 303");
    }

    @Test
    void manyWaitersOrALongWaitMakeAWorkingHeadCritical() {
        List<Map<String, Object>> two = List.of(
                session(400, List.of(), "active", 30, 30, "ALTER TABLE orders ADD COLUMN note text"),
                session(401, List.of(400L), "active", 40, 40, "SELECT * FROM orders"),
                session(402, List.of(400L), "active", 10, 10, "SELECT * FROM orders"));
        assertEquals(Severity.WARNING, only(BlockingChainCheck.interpret(two, "server", context())).severity());
        assertEquals(Severity.CRITICAL, only(BlockingChainCheck.interpret(two, "server", context("blocked_sessions_critical", "2"))).severity());
        assertEquals(Severity.CRITICAL, only(BlockingChainCheck.interpret(two, "server", context("lock_wait_critical_seconds", "40"))).severity());
        assertTrue(only(BlockingChainCheck.interpret(two, "server", context())).recommendation()
                .startsWith("SELECT pg_cancel_backend(400);  -- cancels its statement; if the lock stays, SELECT pg_terminate_backend(400);"));
    }

    @Test
    void nobodyWaitingIsHealthy() {
        CheckResult result = BlockingChainCheck.interpret(List.of(session(500, List.of(), "active", 1, 1, "SELECT 1")), "server", context());
        assertEquals(List.of(), result.findings());
        assertEquals(0, result.metrics().get("blocked_sessions"));
        assertEquals(0, result.metrics().get("head_blockers"));
    }
}
