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
 * The top-statements check: pg_stat_statements names its timings total_time and mean_time up to
 * PostgreSQL 12 and total_exec_time and mean_exec_time from 13 (so on 17); the query aliases both to
 * total_ms and mean_ms (::float8, a Double), calls and rows are bigint.
 */
class TopStatementsCheckTest {

    @Test
    void postgres12AndPostgres17RankByTheirOwnColumns() {
        String pg12 = TopStatementsCheck.top(120017, "public", TopStatementsCheck.Order.TOTAL);
        assertTrue(pg12.contains("round(total_time::numeric, 1)::float8 AS total_ms"), pg12);
        assertTrue(pg12.contains("FROM public.pg_stat_statements") && pg12.contains("ORDER BY total_time DESC"), pg12);
        assertFalse(pg12.contains("exec_time"), pg12);

        String pg17 = TopStatementsCheck.top(170002, "\"stats\"", TopStatementsCheck.Order.MEAN);
        assertTrue(pg17.contains("round(mean_exec_time::numeric, 2)::float8 AS mean_ms"), pg17);
        assertTrue(pg17.contains("FROM \"stats\".pg_stat_statements") && pg17.contains("ORDER BY mean_exec_time DESC"), pg17);
    }

    @Test
    void theTopStatementByTotalTimeIsTheTitle() {
        List<Map<String, Object>> byTotal = List.of(
                row("queryid", "-4215", "calls", 120_000L, "total_ms", 98_765.4, "mean_ms", 0.82, "rows", 120_000L, "query", "SELECT * FROM orders WHERE id = $1"),
                row("queryid", "77", "calls", 3L, "total_ms", 9_000.0, "mean_ms", 3_000.0, "rows", 3L, "query", "SELECT count(*) FROM events"));
        List<Map<String, Object>> byMean = List.of(byTotal.get(1), byTotal.get(0));
        CheckResult result = TopStatementsCheck.interpret(byTotal, byMean, context());
        Finding finding = only(result);
        assertEquals(Severity.INFO, finding.severity());
        assertEquals("Top statement by total time: 98765.4 ms over 120000 calls", finding.title());
        assertEquals(byMean, finding.evidence().get("byMeanTime"));
        assertEquals(2, result.metrics().get("statements_ranked"));
        assertEquals(List.of(), TopStatementsCheck.interpret(List.of(), List.of(), context()).findings(), "an empty history says nothing");
    }

    @Test
    void aMissingExtensionSaysHowToGetIt() {
        Finding finding = only(TopStatementsCheck.missing("pg_stat_statements is not installed in this database, so past statements cannot be ranked."));
        assertEquals("PG_STAT_STATEMENTS_MISSING", finding.code());
        assertTrue(finding.recommendation().startsWith("Add pg_stat_statements to shared_preload_libraries"), finding.recommendation());
    }
}
