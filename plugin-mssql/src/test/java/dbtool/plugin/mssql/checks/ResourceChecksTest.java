package dbtool.plugin.mssql.checks;

import static dbtool.testkit.CheckFixtures.context;
import static dbtool.testkit.CheckFixtures.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rows shaped like sys.dm_os_wait_stats, sys.dm_os_performance_counters and sys.databases. */
class ResourceChecksTest {

    @Test
    void waitsAreTheDifferenceBetweenTwoReadings() {
        List<Map<String, Object>> before = List.of(
                row("wait_type", "LCK_M_X", "waiting_tasks_count", 10L, "wait_time_ms", 5_000L, "signal_wait_time_ms", 10L),
                row("wait_type", "PAGEIOLATCH_SH", "waiting_tasks_count", 900L, "wait_time_ms", 9_000_000L, "signal_wait_time_ms", 100L));
        List<Map<String, Object>> after = List.of(
                row("wait_type", "LCK_M_X", "waiting_tasks_count", 14L, "wait_time_ms", 25_000L, "signal_wait_time_ms", 12L),
                row("wait_type", "PAGEIOLATCH_SH", "waiting_tasks_count", 901L, "wait_time_ms", 9_000_300L, "signal_wait_time_ms", 100L));
        CheckResult result = WaitStatsCheck.interpret(before, after, 2.0, context());
        Finding finding = result.findings().getFirst();
        assertTrue(finding.title().startsWith("Top wait now: LCK_M_X (20000 ms in 2.0 s)"), finding.title());
        assertEquals(Severity.WARNING, finding.severity(), "10.15 s of waiting per second");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> waits = (List<Map<String, Object>>) finding.evidence().get("waits");
        assertEquals(List.of("LCK_M_X", "PAGEIOLATCH_SH"), waits.stream().map(w -> w.get("wait_type")).toList(),
                "since startup PAGEIOLATCH_SH dominates; now it is the lock wait");
    }

    @Test
    void onlyWaitTypesInBothReadsAreDeltasAndTheServerClockIsTheInterval() {
        List<Map<String, Object>> before = List.of(
                row("wait_type", "PAGEIOLATCH_SH", "waiting_tasks_count", 900L, "wait_time_ms", 9_000_000L, "signal_wait_time_ms", 100L,
                        "ms_ticks", 5_000_000L));
        List<Map<String, Object>> after = List.of(
                row("wait_type", "PAGEIOLATCH_SH", "waiting_tasks_count", 901L, "wait_time_ms", 9_000_300L, "signal_wait_time_ms", 100L,
                        "ms_ticks", 5_004_000L),
                // first seen in the second read: 50 minutes since startup, not 50 minutes in 4 s
                row("wait_type", "BACKUPIO", "waiting_tasks_count", 10L, "wait_time_ms", 3_000_000L, "signal_wait_time_ms", 0L,
                        "ms_ticks", 5_004_000L));
        assertEquals(4.0, WaitStatsCheck.elapsedSeconds(before, after).orElseThrow(), "the reads were 4 s apart, not the 2 s asked");
        Finding finding = WaitStatsCheck.interpret(before, after, 4.0, context()).findings().getFirst();
        assertEquals("Top wait now: PAGEIOLATCH_SH (300 ms in 4.0 s); 0.1 s of waiting per second in all", finding.title());
        assertEquals(Severity.INFO, finding.severity());
        assertTrue(WaitStatsCheck.elapsedSeconds(List.of(), after).isEmpty(), "without the clock, the measured time is used");
    }

    @Test
    void aLongWaitInProgressIsVisibleBeforeItEnds() {
        List<Map<String, Object>> same = List.of(row("wait_type", "LCK_M_U", "waiting_tasks_count", 1L, "wait_time_ms", 5L, "signal_wait_time_ms", 0L));
        Finding finding = WaitStatsCheck.interpret(same, same, 2.0,
                List.of(row("wait_type", "LCK_M_U", "tasks", 1, "max_wait_ms", 840_000L), row("wait_type", "WRITELOG", "tasks", 3, "max_wait_ms", 4L)),
                context()).findings().getFirst();
        assertEquals("No wait accumulated during the 2.0 s sample; in progress: LCK_M_U (1 task, longest 14 min)", finding.title());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> now = (List<Map<String, Object>>) finding.evidence().get("waitingNow");
        assertEquals(List.of("LCK_M_U", "WRITELOG"), now.stream().map(w -> w.get("wait_type")).toList());
    }

