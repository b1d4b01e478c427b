package dbtool.plugin.postgres.checks;

import static dbtool.testkit.CheckFixtures.context;
import static dbtool.testkit.CheckFixtures.only;
import static dbtool.testkit.CheckFixtures.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL checks' interpretation of rows, without a server: rows shaped as pgjdbc returns
 * each query's columns (bigint as Long, integer as Integer, float8 as Double, ::text as String),
 * on PostgreSQL 12 and 17 where the queries differ. What only a server shows (the queries
 * themselves, permissions, a real lock) stays in the cluster tests.
 */
class InterpretationTest {

    @Test
    void checkpointsReadTheSameFromPostgres12And17Columns() {
        // BEFORE_17 (pg_stat_bgwriter.checkpoints_timed/_req) and SINCE_17 (pg_stat_checkpointer.num_timed/num_requested)
        // are aliased to the same columns; both are bigint.
        Map<String, Object> pg12 = row("timed", 3L, "requested", 17L, "max_wal_size", "1GB");
        Map<String, Object> pg17 = row("timed", 3L, "requested", 17L, "max_wal_size", "1GB");
        for (Map<String, Object> shape : List.of(pg12, pg17)) {
            Finding finding = only(CheckpointsCheck.interpret(shape, context()));
            assertEquals("PG_CHECKPOINTS_REQUESTED", finding.code());
            assertEquals(Severity.WARNING, finding.severity());
            assertEquals("85% of checkpoints were forced by WAL volume (17 of 20)", finding.title());
            assertEquals("1GB", finding.evidence().get("maxWalSize"));
        }
        assertEquals(List.of(), CheckpointsCheck.interpret(row("timed", 1L, "requested", 8L, "max_wal_size", "1GB"), context()).findings(),
                "fewer than checkpoints_min_count (10) checkpoints say nothing yet");
        assertEquals(List.of(), CheckpointsCheck.interpret(pg12, context("checkpoints_requested_ratio", "0.9")).findings());
    }

    @Test
    void preparedTransactionsHaveNoHeadBlockerAndTheirGidsAreQuoted() {
        List<Map<String, Object>> prepared = List.of(
                row("gid", "order's-42", "owner", "app", "database", "shop", "xid", "7451", "age_seconds", 4000L, "locks_held", 3L),
                row("gid", "order-43", "owner", "app", "database", "shop", "xid", "7460", "age_seconds", 120L, "locks_held", 0L));
        CheckResult result = PreparedTransactionsCheck.interpret(prepared, context());
        Finding finding = only(result);
        assertEquals(Severity.CRITICAL, finding.severity(), "the oldest is past prepared_xact_critical_seconds (3600)");
        assertEquals("2 prepared transactions open, the oldest for 1 h 6 min", finding.title());
        assertEquals(List.of(), finding.evidence().get("headBlockers"), "no backend (pid 0 in pg_blocking_pids) holds their locks");
        assertEquals(List.of("order's-42", "order-43"), finding.evidence().get("gids"));
        assertTrue(finding.recommendation().contains("COMMIT PREPARED 'order''s-42'; or ROLLBACK PREPARED 'order''s-42';"),
                finding.recommendation());
        assertEquals(2, result.metrics().get("prepared_transactions"));
        assertEquals(Severity.INFO, only(PreparedTransactionsCheck.interpret(prepared.subList(1, 2), context())).severity());
        assertEquals(List.of(), PreparedTransactionsCheck.interpret(List.of(), context()).findings());
    }

    @Test
    void longQueriesAreRankedByTheLongestAndCriticalFromTheThreshold() {
        List<Map<String, Object>> rows = List.of(
                row("pid", 4242, "user", "app", "application", "billing", "seconds", 1000L, "wait_event_type", "Lock"),
                row("pid", 4243, "user", "app", "application", "report", "seconds", 70L, "wait_event_type", null));
        Finding finding = only(LongQueriesCheck.interpret(rows, context()));
        assertEquals(Severity.CRITICAL, finding.severity());
        assertEquals("2 statements have run longer than 1 min; the longest for 16 min 40 s (pid 4242, billing)", finding.title());
        assertEquals(List.of(4242L, 4243L), finding.evidence().get("pids"));
        assertTrue(finding.recommendation().startsWith("If a statement should not run this long, cancel it (its transaction rolls back): "
                + "SELECT pg_cancel_backend(4242); SELECT pg_cancel_backend(4243);"), finding.recommendation());
        assertEquals(Severity.WARNING, only(LongQueriesCheck.interpret(rows, context("long_query_critical_seconds", "1200"))).severity());
    }

    @Test
    void idleInTransactionNamesOnlyTheSessionsThatBlockOthersAsHeadBlockers() {
        List<Map<String, Object>> rows = List.of(
                row("pid", 101, "idle_seconds", 950L, "locks_held", 4L, "blocking_others", true),
                row("pid", 102, "idle_seconds", 61L, "locks_held", 1L, "blocking_others", false),
                row("pid", 103, "idle_seconds", 5L, "locks_held", 1L, "blocking_others", true));
        CheckResult result = IdleInTransactionCheck.interpret(rows, context());
        Finding finding = only(result);
        assertEquals(Severity.CRITICAL, finding.severity());
        assertEquals("2 sessions have been idle in a transaction for up to 15 min 50 s, holding 5 locks", finding.title());
        assertEquals(List.of(101L), finding.evidence().get("headBlockers"), "pid 103 is under the threshold, 102 blocks nobody");
        assertEquals(List.of(101L, 102L), finding.evidence().get("pids"));
        assertEquals(3, result.metrics().get("idle_in_transaction"));
        assertEquals(950L, result.metrics().get("longest_idle_seconds"));
    }

