package dbtool.plugin.snowflake.checks;

import dbtool.plugin.snowflake.SnowflakeSession;
import dbtool.spi.Category;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.toolkit.Format;
import dbtool.toolkit.Values;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The slowest queries that finished in the last hour, with where their time went. */
final class SlowestQueriesCheck extends SnowflakeCheck {

    // INFORMATION_SCHEMA.QUERY_HISTORY of the last hour, documented columns; times in
    // milliseconds (checked 2026-11).
    static final String SLOWEST = """
            SELECT QUERY_ID, USER_NAME, WAREHOUSE_NAME, EXECUTION_STATUS, QUERY_TAG, TOTAL_ELAPSED_TIME, EXECUTION_TIME,
                   QUEUED_OVERLOAD_TIME, QUEUED_PROVISIONING_TIME, TRANSACTION_BLOCKED_TIME, BYTES_SCANNED,
                   BYTES_SPILLED_TO_REMOTE_STORAGE, LEFT(QUERY_TEXT, 300) AS QUERY_TEXT
            FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY(
                   END_TIME_RANGE_START => DATEADD('hour', -1, CURRENT_TIMESTAMP()), RESULT_LIMIT => 1000))
            ORDER BY TOTAL_ELAPSED_TIME DESC
            LIMIT 10
            """;

    SlowestQueriesCheck() {
        super("slowest-queries", Category.QUERIES, "the slowest queries of the last hour: elapsed, queued, blocked and execution time");
    }

    @Override
    public Set<String> findingCodes() {
        return Set.of("SF_SLOWEST_QUERIES");
    }

    @Override
    protected CheckResult check(SnowflakeSession session, CheckContext context) throws Exception {
        return interpret(session.query(SLOWEST, context));
    }

    static CheckResult interpret(List<Map<String, Object>> rows) {
        List<Map<String, Object>> queries = rows.stream().filter(r -> !"dbtool".equals(Values.text(r, "QUERY_TAG"))).limit(5).toList();
        CheckResult.Builder result = CheckResult.builder().metric("queries_listed", queries.size());
        if (queries.isEmpty()) {
            return result.build();
        }
        Map<String, Object> first = queries.getFirst();
        long slowest = Values.longValue(first, "TOTAL_ELAPSED_TIME");
        result.metric("slowest_query_ms", slowest);
        return result.add(Finding.of("SF_SLOWEST_QUERIES", Severity.INFO, "Slowest query of the last hour took " + Format.duration(slowest / 1000)
                        + " (" + Values.text(first, "USER_NAME") + " on " + Values.text(first, "WAREHOUSE_NAME") + ")")
                .detail("Time that is mostly queued points at warehouse capacity, mostly blocked at locks, mostly execution at the "
                        + "query itself (its profile in Snowsight shows where).")
                .evidence("queries", queries.stream().map(SlowestQueriesCheck::row).toList())
                .playbook(playbook("sf-long-query")).build()).build();
    }

    private static Map<String, Object> row(Map<String, Object> r) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("queryId", Values.text(r, "QUERY_ID"));
        row.put("warehouse", Values.text(r, "WAREHOUSE_NAME"));
        row.put("user", Values.text(r, "USER_NAME"));
        row.put("status", Values.text(r, "EXECUTION_STATUS"));
        row.put("elapsedSeconds", Values.longValue(r, "TOTAL_ELAPSED_TIME") / 1000);
        row.put("queuedSeconds", (Values.longValue(r, "QUEUED_OVERLOAD_TIME") + Values.longValue(r, "QUEUED_PROVISIONING_TIME")) / 1000);
        row.put("blockedSeconds", Values.longValue(r, "TRANSACTION_BLOCKED_TIME") / 1000);
        row.put("bytesScanned", Values.longValue(r, "BYTES_SCANNED"));
        row.put("query", Format.oneLine(Values.text(r, "QUERY_TEXT"), 80));
        return row;
    }
}
