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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Running and recent QUERY_HISTORY rows, read into findings. */
class QueriesInterpretationTest {

    private static Map<String, Object> running(String id, long seconds, String tag) {
        return row("QUERY_ID", id, "SESSION_ID", 1L, "USER_NAME", "ETL_SVC", "ROLE_NAME", "ETL", "WAREHOUSE_NAME", "ETL_WH",
                "WAREHOUSE_SIZE", "Large", "QUERY_TAG", tag, "START_TIME", NOW.minusSeconds(seconds), "ELAPSED_SECONDS", seconds,
                "BYTES_SCANNED", 3L << 40, "QUERY_TEXT", "INSERT INTO big SELECT * FROM bigger");
    }

    @Test
    void shortQueriesAndDbtoolsOwnAreHealthy() {
        CheckResult result = LongQueriesCheck.interpret(List.of(running("a", 30, null), running("b", 9000, "dbtool")), context());
        assertTrue(result.findings().isEmpty());
        assertEquals(1, result.metrics().get("running_queries"));
    }

    @Test
    void longQueriesAreWarningsThenCriticalWithCancelStatements() {
        Finding warning = require(LongQueriesCheck.interpret(List.of(running("01-a", 600, null), running("01-b", 400, "")), context()),
                "SF_LONG_QUERY");
        assertEquals(Severity.WARNING, warning.severity());
        assertEquals(List.of("01-a", "01-b"), warning.evidence().get("queryIds"));
        assertTrue(warning.title().contains("the longest for 10 min (ETL_SVC on ETL_WH, 3.0 TB scanned)"), warning.title());
        assertTrue(warning.recommendation().startsWith("If a query should not run this long, cancel it (its statement rolls back): "
                + "SELECT SYSTEM$CANCEL_QUERY('01-a'); SELECT SYSTEM$CANCEL_QUERY('01-b');"), warning.recommendation());
        assertEquals(Severity.CRITICAL, require(LongQueriesCheck.interpret(List.of(running("x", 7200, null)), context()), "SF_LONG_QUERY").severity());
        assertTrue(LongQueriesCheck.interpret(List.of(running("x", 600, null)), context(Map.of("long_query_seconds", "900"))).findings().isEmpty());
    }

    @Test
    void theSlowestQueriesOfTheLastHourAreListed() {
        assertTrue(SlowestQueriesCheck.interpret(List.of()).findings().isEmpty());
        Map<String, Object> slow = row("QUERY_ID", "s1", "USER_NAME", "BI", "WAREHOUSE_NAME", "BI_WH", "EXECUTION_STATUS", "SUCCESS",
                "QUERY_TAG", null, "TOTAL_ELAPSED_TIME", 125_000L, "EXECUTION_TIME", 20_000L, "QUEUED_OVERLOAD_TIME", 100_000L,
                "QUEUED_PROVISIONING_TIME", 0L, "TRANSACTION_BLOCKED_TIME", 5_000L, "BYTES_SCANNED", 1024L,
                "BYTES_SPILLED_TO_REMOTE_STORAGE", 0L, "QUERY_TEXT", "SELECT ...");
        Map<String, Object> own = new java.util.LinkedHashMap<>(slow);
        own.put("QUERY_TAG", "dbtool");
        Finding listed = require(SlowestQueriesCheck.interpret(List.of(own, slow)), "SF_SLOWEST_QUERIES");
        assertEquals(Severity.INFO, listed.severity());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> queries = (List<Map<String, Object>>) listed.evidence().get("queries");
        assertEquals(1, queries.size(), "dbtool's own statements are left out");
        assertEquals(100L, queries.getFirst().get("queuedSeconds"));
        assertTrue(listed.title().startsWith("Slowest query of the last hour took 2 min 5 s"), listed.title());
    }
}
