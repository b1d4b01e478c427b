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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Queries of the last hour that ran out of warehouse memory and spilled to local disk (slower)
 * or, worse, to remote storage (much slower): the sign of a warehouse too small for them.
 */
final class SpillingCheck extends SnowflakeCheck {

    static final Threshold REMOTE_CRITICAL = Threshold.number("remote_spill_critical_bytes", 100L * 1024 * 1024 * 1024, "bytes",
            "remote spilling in the last hour is CRITICAL from this much");

    static final Threshold LOCAL_INFO = Threshold.number("local_spill_info_bytes", 1024L * 1024 * 1024, "bytes",
            "local spilling worth a note");

    @Override
    public List<Threshold> thresholds() {
        return List.of(REMOTE_CRITICAL, LOCAL_INFO);
    }

    // INFORMATION_SCHEMA.QUERY_HISTORY of the last hour, documented columns (checked 2026-11).
    static final String SPILLING = """
            SELECT QUERY_ID, USER_NAME, WAREHOUSE_NAME, WAREHOUSE_SIZE, TOTAL_ELAPSED_TIME,
                   BYTES_SPILLED_TO_LOCAL_STORAGE, BYTES_SPILLED_TO_REMOTE_STORAGE, LEFT(QUERY_TEXT, 300) AS QUERY_TEXT
            FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY(
                   END_TIME_RANGE_START => DATEADD('hour', -1, CURRENT_TIMESTAMP()), RESULT_LIMIT => 1000))
            WHERE BYTES_SPILLED_TO_LOCAL_STORAGE > 0 OR BYTES_SPILLED_TO_REMOTE_STORAGE > 0
            ORDER BY BYTES_SPILLED_TO_REMOTE_STORAGE DESC, BYTES_SPILLED_TO_LOCAL_STORAGE DESC
            LIMIT 50
            """;

    SpillingCheck() {
        super("spilling", Category.RESOURCES, "queries of the last hour spilling to local and remote storage");
    }

    @Override
    public Set<String> findingCodes() {
        return Set.of("SF_SPILLING_LOCAL", "SF_SPILLING_REMOTE");
    }

    @Override
    protected CheckResult check(SnowflakeSession session, CheckContext context) throws Exception {
        return interpret(session.query(SPILLING, context), context);
    }

    static CheckResult interpret(List<Map<String, Object>> rows, CheckContext context) {
        long local = rows.stream().mapToLong(r -> Values.longValue(r, "BYTES_SPILLED_TO_LOCAL_STORAGE")).sum();
        long remote = rows.stream().mapToLong(r -> Values.longValue(r, "BYTES_SPILLED_TO_REMOTE_STORAGE")).sum();
        List<Map<String, Object>> remoteRows = rows.stream().filter(r -> Values.longValue(r, "BYTES_SPILLED_TO_REMOTE_STORAGE") > 0).toList();
        CheckResult.Builder result = CheckResult.builder()
                .metric("spilling_queries", rows.size())
                .metric("bytes_spilled_local", local)
                .metric("bytes_spilled_remote", remote);
        if (!remoteRows.isEmpty()) {
            Severity severity = remote >= REMOTE_CRITICAL.value(context) ? Severity.CRITICAL : Severity.WARNING;
            result.add(Finding.of("SF_SPILLING_REMOTE", severity, remoteRows.size() + (remoteRows.size() == 1 ? " query" : " queries")
                            + " of the last hour spilled " + Format.bytes(remote) + " to remote storage")
                    .detail("Remote spilling happens when local disk is exhausted too; such queries run many times slower and keep "
                            + "the warehouse busy. A larger warehouse has more memory and local disk per query.")
                    .evidence("queries", remoteRows.stream().limit(10).map(SpillingCheck::row).toList())
                    .recommendation(resize(remoteRows) + "\nOr reduce what the queries process (filters that prune partitions, fewer columns).")
                    .playbook(playbook("sf-spilling")).build());
        }
        if (local > 0 && local >= LOCAL_INFO.value(context)) {
            List<Map<String, Object>> localRows = rows.stream().filter(r -> Values.longValue(r, "BYTES_SPILLED_TO_LOCAL_STORAGE") > 0).toList();
            result.add(Finding.of("SF_SPILLING_LOCAL", Severity.INFO, localRows.size() + (localRows.size() == 1 ? " query" : " queries")
                            + " of the last hour spilled " + Format.bytes(local) + " to local storage")
                    .detail("Local spilling slows queries down moderately; it turns into remote spilling as volumes grow.")
                    .evidence("queries", localRows.stream().limit(10).map(SpillingCheck::row).toList())
                    .recommendation(resize(localRows))
                    .playbook(playbook("sf-spilling")).build());
        }
        return result.build();
    }

    private static String resize(List<Map<String, Object>> rows) {
        Set<String> statements = new LinkedHashSet<>();
        for (Map<String, Object> row : rows) {
            String next = nextSize(Values.text(row, "WAREHOUSE_SIZE"));
            if (next != null) {
                statements.add("ALTER WAREHOUSE " + identifier(Values.text(row, "WAREHOUSE_NAME")) + " SET WAREHOUSE_SIZE = '"
                        + next.toUpperCase(Locale.ROOT) + "';  -- for the spilling workload");
            }
        }
        return statements.isEmpty() ? "Run the spilling queries on a larger warehouse." : String.join("\n", statements);
    }

    private static Map<String, Object> row(Map<String, Object> r) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("queryId", Values.text(r, "QUERY_ID"));
        row.put("warehouse", Values.text(r, "WAREHOUSE_NAME") + " (" + Values.text(r, "WAREHOUSE_SIZE") + ")");
        row.put("user", Values.text(r, "USER_NAME"));
        row.put("elapsedSeconds", Values.longValue(r, "TOTAL_ELAPSED_TIME") / 1000);
        row.put("spilledLocal", Format.bytes(Values.longValue(r, "BYTES_SPILLED_TO_LOCAL_STORAGE")));
        row.put("spilledRemote", Format.bytes(Values.longValue(r, "BYTES_SPILLED_TO_REMOTE_STORAGE")));
        row.put("query", Format.oneLine(Values.text(r, "QUERY_TEXT"), 80));
        return row;
    }
}
