package dbtool.plugin.snowflake.checks;

import dbtool.plugin.snowflake.SnowflakeSession;
import dbtool.spi.Category;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.toolkit.Values;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The account's golden-signal counters for monitoring: statements finished and failed, their
 * elapsed, queued and lock-blocked time, and logins and failed logins, counted from the start of
 * the current UTC day. Snowflake keeps no counters since a start-up as other engines do; its
 * history table functions are the nearest thing, and counting each day from midnight gives a total
 * that only grows through the day and falls back once at midnight, which Prometheus's rate() reads
 * as a counter reset, as it reads a server restart elsewhere.
 *
 * <p>dbtool's own statements (query tag {@code dbtool}) are left out, so the counters measure the
 * workload, not the monitoring. The table functions return at most 10,000 rows: an account that
 * finishes more statements (or sees more logins) in a day than that gets the counters of the most
 * recent 10,000 and an INFO finding saying so; the per-warehouse load check still shows saturation.
 */
final class ActivityCheck extends SnowflakeCheck {

    /** The history functions' largest RESULT_LIMIT. */
    static final long RESULT_LIMIT = 10_000;

    private static final Set<String> COUNTERS = Set.of("queries", "failed_queries", "query_elapsed_ms", "queued_overload_ms",
            "transaction_blocked_ms", "logins", "failed_logins");

    // INFORMATION_SCHEMA.QUERY_HISTORY since 00:00 UTC, documented columns EXECUTION_STATUS
    // (SUCCESS, FAILED_WITH_ERROR, FAILED_WITH_INCIDENT for finished statements), QUERY_TAG,
    // TOTAL_ELAPSED_TIME, QUEUED_OVERLOAD_TIME, TRANSACTION_BLOCKED_TIME in ms (checked 2026-12).
    // It lists what the role may monitor: its own user's statements, all on warehouses it has MONITOR on.
    static final String QUERIES = """
            SELECT COUNT(*) AS QUERIES, COUNT_IF(EXECUTION_STATUS LIKE 'FAILED%') AS FAILED_QUERIES,
                   COALESCE(SUM(TOTAL_ELAPSED_TIME), 0) AS QUERY_ELAPSED_MS, COALESCE(SUM(QUEUED_OVERLOAD_TIME), 0) AS QUEUED_OVERLOAD_MS,
                   COALESCE(SUM(TRANSACTION_BLOCKED_TIME), 0) AS TRANSACTION_BLOCKED_MS
            FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY(
                   END_TIME_RANGE_START => DATE_TRUNC('DAY', CONVERT_TIMEZONE('UTC', CURRENT_TIMESTAMP())), RESULT_LIMIT => 10000))
            WHERE EXECUTION_STATUS IN ('SUCCESS', 'FAILED_WITH_ERROR', 'FAILED_WITH_INCIDENT') AND COALESCE(QUERY_TAG, '') <> 'dbtool'
            """;

    // INFORMATION_SCHEMA.LOGIN_HISTORY since 00:00 UTC, documented column IS_SUCCESS ('YES'/'NO');
    // all users' logins with MONITOR on the account (SECURITYADMIN), else the role's own user's (checked 2026-12).
    static final String LOGINS = """
            SELECT COUNT(*) AS LOGINS, COUNT_IF(IS_SUCCESS = 'NO') AS FAILED_LOGINS
            FROM TABLE(INFORMATION_SCHEMA.LOGIN_HISTORY(
                   TIME_RANGE_START => DATE_TRUNC('DAY', CONVERT_TIMEZONE('UTC', CURRENT_TIMESTAMP())), RESULT_LIMIT => 10000))
            """;

    ActivityCheck() {
        super("activity", Category.QUERIES, "statements, failures, queued and blocked time, and logins since 00:00 UTC, "
                + "as counters for monitoring (QUERY_HISTORY, LOGIN_HISTORY)");
    }

    @Override
    public Set<String> findingCodes() {
        return Set.of("SF_ACTIVITY_CAPPED");
    }

    @Override
    public Set<String> counters() {
        return COUNTERS;
    }

    @Override
    protected CheckResult check(SnowflakeSession session, CheckContext context) throws Exception {
        List<Map<String, Object>> queries = session.query(QUERIES, context);
        List<Map<String, Object>> logins;
        try {
            logins = session.query(LOGINS, context);
        } catch (SQLException e) {
            if (!accessDenied(e)) {
                throw e;
            }
            logins = null; // the statement counters still stand without the login history
        }
        return interpret(queries.isEmpty() ? Map.of() : queries.getFirst(), logins == null || logins.isEmpty() ? null : logins.getFirst());
    }

    /**
     * @param queries the one row of {@link #QUERIES}
     * @param logins  the one row of {@link #LOGINS}, or null when the role may not read the login history
     */
    static CheckResult interpret(Map<String, Object> queries, Map<String, Object> logins) {
        long count = Values.longValue(queries, "QUERIES");
        CheckResult.Builder result = CheckResult.builder()
                .metric("queries", count)
                .metric("failed_queries", Values.longValue(queries, "FAILED_QUERIES"))
                .metric("query_elapsed_ms", Values.longValue(queries, "QUERY_ELAPSED_MS"))
                .metric("queued_overload_ms", Values.longValue(queries, "QUEUED_OVERLOAD_MS"))
                .metric("transaction_blocked_ms", Values.longValue(queries, "TRANSACTION_BLOCKED_MS"));
        boolean capped = count >= RESULT_LIMIT;
        if (logins != null) {
            long loginCount = Values.longValue(logins, "LOGINS");
            result.metric("logins", loginCount).metric("failed_logins", Values.longValue(logins, "FAILED_LOGINS"));
            capped |= loginCount >= RESULT_LIMIT;
        }
        if (capped) {
            result.add(Finding.of("SF_ACTIVITY_CAPPED", Severity.INFO, "More than " + RESULT_LIMIT
                            + " statements or logins today: the activity counters cover the most recent " + RESULT_LIMIT)
                    .detail("INFORMATION_SCHEMA's history functions return at most " + RESULT_LIMIT + " rows, so the day's totals "
                            + "stop growing at that number and their rate reads as zero until midnight UTC. The warehouse-load check "
                            + "still shows queued and blocked load; SNOWFLAKE.ACCOUNT_USAGE has complete counts, 45 minutes late.")
                    .playbook(playbook("sf-activity")).build());
        }
        return result.build();
    }
}
