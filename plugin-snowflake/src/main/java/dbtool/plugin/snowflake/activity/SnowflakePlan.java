package dbtool.plugin.snowflake.activity;

import dbtool.plugin.snowflake.SnowflakeErrors;
import dbtool.plugin.snowflake.SnowflakeSession;
import dbtool.spi.ActiveSession;
import dbtool.spi.CheckContext;
import dbtool.spi.QueryPlan;
import dbtool.toolkit.Format;
import dbtool.toolkit.Values;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The plan of a query from GET_QUERY_OPERATOR_STATS, summarised like SQL Server's: the operators
 * that took the largest share of the time, then what Snowsight's Query Profile flags (spills to local
 * or remote storage, a join that produces more rows than it reads, a scan that prunes little).
 * Nothing is compiled or run: the statistics are read.
 *
 * <p>GET_QUERY_OPERATOR_STATS answers for completed queries only (documented: any completed query of
 * the last 14 days). For a query still running, queued or blocked, the plan comes from the latest
 * completed run of the same statement (QUERY_PARAMETERIZED_HASH), and says so; without one, the view
 * says why there is none.
 */
public final class SnowflakePlan {

    /** The operators shown by their share of the time; a plan of hundreds stays readable. */
    static final int OPERATORS = 5;

    /** A scan reading at least this share of at least {@link #PRUNING_PARTITIONS} partitions prunes little. */
    static final double POOR_PRUNING = 0.8;
    static final long PRUNING_PARTITIONS = 1000;

    /** What QUERY_HISTORY spells as not finished (upper-cased), and the view as the state. */
    private static final Set<String> UNFINISHED = Set.of("running", "queued", "blocked", "resuming warehouse");
    private static final Pattern HASH = Pattern.compile("[0-9A-Fa-f]{1,128}");

    private SnowflakePlan() {
    }

    /** The operators of a completed query, flattened from its VARIANT columns (paths as documented in the function's output). */
    static String operatorStats(String queryId) {
        return """
                SELECT OPERATOR_ID, OPERATOR_TYPE,
                       EXECUTION_TIME_BREAKDOWN:overall_percentage::FLOAT AS TIME_PERCENT,
                       OPERATOR_STATISTICS:input_rows::NUMBER AS INPUT_ROWS,
                       OPERATOR_STATISTICS:output_rows::NUMBER AS OUTPUT_ROWS,
                       OPERATOR_STATISTICS:pruning:partitions_scanned::NUMBER AS PARTITIONS_SCANNED,
                       OPERATOR_STATISTICS:pruning:partitions_total::NUMBER AS PARTITIONS_TOTAL,
                       OPERATOR_STATISTICS:spilling:bytes_spilled_local_storage::NUMBER AS SPILLED_LOCAL,
                       OPERATOR_STATISTICS:spilling:bytes_spilled_remote_storage::NUMBER AS SPILLED_REMOTE,
                       OPERATOR_ATTRIBUTES:table_name::STRING AS TABLE_NAME
                FROM TABLE(GET_QUERY_OPERATOR_STATS('%s'))
                ORDER BY OPERATOR_ID
                """.formatted(queryId);
    }

    /** The latest successful run of a statement, by its parameterized hash, in the recent history the role may see. */
    static String latestRun(String parameterizedHash) {
        return """
                SELECT QUERY_ID, END_TIME, TOTAL_ELAPSED_TIME
                FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY(RESULT_LIMIT => 1000))
                WHERE QUERY_PARAMETERIZED_HASH = '%s' AND UPPER(EXECUTION_STATUS) = 'SUCCESS'
                ORDER BY END_TIME DESC
                LIMIT 1
                """.formatted(parameterizedHash);
    }

    public static QueryPlan read(SnowflakeSession session, SnowflakeActivity activity, ActiveSession watched, CheckContext context)
            throws SQLException {
        String id = watched.id();
        if (id.startsWith("txn ")) {
            return QueryPlan.unavailable("an open transaction that runs no query has no plan");
        }
        if (!SnowflakeActivity.QUERY_ID.matcher(id).matches()) {
            return QueryPlan.unavailable("not a Snowflake query id: " + id);
        }
        String source = id;
        String from = null;
        if (watched.state() != null && UNFINISHED.contains(watched.state())) {
            String hash = activity == null ? null : activity.hashOf(id);
            if (hash == null || !HASH.matcher(hash).matches()) {
                return QueryPlan.unavailable(stillRunning(watched.state()) + "; QUERY_HISTORY gave no statement hash to find an earlier run");
            }
            List<Map<String, Object>> runs = session.query(latestRun(hash), context);
            String earlier = runs.isEmpty() ? "" : Values.text(runs.getFirst(), "QUERY_ID");
            if (earlier.isEmpty() || !SnowflakeActivity.QUERY_ID.matcher(earlier).matches()) {
                return QueryPlan.unavailable(stillRunning(watched.state())
                        + ", and no completed run of the same statement is in the recent query history (Snowsight's Query Profile shows it live)");
            }
            source = earlier;
            from = "from the latest completed run of the same statement, query " + earlier
                    + (Values.get(runs.getFirst(), "TOTAL_ELAPSED_TIME") == null ? ""
                    : " (" + Format.millis(Values.longValue(runs.getFirst(), "TOTAL_ELAPSED_TIME")) + ")")
                    + ": GET_QUERY_OPERATOR_STATS reads completed queries only";
        }
        List<Map<String, Object>> operators;
        try {
            operators = session.query(operatorStats(source), context);
        } catch (SQLException e) {
            return QueryPlan.unavailable("GET_QUERY_OPERATOR_STATS failed: " + SnowflakeErrors.describe(e));
        }
        QueryPlan plan = interpret(operators);
        if (from == null || !plan.available()) {
            return plan;
        }
        List<String> lines = new ArrayList<>();
        lines.add(from);
        lines.addAll(plan.lines());
        return QueryPlan.of(lines);
    }

