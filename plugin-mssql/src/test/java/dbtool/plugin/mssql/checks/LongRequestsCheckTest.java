package dbtool.plugin.mssql.checks;

import static dbtool.testkit.CheckFixtures.context;
import static dbtool.testkit.CheckFixtures.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;

class LongRequestsCheckTest {

    @Test
    void requestsOverTheThresholdAreReportedLongestFirst() {
        CheckResult result = LongRequestsCheck.interpret(List.of(
                row("session_id", 88, "elapsed_seconds", 1200L, "wait_type", "PAGEIOLATCH_SH", "sql_text", "SELECT * FROM big"),
                row("session_id", 89, "elapsed_seconds", 120L, "wait_type", null, "sql_text", "EXEC dbo.report"),
                row("session_id", 90, "elapsed_seconds", 2L, "wait_type", null, "sql_text", "SELECT 1")), context());
        Finding finding = result.findings().getFirst();
        assertEquals(Severity.CRITICAL, finding.severity(), "20 minutes is over the 15-minute critical default");
        assertEquals(List.of(88L, 89L), finding.evidence().get("sessionIds"));
        assertTrue(finding.recommendation().startsWith("If it should not run this long: KILL 88;"));
    }

    @Test
    void requestsThatNeverEndByDesignRaiseNothing() {
        // what every AG/FCI node shows: the cluster's sp_server_diagnostics, running since the service started
        CheckResult result = LongRequestsCheck.interpret(List.of(
                row("session_id", 51, "status", "suspended", "command", "EXECUTE", "elapsed_seconds", 1_209_000L,
                        "wait_type", "SP_SERVER_DIAGNOSTICS_SLEEP", "sql_text", "exec sp_server_diagnostics 20"),
                row("session_id", 66, "status", "suspended", "command", "WAITFOR", "elapsed_seconds", 86_400L,
                        "wait_type", "BROKER_RECEIVE_WAITFOR", "sql_text", "WAITFOR (RECEIVE TOP (1) * FROM dbo.OrderQueue)"),
                row("session_id", 67, "status", "suspended", "command", "WAITFOR", "elapsed_seconds", 7_200L,
                        "wait_type", "WAITFOR", "sql_text", "WAITFOR DELAY '02:00:00'")), context());
        assertTrue(result.findings().isEmpty(), result.findings().toString());
        String sql = LongRequestsCheck.SQL.replaceAll("\\s+", " ");
        assertTrue(sql.contains("(r.wait_type IS NULL OR r.wait_type NOT IN (N'SP_SERVER_DIAGNOSTICS_SLEEP', N'WAITFOR', "
                + "N'BROKER_RECEIVE_WAITFOR', N'TRACEWRITE', N'XE_LIVE_TARGET_TVF', N'BROKER_TASK_STOP'))"), "a running request (NULL wait) stays");
        assertTrue(sql.contains("AND r.command NOT IN (N'WAITFOR')"), sql);
        assertTrue(sql.contains("SUBSTRING(t.text, r.statement_start_offset / 2 + 1,"), "the statement running now, not its batch");
    }

    @Test
    void thresholdsComeFromTheConfiguration() {
        CheckResult result = LongRequestsCheck.interpret(List.of(row("session_id", 90, "elapsed_seconds", 2L)),
                context("long_query_seconds", "1"));
        assertEquals(Severity.WARNING, result.findings().getFirst().severity());
        assertTrue(LongRequestsCheck.interpret(List.of(row("session_id", 90, "elapsed_seconds", 2L)), context()).findings().isEmpty());
    }
}
