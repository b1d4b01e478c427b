package dbtool.plugin.postgres.checks;

import dbtool.plugin.postgres.PostgresSession;
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

/** The most expensive statements of this database from pg_stat_statements, when it is installed. */
final class TopStatementsCheck extends PostgresCheck {

    private static final String EXTENSION = """
            SELECT e.extversion, quote_ident(n.nspname) AS schema
            FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
            WHERE e.extname = 'pg_stat_statements'
            """;

    // total_exec_time and mean_exec_time since PostgreSQL 13; total_time and mean_time before.
    private static final String TOP = """
            SELECT queryid::text AS queryid, calls,
                   round(%1$s::numeric, 1)::float8 AS total_ms,
                   round(%2$s::numeric, 2)::float8 AS mean_ms,
                   rows,
                   left(regexp_replace(query, '\\s+', ' ', 'g'), 160) AS query
            FROM %3$s.pg_stat_statements
            WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
            ORDER BY %4$s DESC
            LIMIT 5
            """;

    TopStatementsCheck() {
        super("top-statements", Category.QUERIES, "top statements by total and by mean time from pg_stat_statements");
    }

    @Override
    public Set<String> findingCodes() {
        return Set.of("PG_STAT_STATEMENTS_MISSING", "PG_TOP_STATEMENTS");
    }

    @Override
    protected CheckResult check(PostgresSession session, CheckContext context) throws Exception {
        Map<String, Object> extension = session.queryOne(EXTENSION, context);
        if (extension.isEmpty()) {
            return missing("pg_stat_statements is not installed in this database, so past statements cannot be ranked.");
        }
        String schema = Values.text(extension, "schema");
        List<Map<String, Object>> byTotal;
        List<Map<String, Object>> byMean;
        try {
            byTotal = session.query(top(session.serverVersion(), schema, Order.TOTAL), context);
            byMean = session.query(top(session.serverVersion(), schema, Order.MEAN), context);
        } catch (SQLException e) {
            // Typically "pg_stat_statements must be loaded via shared_preload_libraries".
            return missing("pg_stat_statements is installed but cannot be read: " + e.getMessage().replaceAll("\\s+", " "));
        }
        return interpret(byTotal, byMean, context);
    }

    /** The two rankings the check reads. */
    enum Order { TOTAL, MEAN }

    /**
     * The ranking query for a server: pg_stat_statements renamed total_time and mean_time to
     * total_exec_time and mean_exec_time in PostgreSQL 13; the result columns are the same.
     */
    static String top(int serverVersion, String schema, Order order) {
        boolean modern = serverVersion >= 130000;
        String total = modern ? "total_exec_time" : "total_time";
        String mean = modern ? "mean_exec_time" : "mean_time";
        return TOP.formatted(total, mean, schema, order == Order.TOTAL ? total : mean);
    }

    /** What the rows of the two rankings say, apart from the server: fixture rows in the tests take the queries' place. */
    static CheckResult interpret(List<Map<String, Object>> byTotal, List<Map<String, Object>> byMean, CheckContext context) {
        CheckResult.Builder result = CheckResult.builder().metric("statements_ranked", byTotal.size());
        if (byTotal.isEmpty()) {
            return result.build();
        }
        return result.add(Finding.of("PG_TOP_STATEMENTS", Severity.INFO,
                        "Top statement by total time: " + Values.doubleValue(byTotal.getFirst(), "total_ms") + " ms over "
                                + Values.longValue(byTotal.getFirst(), "calls") + " calls")
                .detail("Normalized statements of this database since pg_stat_statements was last reset.")
                .evidence("byTotalTime", byTotal)
                .evidence("byMeanTime", byMean)
                .recommendation("EXPLAIN (ANALYZE, BUFFERS) the top entries on a replica or with care; look for missing indexes and large sorts.")
                .playbook(playbook("pg-top-statements")).build()).build();
    }

    static CheckResult missing(String detail) {
        return CheckResult.builder().add(Finding.of("PG_STAT_STATEMENTS_MISSING", Severity.INFO,
                        "Statement history is not available (pg_stat_statements)")
                .detail(detail)
                .recommendation("Add pg_stat_statements to shared_preload_libraries (restart), then CREATE EXTENSION pg_stat_statements; "
                        + "in the databases you want to see.")
                .playbook(playbook("pg-top-statements")).build()).build();
    }
}
