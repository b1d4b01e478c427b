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

/** sys.databases joined to the 'Percent Log Used' counter of sys.dm_os_performance_counters (or sys.dm_db_log_space_usage on Azure). */
class LogSpaceCheckTest {

    static Map<String, Object> database(String name, String reuseWait, Long percentUsed) {
        return row("database_name", name, "state_desc", "ONLINE", "recovery_model_desc", "FULL", "log_reuse_wait_desc", reuseWait,
                "percent_log_used", percentUsed);
    }

    @Test
    void aNearlyFullLogThatCannotBeReusedIsCriticalWithWhatToDo() {
        CheckResult result = LogSpaceCheck.interpret(List.of(database("orders", "LOG_BACKUP", 97L), database("master", "NOTHING", 30L)),
                context());
        Finding finding = result.findings().getFirst();
        assertEquals("MSSQL_LOG_FULL", finding.code());
        assertEquals(Severity.CRITICAL, finding.severity());
        assertEquals("The log of orders is 97% full; it cannot be reused: LOG_BACKUP", finding.title());
        assertTrue(finding.recommendation().startsWith("Take a log backup: BACKUP LOG [orders]"));
        assertEquals(1, result.findings().size());
        assertEquals(97L, result.metrics().get("max_percent_log_used"));
    }

    @Test
    void aFillingLogWithNothingHoldingItIsAWarning() {
        CheckResult result = LogSpaceCheck.interpret(List.of(database("billing", "NOTHING", 85L)), context());
        assertEquals(Severity.WARNING, result.status());
        assertEquals("The log of billing is 85% full", result.findings().getFirst().title());
    }

    @Test
    void aReuseWaitOnARoomyLogKeepsItsOwnFindingWithTheSpaceUsed() {
        CheckResult result = LogSpaceCheck.interpret(List.of(database("dw", "ACTIVE_TRANSACTION", 40L)), context());
        assertEquals("MSSQL_LOG_REUSE_WAIT", result.findings().getFirst().code());
        assertEquals("The log of dw cannot be reused: ACTIVE_TRANSACTION (40% used)", result.findings().getFirst().title());
    }

    @Test
    void healthyLogsHaveNoFinding() {
        CheckResult result = LogSpaceCheck.interpret(List.of(database("orders", "NOTHING", 12L), database("tempdb", "CHECKPOINT", 3L)),
                context());
        assertTrue(result.findings().isEmpty());
        assertEquals(0L, result.metrics().get("databases_waiting_for_log_reuse"));
    }

    @Test
    void aFullLogThatCanStillAutogrowIsAWarning() {
        List<Map<String, Object>> rows = List.of(row("database_name", "orders", "state_desc", "ONLINE", "recovery_model_desc", "FULL",
                "log_reuse_wait_desc", "LOG_BACKUP", "percent_log_used", 97L));
        Finding grows = LogSpaceCheck.interpret(rows, List.of(row("database_name", "orders", "file_id", 2, "size_mb", 1_024,
                "max_size_mb", -1, "growth_mb", 256, "volume_free_mb", 80_000L)), context()).findings().getFirst();
        assertEquals(Severity.WARNING, grows.severity());
        assertTrue(grows.detail().contains("It can still autogrow by up to 80000 MB"), grows.detail());
        Finding stuck = LogSpaceCheck.interpret(rows, List.of(row("database_name", "orders", "file_id", 2, "size_mb", 1_024,
                "max_size_mb", 1_024, "growth_mb", 256, "volume_free_mb", 80_000L)), context()).findings().getFirst();
        assertEquals(Severity.CRITICAL, stuck.severity(), "at its max size");
    }
}
