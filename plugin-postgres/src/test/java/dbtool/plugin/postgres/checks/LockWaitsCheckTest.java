package dbtool.plugin.postgres.checks;

import static dbtool.testkit.CheckFixtures.context;
import static dbtool.testkit.CheckFixtures.only;
import static dbtool.testkit.CheckFixtures.row;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The lock-waits check's reading of pg_locks grouped by object and mode (count(*) and the
 * ::bigint wait as Long) and of pg_blocking_pids() edges (int[] as a list of Longs); the same
 * columns on PostgreSQL 12 and 17.
 */
class LockWaitsCheckTest {

    static final List<Map<String, Object>> WAITS = List.of(
            row("object", "orders", "mode", "RowExclusiveLock", "waiting", 3L, "longest_wait_seconds", 12L),
            row("object", "transactionid", "mode", "ShareLock", "waiting", 1L, "longest_wait_seconds", 4L));

    @Test
    void headBlockersComeFromTheEdgesIncludingAPreparedTransactionAndARing() {
        List<Map<String, Object>> edges = List.of(
                row("pid", 11L, "blocked_by", List.of(12L)),
                row("pid", 12L, "blocked_by", List.of(11L)),
                row("pid", 13L, "blocked_by", List.of(11L)),
                row("pid", 14L, "blocked_by", List.of(0L)),
                row("pid", 15L, "blocked_by", List.of(14L)));
        CheckResult result = LockWaitsCheck.interpret(WAITS, edges, context());
        Finding finding = only(result);
        assertEquals(Severity.WARNING, finding.severity(), "12 s is past lock_wait_warning_seconds (5)");
        assertEquals("4 lock requests wait, most on orders (RowExclusiveLock); the longest for 12 s", finding.title());
        // 0 (the prepared transaction) waits for nobody; 14 waits itself; the ring 11 <-> 12 is headed by its first blocker.
        assertEquals(List.of(0L, 12L), finding.evidence().get("headBlockers"));
        assertEquals(WAITS, finding.evidence().get("waits"));
        assertEquals(4L, result.metrics().get("lock_waits"));
        assertEquals(12L, result.metrics().get("longest_wait_seconds"));
    }

    @Test
    void shortWaitsAreANote() {
        Finding finding = only(LockWaitsCheck.interpret(WAITS.subList(1, 2), List.of(row("pid", 20L, "blocked_by", List.of(21L))), context()));
        assertEquals(Severity.INFO, finding.severity());
        assertEquals("1 lock request waits, most on transactionid (ShareLock); the longest for 4 s", finding.title());
        assertEquals(List.of(21L), finding.evidence().get("headBlockers"));
        assertEquals(Severity.WARNING, only(LockWaitsCheck.interpret(WAITS.subList(1, 2), List.of(), context("lock_wait_warning_seconds", "4"))).severity());
    }

    @Test
    void noWaitsNoFinding() {
        CheckResult result = LockWaitsCheck.interpret(List.of(), List.of(), context());
        assertEquals(List.of(), result.findings());
        assertEquals(0L, result.metrics().get("lock_waits"));
    }
}
