package dbtool.plugin.snowflake.checks;

import static dbtool.plugin.snowflake.checks.Fixtures.NOW;
import static dbtool.testkit.CheckFixtures.context;
import static dbtool.testkit.CheckFixtures.require;
import static dbtool.testkit.CheckFixtures.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SHOW LOCKS, SHOW TRANSACTIONS and QUERY_HISTORY rows turned into a blocking forest. */
class BlockedTransactionsInterpretationTest {

    private static Map<String, Object> lock(String resource, long txn, String status, Duration acquired) {
        return row("resource", resource, "type", "PARTITIONS", "transaction", txn, "transaction_started_on", NOW.minus(acquired),
                "status", status, "acquired_on", NOW.minus(acquired), "query_id", "q-" + txn);
    }

    private static Map<String, Object> transaction(long id, String user, Duration age) {
        return row("id", id, "user", user, "session", id % 1000, "name", "", "started_on", NOW.minus(age), "state", "running", "scope", 0L);
    }

    private static CheckResult interpret(List<Map<String, Object>> locks, List<Map<String, Object>> transactions,
                                         List<Map<String, Object>> blocked, boolean accountWide) {
        return BlockedTransactionsCheck.interpret(new BlockedTransactionsCheck.Snapshot(locks, transactions, blocked, accountWide, null),
                context(), NOW);
    }

    @Test
    void noLocksIsHealthy() {
        CheckResult result = interpret(List.of(), List.of(transaction(1, "A", Duration.ofMinutes(1))), List.of(), true);
        assertEquals(Severity.OK, result.status());
        assertTrue(result.findings().isEmpty());
        assertEquals(0, result.metrics().get("blocked_transactions"));
    }

    @Test
    void aShortWaitBehindOneHolderIsAWarningWithItsAbortStatement() {
        CheckResult result = interpret(
                List.of(lock("DB.S.T", 100, "HOLDING", Duration.ofMinutes(3)), lock("DB.S.T", 200, "WAITING", Duration.ofSeconds(20))),
                List.of(transaction(100, "ANALYST", Duration.ofMinutes(3)), transaction(200, "ETL", Duration.ofSeconds(20))), List.of(), true);
        Finding blocked = require(result, "SF_BLOCKED_TRANSACTIONS");
        assertEquals(Severity.WARNING, blocked.severity());
        assertEquals(List.of(100L), blocked.evidence().get("headBlockers"));
        assertEquals(20L, blocked.evidence().get("longestWaitSeconds"));
        assertTrue(blocked.recommendation().startsWith("SELECT SYSTEM$ABORT_TRANSACTION(100);"), blocked.recommendation());
        assertTrue(blocked.title().contains("transaction 100 (user ANALYST, open 3 min)"), blocked.title());
    }

    @Test
    void chainsNestUnderTheirHeadAndLongWaitsAreCritical() {
        CheckResult result = interpret(List.of(
                        lock("DB.S.A", 1, "HOLDING", Duration.ofHours(2)),
                        lock("DB.S.A", 2, "WAITING", Duration.ofMinutes(10)),
                        lock("DB.S.B", 2, "HOLDING", Duration.ofMinutes(10)),
                        lock("DB.S.B", 3, "WAITING", Duration.ofMinutes(5))),
                List.of(transaction(1, "JO", Duration.ofHours(2)), transaction(2, "ETL", Duration.ofMinutes(10)), transaction(3, "ETL", Duration.ofMinutes(5))),
                List.of(), true);
        Finding blocked = require(result, "SF_BLOCKED_TRANSACTIONS");
        assertEquals(Severity.CRITICAL, blocked.severity());
        assertEquals(List.of(1L), blocked.evidence().get("headBlockers"));
        @SuppressWarnings("unchecked")
        Map<String, Object> head = ((List<Map<String, Object>>) blocked.evidence().get("blockingTree")).getFirst();
        assertTrue(String.valueOf(head.get("label")).startsWith("txn 1 running, open 2 h, holds DB.S.A"), String.valueOf(head.get("label")));
        @SuppressWarnings("unchecked")
        Map<String, Object> middle = ((List<Map<String, Object>>) head.get("blocked")).getFirst();
        assertEquals(2L, middle.get("transaction"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> leaves = (List<Map<String, Object>>) middle.get("blocked");
        assertEquals(3L, leaves.getFirst().get("transaction"));
    }

    @Test
    void aDeadlockStillNamesOneHead() {
        CheckResult result = interpret(List.of(
                        lock("A", 1, "HOLDING", Duration.ofMinutes(1)), lock("A", 2, "WAITING", Duration.ofSeconds(5)),
                        lock("B", 2, "HOLDING", Duration.ofMinutes(1)), lock("B", 1, "WAITING", Duration.ofSeconds(5))),
                List.of(), List.of(), true);
        assertEquals(1, ((List<?>) require(result, "SF_BLOCKED_TRANSACTIONS").evidence().get("headBlockers")).size());
    }

    @Test
    void blockedQueriesWhoseHoldersAreInvisibleStillCarryHeadBlockers() {
        CheckResult result = interpret(List.of(), List.of(), List.of(row("QUERY_ID", "q1", "SESSION_ID", 5L, "USER_NAME", "BI",
                "WAREHOUSE_NAME", "WH", "EXECUTION_STATUS", "BLOCKED", "START_TIME", NOW.minusSeconds(400), "ELAPSED_SECONDS", 400L,
                "QUERY_TEXT", "UPDATE t\n  SET x = 1")), false);
        Finding blocked = require(result, "SF_BLOCKED_TRANSACTIONS");
        assertEquals(Severity.CRITICAL, blocked.severity());
        assertEquals(List.of(), blocked.evidence().get("headBlockers"));
        assertTrue(blocked.detail().contains("only its own locks"));
        @SuppressWarnings("unchecked")
        Map<String, Object> query = ((List<Map<String, Object>>) blocked.evidence().get("blockedQueries")).getFirst();
        assertEquals("UPDATE t SET x = 1", query.get("query"));
    }

    @Test
    void anOldTransactionWithoutWaitersIsAWarning() {
        CheckResult result = interpret(List.of(lock("DB.S.T", 9, "HOLDING", Duration.ofHours(3))),
                List.of(transaction(9, "NOTEBOOK", Duration.ofHours(3)), transaction(10, "ETL", Duration.ofMinutes(2))), List.of(), true);
        Finding old = require(result, "SF_LONG_TRANSACTION");
        assertEquals(Severity.WARNING, old.severity());
        assertEquals(List.of(), old.evidence().get("headBlockers"));
        assertTrue(old.recommendation().contains("SELECT SYSTEM$ABORT_TRANSACTION(9);"), old.recommendation());
    }
}
