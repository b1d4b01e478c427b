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
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Queries waiting right now, and why: QUEUED (the warehouse is full: overload) or
 * RESUMING_WAREHOUSE (waiting for the warehouse to be provisioned).
 */
final class QueuedQueriesCheck extends SnowflakeCheck {

    static final Threshold CRITICAL_COUNT = Threshold.number("queued_queries_critical", 20, "queries",
            "CRITICAL from this many queries queued now");

    static final Threshold CRITICAL_WAIT = Threshold.number("queue_wait_critical_seconds", 300, "s",
            "CRITICAL when a query has been queued this long");

    static final Threshold PROVISIONING_WARNING = Threshold.number("provisioning_wait_warning_seconds", 60, "s",
            "WARNING for a query waiting this long for a warehouse to resume");

    @Override
    public List<Threshold> thresholds() {
        return List.of(CRITICAL_COUNT, CRITICAL_WAIT, PROVISIONING_WARNING);
    }

    // INFORMATION_SCHEMA.QUERY_HISTORY, documented columns (checked 2026-11); see
    // BlockedTransactionsCheck for RESULT_LIMIT and the case of EXECUTION_STATUS.
    static final String QUEUED = """
            SELECT QUERY_ID, USER_NAME, WAREHOUSE_NAME, WAREHOUSE_SIZE, EXECUTION_STATUS, START_TIME,
                   DATEDIFF('second', START_TIME, CURRENT_TIMESTAMP()) AS ELAPSED_SECONDS,
                   LEFT(QUERY_TEXT, 300) AS QUERY_TEXT
            FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY(RESULT_LIMIT => 1000))
            WHERE UPPER(EXECUTION_STATUS) IN ('QUEUED', 'RESUMING_WAREHOUSE')
            ORDER BY START_TIME
            LIMIT 200
            """;

    QueuedQueriesCheck() {
        super("queued-queries", Category.RESOURCES, "queries queued now for an overloaded warehouse or for provisioning");
    }

    @Override
    public Set<String> findingCodes() {
        return Set.of("SF_QUERIES_QUEUED_OVERLOAD", "SF_QUERIES_QUEUED_PROVISIONING");
    }

    @Override
    protected CheckResult check(SnowflakeSession session, CheckContext context) throws Exception {
        return interpret(session.query(QUEUED, context), context);
    }

    static CheckResult interpret(List<Map<String, Object>> rows, CheckContext context) {
        List<Map<String, Object>> overload = rows.stream().filter(r -> "QUEUED".equalsIgnoreCase(Values.text(r, "EXECUTION_STATUS"))).toList();
        List<Map<String, Object>> provisioning = rows.stream()
                .filter(r -> "RESUMING_WAREHOUSE".equalsIgnoreCase(Values.text(r, "EXECUTION_STATUS"))).toList();
        CheckResult.Builder result = CheckResult.builder()
                .metric("queued_overload", overload.size())
                .metric("queued_provisioning", provisioning.size());
        double criticalCount = CRITICAL_COUNT.value(context);
        double criticalSeconds = CRITICAL_WAIT.value(context);
        if (!overload.isEmpty()) {
            long longest = longest(overload);
            Map<String, Long> perWarehouse = perWarehouse(overload);
            result.metric("longest_queue_seconds", longest);
            result.add(Finding.of("SF_QUERIES_QUEUED_OVERLOAD", overload.size() >= criticalCount || longest >= criticalSeconds
                                    ? Severity.CRITICAL : Severity.WARNING,
                            overload.size() + (overload.size() == 1 ? " query is" : " queries are") + " queued on full warehouses ("
                                    + describe(perWarehouse) + "); the longest for " + Format.duration(longest))
                    .detail("The warehouse runs as many queries as its clusters allow (MAX_CONCURRENCY_LEVEL); the rest wait.")
                    .evidence("perWarehouse", perWarehouse)
                    .evidence("queries", overload.stream().limit(20).map(QueuedQueriesCheck::row).toList())
                    .recommendation(perWarehouse.keySet().stream().map(w -> "ALTER WAREHOUSE " + identifier(w)
                            + " SET MAX_CLUSTER_COUNT = <clusters>;  -- multi-cluster absorbs concurrency (the warehouse-load check names the count)")
                            .collect(Collectors.joining("\n")) + "\nOr cancel queries that need not run now: SELECT SYSTEM$CANCEL_QUERY('<query id>');")
                    .playbook(playbook("sf-warehouse-queued")).build());
        }
        if (!provisioning.isEmpty()) {
            long longest = longest(provisioning);
            Map<String, Long> perWarehouse = perWarehouse(provisioning);
            result.add(Finding.of("SF_QUERIES_QUEUED_PROVISIONING", longest >= PROVISIONING_WARNING.value(context)
                                    ? Severity.WARNING : Severity.INFO,
                            provisioning.size() + (provisioning.size() == 1 ? " query waits" : " queries wait") + " for a warehouse to resume ("
                                    + describe(perWarehouse) + "); the longest for " + Format.duration(longest))
                    .detail("Resuming usually takes seconds; minutes point to a capacity shortage in the region (status.snowflake.com) "
                            + "or a very large size.")
                    .evidence("perWarehouse", perWarehouse)
                    .evidence("queries", provisioning.stream().limit(20).map(QueuedQueriesCheck::row).toList())
                    .playbook(playbook("sf-warehouse-queued")).build());
        }
        return result.build();
    }

    private static long longest(List<Map<String, Object>> rows) {
        return rows.stream().mapToLong(r -> Values.longValue(r, "ELAPSED_SECONDS")).max().orElse(0);
    }

    private static Map<String, Long> perWarehouse(List<Map<String, Object>> rows) {
        return rows.stream().collect(Collectors.groupingBy(r -> Values.text(r, "WAREHOUSE_NAME"), TreeMap::new, Collectors.counting()));
    }

    private static String describe(Map<String, Long> perWarehouse) {
        return perWarehouse.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }

    private static Map<String, Object> row(Map<String, Object> r) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("queryId", Values.text(r, "QUERY_ID"));
        row.put("warehouse", Values.text(r, "WAREHOUSE_NAME"));
        row.put("user", Values.text(r, "USER_NAME"));
        row.put("status", Values.text(r, "EXECUTION_STATUS").toUpperCase(Locale.ROOT));
        row.put("waitingSeconds", Values.longValue(r, "ELAPSED_SECONDS"));
        row.put("query", Format.oneLine(Values.text(r, "QUERY_TEXT"), 100));
        return row;
    }
}
