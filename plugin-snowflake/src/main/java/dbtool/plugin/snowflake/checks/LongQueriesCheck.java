package dbtool.plugin.snowflake.checks;

import dbtool.plugin.snowflake.SnowflakeSession;
import dbtool.spi.Category;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.spi.Threshold;
import dbtool.toolkit.Format;
import dbtool.toolkit.Values;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Queries running longer than a threshold, with warehouse, user, elapsed time and bytes scanned. */
final class LongQueriesCheck extends SnowflakeCheck {

    static final Threshold WARNING_AGE = Threshold.number("long_query_seconds", 300, "s",
            "report queries running this long (WARNING)");

    static final Threshold CRITICAL_AGE = Threshold.number("long_query_critical_seconds", 3600, "s",
            "queries running this long are CRITICAL");

    @Override
    public List<Threshold> thresholds() {
        return List.of(WARNING_AGE, CRITICAL_AGE);
    }

    // INFORMATION_SCHEMA.QUERY_HISTORY, documented columns (checked 2026-11). The threshold is
    // applied to the rows, so that the statement text is the same on every run.
    static final String RUNNING = """
            SELECT QUERY_ID, SESSION_ID, USER_NAME, ROLE_NAME, WAREHOUSE_NAME, WAREHOUSE_SIZE, QUERY_TAG, START_TIME,
                   DATEDIFF('second', START_TIME, CURRENT_TIMESTAMP()) AS ELAPSED_SECONDS,
                   BYTES_SCANNED, LEFT(QUERY_TEXT, 300) AS QUERY_TEXT
            FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY(RESULT_LIMIT => 1000))
            WHERE UPPER(EXECUTION_STATUS) = 'RUNNING'
            ORDER BY START_TIME
            LIMIT 100
            """;

    LongQueriesCheck() {
        super("long-queries", Category.QUERIES, "queries running longer than long_query_seconds (default 300), with warehouse, "
                + "user, elapsed time and bytes scanned");
    }

    @Override
    public Set<String> findingCodes() {
        return Set.of("SF_LONG_QUERY");
    }

    @Override
    protected CheckResult check(SnowflakeSession session, CheckContext context) throws Exception {
        return interpret(session.query(RUNNING, context), context);
    }

    static CheckResult interpret(List<Map<String, Object>> rows, CheckContext context) {
        double warning = WARNING_AGE.value(context);
        double critical = CRITICAL_AGE.value(context);
        // dbtool's own statements carry QUERY_TAG=dbtool and never count.
        List<Map<String, Object>> running = rows.stream().filter(r -> !"dbtool".equals(Values.text(r, "QUERY_TAG"))).toList();
        List<Map<String, Object>> slow = running.stream().filter(r -> Values.longValue(r, "ELAPSED_SECONDS") >= warning)
                .sorted((a, b) -> Long.compare(Values.longValue(b, "ELAPSED_SECONDS"), Values.longValue(a, "ELAPSED_SECONDS"))).toList();
        CheckResult.Builder result = CheckResult.builder().metric("running_queries", running.size()).metric("long_queries", slow.size());
        if (slow.isEmpty()) {
            return result.build();
        }
        Map<String, Object> first = slow.getFirst();
        long longest = Values.longValue(first, "ELAPSED_SECONDS");
        result.metric("longest_query_seconds", longest);
        return result.add(Finding.of("SF_LONG_QUERY", longest >= critical ? Severity.CRITICAL : Severity.WARNING,
                        slow.size() + (slow.size() == 1 ? " query has" : " queries have") + " run longer than " + Format.duration((long) warning)
                                + "; the longest for " + Format.duration(longest) + " (" + Values.text(first, "USER_NAME") + " on "
                                + Values.text(first, "WAREHOUSE_NAME") + ", " + Format.bytes(Values.longValue(first, "BYTES_SCANNED")) + " scanned)")
                .detail("Long queries hold warehouse slots (others queue behind them) and spend credits; a query in an open "
                        + "transaction also holds its locks. STATEMENT_TIMEOUT_IN_SECONDS on the warehouse or user caps them.")
                .evidence("queryIds", slow.stream().map(r -> Values.text(r, "QUERY_ID")).toList())
                .evidence("queries", slow.stream().limit(20).map(LongQueriesCheck::row).toList())
                .recommendation("If a query should not run this long, cancel it (its statement rolls back): "
                        + slow.stream().limit(5).map(r -> "SELECT SYSTEM$CANCEL_QUERY('" + Values.text(r, "QUERY_ID") + "');")
                        .collect(Collectors.joining(" ")) + "\nCap such queries: ALTER WAREHOUSE " + identifier(Values.text(first, "WAREHOUSE_NAME"))
                        + " SET STATEMENT_TIMEOUT_IN_SECONDS = " + (long) Math.max(critical, warning * 2) + ";")
                .playbook(playbook("sf-long-query")).build()).build();
    }

    private static Map<String, Object> row(Map<String, Object> r) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("queryId", Values.text(r, "QUERY_ID"));
        row.put("warehouse", Values.text(r, "WAREHOUSE_NAME"));
        row.put("user", Values.text(r, "USER_NAME"));
        row.put("elapsedSeconds", Values.longValue(r, "ELAPSED_SECONDS"));
        row.put("bytesScanned", Values.longValue(r, "BYTES_SCANNED"));
        row.put("query", Format.oneLine(Values.text(r, "QUERY_TEXT"), 100));
        return row;
    }
}
