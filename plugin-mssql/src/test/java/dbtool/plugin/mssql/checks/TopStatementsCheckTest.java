package dbtool.plugin.mssql.checks;

import static dbtool.testkit.CheckFixtures.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rows as sys.dm_exec_query_stats (times in ms after the statement's division) with the statement cut from its batch. */
class TopStatementsCheckTest {

    static Map<String, Object> statement(long cpuMs, long elapsedMs, long executions, String text) {
        return row("total_cpu_ms", cpuMs, "total_elapsed_ms", elapsedMs, "execution_count", executions, "total_logical_reads", 9_000_000L,
                "statement_start_offset", 120, "statement_end_offset", -1, "cached_seconds", 7_200, "database_name", "orders",
                "statement_text", text);
    }

    @Test
    void theTopStatementsByCpuAndByElapsedTimeAreInfoWithAverages() {
        CheckResult result = TopStatementsCheck.interpret(
                List.of(statement(1_800_000, 2_000_000, 40, "SELECT * FROM dbo.orders WHERE customer_id = @p0"),
                        statement(300_000, 310_000, 300_000, "SELECT 1 FROM dbo.sessions WHERE id = @p0")),
                List.of(statement(50_000, 3_600_000, 2, "EXEC dbo.month_end_report @month = @p0")));
        assertEquals(List.of("MSSQL_TOP_CPU_STATEMENTS", "MSSQL_TOP_ELAPSED_STATEMENTS"), result.findings().stream().map(Finding::code).toList());
        assertTrue(result.findings().stream().allMatch(f -> f.severity() == Severity.INFO));
        Finding cpu = result.findings().getFirst();
        assertEquals("Top cached statement by CPU: 1800 s in 40 executions (orders): SELECT * FROM dbo.orders WHERE customer_id = @p0",
                cpu.title());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> statements = (List<Map<String, Object>>) cpu.evidence().get("statements");
        assertEquals(45_000.0, statements.getFirst().get("avgCpuMs"));
        assertEquals(1.0, statements.get(1).get("avgCpuMs"), "called very often, cheap each time");
        assertEquals("Top cached statement by elapsed time: 3600 s in 2 executions (orders): EXEC dbo.month_end_report @month = @p0",
                result.findings().get(1).title());
        assertEquals(1_800_000L, result.metrics().get("top_statement_cpu_ms"));
    }

    @Test
    void onlyTheTopFiveHandlesAreTurnedIntoTextAndADatabase() {
        for (String sql : List.of(TopStatementsCheck.BY_CPU_SQL, TopStatementsCheck.BY_ELAPSED_SQL)) {
            String flat = sql.replaceAll("\\s+", " ");
            int derived = flat.indexOf("FROM (SELECT TOP (5) qs.sql_handle, qs.plan_handle,");
            int derivedEnd = flat.indexOf(") AS q ");
            assertTrue(derived > 0 && derivedEnd > derived, flat);
            assertTrue(flat.substring(derived, derivedEnd).matches(".*ORDER BY qs\\.total_(worker|elapsed)_time DESC"), "TOP with its ORDER BY inside");
            assertTrue(flat.indexOf("OUTER APPLY sys.dm_exec_sql_text(q.sql_handle)") > derivedEnd, "text only for the five rows");
            assertTrue(flat.contains("sys.dm_exec_plan_attributes(q.plan_handle) AS pa WHERE pa.attribute = N'dbid'"), "the plan's database");
            assertTrue(!flat.startsWith("SELECT TOP"), "no TOP outside: the derived table has chosen");
        }
    }

    @Test
    void anEmptyPlanCacheHasNothingToSay() {
        CheckResult result = TopStatementsCheck.interpret(List.of(), List.of());
        assertTrue(result.findings().isEmpty());
    }
}
