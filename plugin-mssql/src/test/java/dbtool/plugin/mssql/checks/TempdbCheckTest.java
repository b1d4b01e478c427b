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

/**
 * Rows as tempdb.sys.dm_db_file_space_usage (summed, in MB), sys.dm_tran_version_store_space_usage
 * and sys.dm_tran_active_snapshot_database_transactions return them.
 */
class TempdbCheckTest {

    static Map<String, Object> space(long total, long free, long versionStore, long user, long internal) {
        return row("total_mb", total, "free_mb", free, "version_store_mb", versionStore, "user_objects_mb", user,
                "internal_objects_mb", internal);
    }

    static Map<String, Object> snapshot(int session, long seconds) {
        return row("session_id", session, "transaction_id", 90_000L + session, "elapsed_time_seconds", seconds, "is_snapshot", true,
                "login_name", "report", "program_name", "ssrs", "status", "sleeping");
    }

    @Test
    void aVersionStoreHeldByAnOldSnapshotTransactionFillsTempdb() {
        CheckResult result = TempdbCheck.interpret(space(40_960, 2_048, 30_000, 2_000, 6_912),
                List.of(row("database_name", "orders", "reserved_mb", 29_000L), row("database_name", "billing", "reserved_mb", 1_000L)),
                List.of(snapshot(77, 7_200), snapshot(80, 30)), context());
        assertEquals(List.of("MSSQL_TEMPDB_FULL", "MSSQL_VERSION_STORE_LARGE", "MSSQL_OLD_SNAPSHOT_TRANSACTION"),
                result.findings().stream().map(Finding::code).toList());
        Finding full = result.findings().getFirst();
        assertEquals(Severity.WARNING, full.severity());
        assertEquals("tempdb is 95% full (38912 of 40960 MB); most of it is the version store", full.title());
        Finding versions = result.findings().get(1);
        assertEquals("The version store holds 30000 MB of tempdb, mostly for orders", versions.title());
        assertEquals(List.of(77L), versions.evidence().get("sessionIds"));
        Finding snapshot = result.findings().get(2);
        assertEquals("A snapshot transaction has been open for 2 h (session 77, ssrs)", snapshot.title());
        assertEquals(List.of(77L), snapshot.evidence().get("sessionIds"));
        assertTrue(snapshot.recommendation().contains("KILL 77;"));
    }

    @Test
    void aNearlyFullTempdbOfSortsIsCritical() {
        CheckResult result = TempdbCheck.interpret(space(10_000, 100, 0, 500, 9_400), List.of(), List.of(), context());
        Finding full = result.findings().getFirst();
        assertEquals(Severity.CRITICAL, full.severity());
        assertTrue(full.title().endsWith("most of it is internal objects (sorts, hashes, spools, cursors)"), full.title());
    }

    @Test
    void aRoomyTempdbIsHealthy() {
        CheckResult result = TempdbCheck.interpret(space(8_192, 7_000, 100, 500, 592), List.of(), List.of(snapshot(70, 12)), context());
        assertTrue(result.findings().isEmpty());
        assertEquals(15L, result.metrics().get("tempdb_used_percent"));
        assertEquals(12L, result.metrics().get("oldest_snapshot_transaction_seconds"));
    }

    @Test
    void fullFilesThatCanStillAutogrowAreAWarningAndFilesThatCannotAreCritical() {
        Map<String, Object> full = space(65_536, 512, 48_000, 2_000, 15_024);
        Finding canGrow = TempdbCheck.interpret(full, List.of(), List.of(),
                List.of(row("file_id", 1, "size_mb", 32_768, "max_size_mb", -1, "growth_mb", 1_024, "volume_free_mb", 400_000L)),
                context()).findings().getFirst();
        assertEquals(Severity.WARNING, canGrow.severity(), "99% of the current size, with 390 GB to grow into");
        assertTrue(canGrow.detail().contains("They can still autogrow by up to 400000 MB"), canGrow.detail());
        Finding atMax = TempdbCheck.interpret(full, List.of(), List.of(),
                List.of(row("file_id", 1, "size_mb", 32_768, "max_size_mb", 32_768, "growth_mb", 1_024, "volume_free_mb", 400_000L),
                        row("file_id", 3, "size_mb", 32_768, "max_size_mb", -1, "growth_mb", 0, "volume_free_mb", 400_000L)),
                context()).findings().getFirst();
        assertEquals(Severity.CRITICAL, atMax.severity(), "at max size, and autogrowth off");
        assertTrue(atMax.detail().contains("They cannot grow"), atMax.detail());
        assertEquals(Severity.CRITICAL, TempdbCheck.interpret(full, List.of(), List.of(), context()).findings().getFirst().severity(),
                "unknown growth: the percentage decides");
    }

    @Test
    void theDocumentedCriticalThresholdIsTheOneRead() {
        Map<String, Object> used95 = space(10_000, 500, 8_000, 1_000, 500);
        assertEquals(Severity.WARNING, TempdbCheck.interpret(used95, List.of(), List.of(), context())
                .findings().getFirst().severity(), "95% is past the 90% warning, short of the 98% critical default");
        assertEquals(Severity.CRITICAL, TempdbCheck.interpret(used95, List.of(), List.of(),
                context("tempdb_used_critical_percent", "94")).findings().getFirst().severity(),
                "tempdb_used_critical_percent as docs/sqlserver.md names it");
    }
}