    @Test
    void theBenignWaitListEscapesLikeWildcards() {
        String sql = WaitStatsCheck.SQL;
        for (String benign : List.of("N'PARALLEL[_]REDO[_]%'", "N'SLEEP[_]%'", "N'WAIT[_]XTP[_]%'", "N'HADR_NOTIFICATION_DEQUEUE'",
                "N'CXCONSUMER'", "N'PVS_PREALLOCATE'", "N'PREEMPTIVE_HADR_LEASE_MECHANISM'", "N'XE_DISPATCHER_JOIN'")) {
            assertTrue(sql.contains(benign) && WaitStatsCheck.WAITING_NOW_SQL.contains(benign), benign);
        }
        assertTrue(!sql.contains("'SLEEP_%'"), "an unescaped _ matches any character");
    }

    @Test
    void quietServerHasNoWaitFinding() {
        List<Map<String, Object>> same = List.of(row("wait_type", "LCK_M_X", "waiting_tasks_count", 1L, "wait_time_ms", 5L, "signal_wait_time_ms", 0L));
        assertTrue(WaitStatsCheck.interpret(same, same, 2.0, context()).findings().isEmpty());
    }

    /** The counters as sys.dm_os_performance_counters lists them; Database pages are 8 KB each. */
    static List<Map<String, Object>> memoryCounters(long pending, long ple, long databasePages) {
        return List.of(row("counter_name", "Memory Grants Pending", "cntr_value", pending),
                row("counter_name", "Page life expectancy", "cntr_value", ple),
                row("counter_name", "Database pages", "cntr_value", databasePages));
    }

    /** 4 GB of 8 KB pages. */
    static final long FOUR_GB_OF_PAGES = 524_288L;
    static final long UP_TWO_WEEKS = 1_209_600L;

    @Test
    void memoryGrantsPendingAndLowPageLifeExpectancy() {
        CheckResult result = MemoryCheck.interpret(memoryCounters(7, 45, FOUR_GB_OF_PAGES), UP_TWO_WEEKS, context());
        assertEquals(List.of("MSSQL_MEMORY_GRANTS_PENDING", "MSSQL_LOW_PAGE_LIFE_EXPECTANCY"),
                result.findings().stream().map(Finding::code).toList());
        assertEquals(Severity.CRITICAL, result.findings().getFirst().severity());
        assertEquals("Page life expectancy is 45 s, below 300 s for a buffer pool of 4.0 GB", result.findings().get(1).title());
        assertTrue(MemoryCheck.interpret(memoryCounters(0, 5000, FOUR_GB_OF_PAGES), UP_TWO_WEEKS, context()).findings().isEmpty());
    }

    @Test
    void thePageLifeExpectancyThresholdGrowsWithTheBufferPool() {
        // 64 GB of database pages: 16 x 300 s
        CheckResult large = MemoryCheck.interpret(memoryCounters(0, 2_000, 16 * FOUR_GB_OF_PAGES), UP_TWO_WEEKS, context());
        Finding finding = large.findings().getFirst();
        assertEquals("MSSQL_LOW_PAGE_LIFE_EXPECTANCY", finding.code());
        assertEquals(Severity.WARNING, finding.severity());
        assertEquals("Page life expectancy is 2000 s, below 4800 s for a buffer pool of 64.0 GB", finding.title());
        assertEquals(4800L, large.metrics().get("page_life_expectancy_threshold"));
        assertEquals(65_536L, finding.evidence().get("bufferPoolMb"));
        // 2 GB: 150 s, so 200 s is fine there
        assertTrue(MemoryCheck.interpret(memoryCounters(0, 200, FOUR_GB_OF_PAGES / 2), UP_TWO_WEEKS, context()).findings().isEmpty());
        // the base is page_life_expectancy_warning per 4 GB
        CheckResult stricter = MemoryCheck.interpret(memoryCounters(0, 2_000, FOUR_GB_OF_PAGES), UP_TWO_WEEKS,
                context("page_life_expectancy_warning", "2400"));
        assertEquals("Page life expectancy is 2000 s, below 2400 s for a buffer pool of 4.0 GB", stricter.findings().getFirst().title());
    }

