package dbtool.plugin.mssql.checks;

import static dbtool.plugin.mssql.checks.Fixtures.context;
import static dbtool.plugin.mssql.checks.Fixtures.row;
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
    void thresholdsComeFromTheConfiguration() {
        CheckResult result = LongRequestsCheck.interpret(List.of(row("session_id", 90, "elapsed_seconds", 2L)),
                context("long_query_seconds", "1"));
        assertEquals(Severity.WARNING, result.findings().getFirst().severity());
        assertTrue(LongRequestsCheck.interpret(List.of(row("session_id", 90, "elapsed_seconds", 2L)), context()).findings().isEmpty());
    }
}