    @Test
    void wraparoundTakesTheWorstOfXidAndMultixactAge() {
        // age() and mxid_age() cast to bigint, sorted by xid age: the multixact age may be the worse one.
        List<Map<String, Object>> ages = List.of(row("database", "shop", "xid_age", 1_600_000_000L, "mxid_age", 1_000L),
                row("database", "postgres", "xid_age", 300L, "mxid_age", 2L));
        CheckResult result = WraparoundCheck.interpret(ages, context());
        Finding finding = only(result);
        assertEquals(Severity.CRITICAL, finding.severity());
        assertEquals("Database shop is 1600000000 transactions from its last freeze (75% of the way to wraparound)", finding.title());
        assertEquals(1_600_000_000L, result.metrics().get("max_xid_age"));
        assertEquals(List.of(), WraparoundCheck.interpret(ages, context("xid_age_warning", "2000000000")).findings());
    }

    @Test
    void tempFilesAreANoteBelowTheThresholdAndAWarningFromIt() {
        List<Map<String, Object>> rows = List.of(row("database", "shop", "temp_files", 12L, "temp_bytes", 3L * 1024 * 1024 * 1024),
                row("database", "dw", "temp_files", 30L, "temp_bytes", 8L * 1024 * 1024 * 1024));
        Finding finding = only(TempFilesCheck.interpret(rows, context()));
        assertEquals(Severity.WARNING, finding.severity(), "11 GiB in total is past temp_bytes_warning (10 GiB)");
        assertTrue(finding.title().startsWith("42 temporary files ("), finding.title());
        assertEquals(Severity.INFO, only(TempFilesCheck.interpret(rows.subList(0, 1), context())).severity());
    }

    @Test
    void cacheHitJudgesOnlyDatabasesWithEnoughTraffic() {
        List<Map<String, Object>> rows = List.of(
                row("database", "dw", "blks_hit", 800_000L, "blks_read", 200_000L, "hit_ratio", 0.8),
                row("database", "idle", "blks_hit", 10L, "blks_read", 90L, "hit_ratio", 0.1),
                row("database", "template1", "blks_hit", 0L, "blks_read", 0L, "hit_ratio", null));
        CheckResult result = CacheHitCheck.interpret(rows, context());
        Finding finding = only(result);
        assertEquals("Cache hit ratio of dw is 80.0% (below 90%)", finding.title());
        assertEquals(List.of(rows.getFirst()), finding.evidence().get("databases"), "idle has fewer than cache_hit_min_blocks accesses");
        assertEquals(0.7999, result.metrics().get("hit_ratio"), "over every database: 800010 hits of 1000100 accesses");
    }

    @Test
    void exclusiveLocksNameTheirHoldersAsHeadBlockers() {
        List<Map<String, Object>> held = List.of(
                row("pid", 77, "relation", "orders", "xact_seconds", 30L),
                row("pid", 77, "relation", "orders_pkey", "xact_seconds", 30L));
        Finding finding = only(ExclusiveLocksCheck.interpret(held, context()));
        assertEquals(Severity.WARNING, finding.severity());
        assertEquals("ACCESS EXCLUSIVE held on orders, orders_pkey for up to 30 s", finding.title());
        assertEquals(List.of(77L), finding.evidence().get("headBlockers"));
        assertEquals(Severity.INFO, only(ExclusiveLocksCheck.interpret(held, context("access_exclusive_warning_seconds", "60"))).severity());
    }

    @Test
    void longTransactionsAndTheXminHorizonOfAPreparedTransaction() {
        List<Map<String, Object>> oldest = List.of(
                row("pid", 300, "state", "idle in transaction", "xact_seconds", 4000L),
                row("pid", 301, "state", "active", "xact_seconds", 400L),
                row("pid", 302, "state", "active", "xact_seconds", 10L));
        // A prepared transaction holds the horizon with no session (its pid would be 0): the holder is its gid.
        List<Map<String, Object>> holders = List.of(
                row("kind", "prepared transaction", "holder", "order's-42", "xmin_age", 60_000_000L, "seconds", 4100L));
        CheckResult result = LongTransactionsCheck.interpret(oldest, holders, context());
        assertEquals(2, result.findings().size(), result.findings().toString());
        Finding longTransaction = result.findings().get(0);
        assertEquals("PG_LONG_TRANSACTION", longTransaction.code());
        assertEquals(Severity.CRITICAL, longTransaction.severity());
        assertEquals("A transaction has been open for 1 h 6 min (pid 300, idle in transaction)", longTransaction.title());
        assertEquals(List.of(300L, 301L), longTransaction.evidence().get("pids"));
        Finding horizon = result.findings().get(1);
        assertEquals("PG_XMIN_HORIZON", horizon.code());
        assertEquals("The xmin horizon is 60000000 transactions old, held by prepared transaction order's-42", horizon.title());
        assertEquals("COMMIT PREPARED or ROLLBACK PREPARED 'order''s-42' after asking its transaction manager.", horizon.recommendation());
        assertEquals(4000L, result.metrics().get("longest_transaction_seconds"));
        assertEquals(60_000_000L, result.metrics().get("oldest_xmin_age"));
        assertEquals(List.of(), LongTransactionsCheck.interpret(List.of(), List.of(), context()).findings());
    }
}