    @Test
    void aJustStartedServerHasNoPageLifeExpectancyFinding() {
        // up 10 minutes with a 64 GB pool: PLE cannot be above 600 s yet, and the threshold is 4800 s
        CheckResult warmingUp = MemoryCheck.interpret(memoryCounters(0, 590, 16 * FOUR_GB_OF_PAGES), 600, context());
        assertTrue(warmingUp.findings().isEmpty(), warmingUp.findings().toString());
        assertEquals(600L, warmingUp.metrics().get("uptime_seconds"));
        // once up longer than the threshold, the same PLE is a finding
        assertEquals("MSSQL_LOW_PAGE_LIFE_EXPECTANCY",
                MemoryCheck.interpret(memoryCounters(0, 590, 16 * FOUR_GB_OF_PAGES), 4_800, context()).findings().getFirst().code());
        // without the Database pages counter the base threshold stands; unknown uptime does not hide a finding
        CheckResult unscaled = MemoryCheck.interpret(List.of(row("counter_name", "Page life expectancy", "cntr_value", 120L)), -1, context());
        assertEquals("Page life expectancy is 120 s, below 300 s", unscaled.findings().getFirst().title());
    }

    @Test
    void logReuseWaitsSayWhatToDo() {
        CheckResult result = LogSpaceCheck.interpret(List.of(
                row("database_name", "orders", "state_desc", "ONLINE", "recovery_model_desc", "FULL", "log_reuse_wait_desc", "LOG_BACKUP"),
                row("database_name", "billing", "state_desc", "ONLINE", "recovery_model_desc", "FULL", "log_reuse_wait_desc", "ACTIVE_TRANSACTION")),
                context());
        assertEquals(Severity.INFO, result.findings().get(0).severity());
        assertTrue(result.findings().get(0).recommendation().startsWith("Take a log backup: BACKUP LOG [orders]"));
        assertEquals(Severity.WARNING, result.findings().get(1).severity());
        assertTrue(result.findings().get(1).recommendation().contains("DBCC OPENTRAN ('billing')"));
    }

    @Test
    void onlyOldTransactionsThatBlockOthersAreHeadBlockersIdleOnesAreListedApart() {
        CheckResult result = OpenTransactionsCheck.interpret(List.of(
                row("session_id", 53, "status", "sleeping", "login_name", "app", "program_name", "orders-api",
                        "database_name", "orders", "age_seconds", 4000L, "log_bytes_used", 1_048_576L, "blocks_others", 1, "is_blocked", 0),
                row("session_id", 57, "status", "sleeping", "login_name", "app", "program_name", "orders-api",
                        "database_name", "orders", "age_seconds", 3900L, "log_bytes_used", 4_096L, "blocks_others", 0, "is_blocked", 0),
                row("session_id", 60, "status", "running", "login_name", "etl", "program_name", "ssis",
                        "database_name", "dw", "age_seconds", 400L, "log_bytes_used", 10L, "blocks_others", 1, "is_blocked", 1),
                row("session_id", 61, "status", "running", "login_name", "etl", "program_name", "ssis",
                        "database_name", "dw", "age_seconds", 3L, "log_bytes_used", 10L, "blocks_others", 0, "is_blocked", 0)), context());
        Finding finding = result.findings().getFirst();
        assertEquals(Severity.CRITICAL, finding.severity());
        assertEquals(List.of(53L), finding.evidence().get("headBlockers"), "60 blocks but waits itself; 57 blocks nobody");
        assertEquals(List.of(57L), finding.evidence().get("idleSessionIds"), "old, sleeping, blocking nobody");
        assertEquals(List.of(53L, 57L, 60L), finding.evidence().get("sessionIds"));
        assertTrue(OpenTransactionsCheck.interpret(List.of(), context()).findings().isEmpty());
    }
}