    private static String stillRunning(String state) {
        return "the query is " + state + " and GET_QUERY_OPERATOR_STATS reads completed queries only";
    }

    /** The operator rows as the view's plan: the costliest operators, then spills, exploding joins and poor pruning. */
    public static QueryPlan interpret(List<Map<String, Object>> operators) {
        if (operators.isEmpty()) {
            return QueryPlan.unavailable("GET_QUERY_OPERATOR_STATS returned no operators (a query answered from the result cache "
                    + "or from metadata has none)");
        }
        List<String> lines = new ArrayList<>();
        lines.add(operators.size() + (operators.size() == 1 ? " operator" : " operators") + "; by share of the time:");
        operators.stream().sorted(Comparator.comparingDouble((Map<String, Object> o) -> Values.doubleValue(o, "TIME_PERCENT")).reversed())
                .limit(OPERATORS).forEach(o -> lines.add(line(o)));
        for (Map<String, Object> o : operators) {
            long local = Values.longValue(o, "SPILLED_LOCAL");
            long remote = Values.longValue(o, "SPILLED_REMOTE");
            if (remote > 0) {
                lines.add("spilled " + Format.bytes(remote) + " to remote storage on " + name(o) + ": the warehouse is short of memory for it");
            } else if (local > 0) {
                lines.add("spilled " + Format.bytes(local) + " to local storage on " + name(o));
            }
            long in = Values.longValue(o, "INPUT_ROWS");
            long out = Values.longValue(o, "OUTPUT_ROWS");
            if (Values.text(o, "OPERATOR_TYPE").toLowerCase(Locale.ROOT).contains("join") && in > 0 && out > in) {
                lines.add(String.format(Locale.ROOT, "%s produces %s rows from %s (%.1fx): an exploding join?", name(o), count(out), count(in),
                        (double) out / in));
            }
            long scanned = Values.longValue(o, "PARTITIONS_SCANNED");
            long total = Values.longValue(o, "PARTITIONS_TOTAL");
            if (total >= PRUNING_PARTITIONS && scanned >= POOR_PRUNING * total) {
                lines.add(name(o) + " scans " + scanned + " of " + total + " partitions: the filter prunes little");
            }
        }
        return QueryPlan.of(lines);
    }

    /** "TableScan ORDERS (operator 3): 61.2% of the time, 80 of 1200 partitions, 1.2M rows out". */
    private static String line(Map<String, Object> o) {
        StringBuilder line = new StringBuilder(name(o));
        line.append(String.format(Locale.ROOT, ": %.1f%% of the time", Values.doubleValue(o, "TIME_PERCENT")));
        if (Values.get(o, "PARTITIONS_TOTAL") != null) {
            line.append(", ").append(Values.longValue(o, "PARTITIONS_SCANNED")).append(" of ").append(Values.longValue(o, "PARTITIONS_TOTAL"))
                    .append(" partitions");
        }
        if (Values.get(o, "INPUT_ROWS") != null) {
            line.append(", ").append(count(Values.longValue(o, "INPUT_ROWS"))).append(" rows in");
        }
        if (Values.get(o, "OUTPUT_ROWS") != null) {
            line.append(", ").append(count(Values.longValue(o, "OUTPUT_ROWS"))).append(" rows out");
        }
        return line.toString();
    }

    private static String name(Map<String, Object> o) {
        String table = Values.text(o, "TABLE_NAME");
        return Values.text(o, "OPERATOR_TYPE") + (table.isEmpty() ? "" : " " + table) + " (operator " + Values.longValue(o, "OPERATOR_ID") + ")";
    }

    private static String count(long rows) {
        if (rows < 10_000) {
            return String.valueOf(rows);
        }
        if (rows < 1_000_000) {
            return String.format(Locale.ROOT, "%.1fk", rows / 1000.0);
        }
        return String.format(Locale.ROOT, "%.1fM", rows / 1_000_000.0);
    }
}
