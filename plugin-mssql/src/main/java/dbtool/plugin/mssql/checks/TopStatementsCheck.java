package dbtool.plugin.mssql.checks;

import dbtool.plugin.mssql.SqlServerSession;
import dbtool.spi.Category;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.toolkit.Values;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cached statements that used the most CPU and the most elapsed time since their plans were
 * cached (sys.dm_exec_query_stats), each cut from its batch by its statement offsets. INFO: they
 * say where to look, not that anything is wrong.
 */
final class TopStatementsCheck extends SqlServerCheck {

    // The top five are chosen first, inside the derived table; only their five handles are then turned
    // into text and a database (sys.dm_exec_sql_text for the whole plan cache would read every batch).
    // The database is the plan's dbid attribute (the text's dbid is NULL for ad hoc and prepared
    // statements). Offsets count bytes of nvarchar text (2 per character); -1 ends the batch. At most 300
    // characters of each statement travel. ORDER_BY is replaced by the ordering column.
    // SQL Server 2016-2022, Azure SQL Database.
    private static final String TEMPLATE = """
            SELECT q.total_cpu_ms, q.total_elapsed_ms, q.execution_count, q.total_logical_reads, q.statement_start_offset,
                   q.statement_end_offset, q.cached_seconds, DB_NAME(pa.dbid) AS database_name,
                   SUBSTRING(t.text, q.statement_start_offset / 2 + 1,
                             CASE WHEN q.statement_end_offset = -1 OR (q.statement_end_offset - q.statement_start_offset) / 2 + 1 > 300
                                  THEN 300 ELSE (q.statement_end_offset - q.statement_start_offset) / 2 + 1 END) AS statement_text
            FROM (SELECT TOP (5) qs.sql_handle, qs.plan_handle, qs.total_worker_time / 1000 AS total_cpu_ms,
                         qs.total_elapsed_time / 1000 AS total_elapsed_ms, qs.execution_count, qs.total_logical_reads,
                         qs.statement_start_offset, qs.statement_end_offset,
                         DATEDIFF(SECOND, qs.creation_time, GETDATE()) AS cached_seconds, qs.ORDER_BY AS ordering
                  FROM sys.dm_exec_query_stats AS qs
                  ORDER BY qs.ORDER_BY DESC) AS q
            OUTER APPLY sys.dm_exec_sql_text(q.sql_handle) AS t
            OUTER APPLY (SELECT CAST(pa.value AS int) AS dbid FROM sys.dm_exec_plan_attributes(q.plan_handle) AS pa
                         WHERE pa.attribute = N'dbid') AS pa
            ORDER BY q.ordering DESC
            """;

    static final String BY_CPU_SQL = TEMPLATE.replace("ORDER_BY", "total_worker_time");
    static final String BY_ELAPSED_SQL = TEMPLATE.replace("ORDER_BY", "total_elapsed_time");

    TopStatementsCheck() {
        super("top-statements", Category.QUERIES, "top cached statements by CPU and by elapsed time (sys.dm_exec_query_stats)");
    }

    @Override
    Set<String> codes() {
        return Set.of("MSSQL_TOP_CPU_STATEMENTS", "MSSQL_TOP_ELAPSED_STATEMENTS");
    }

    @Override
    protected CheckResult diagnose(SqlServerSession session, CheckContext context) throws Exception {
        return interpret(session.query(BY_CPU_SQL, context), session.query(BY_ELAPSED_SQL, context));
    }

    static CheckResult interpret(List<Map<String, Object>> byCpu, List<Map<String, Object>> byElapsed) {
        CheckResult.Builder result = CheckResult.builder()
                .metric("top_statement_cpu_ms", byCpu.isEmpty() ? 0 : Values.longValue(byCpu.getFirst(), "total_cpu_ms"))
                .metric("top_statement_elapsed_ms", byElapsed.isEmpty() ? 0 : Values.longValue(byElapsed.getFirst(), "total_elapsed_ms"));
        if (!byCpu.isEmpty()) {
            result.add(top("MSSQL_TOP_CPU_STATEMENTS", "CPU", "total_cpu_ms", byCpu));
        }
        if (!byElapsed.isEmpty()) {
            result.add(top("MSSQL_TOP_ELAPSED_STATEMENTS", "elapsed time", "total_elapsed_ms", byElapsed));
        }
        return result.build();
    }

    private static Finding top(String code, String what, String column, List<Map<String, Object>> rows) {
        List<Map<String, Object>> statements = rows.stream().map(TopStatementsCheck::statement).toList();
        Map<String, Object> first = statements.getFirst();
        return Finding.of(code, Severity.INFO, "Top cached statement by " + what + ": " + Values.longValue(rows.getFirst(), column) / 1000 + " s in "
                        + Values.longValue(first, "executions") + " executions (" + Values.line(first, "database") + "): " + abbreviate(Values.line(first, "statement"), 80))
                .detail("Totals since each plan was cached (restarts, recompiles and memory pressure empty the cache). "
                        + "A statement with a high average per execution is the one to tune; a high count with a low average "
                        + "is called too often.")
                .evidence("statements", statements)
                .playbook(playbook("mssql-top-statements")).build();
    }

    private static Map<String, Object> statement(Map<String, Object> row) {
        long executions = Math.max(1, Values.longValue(row, "execution_count"));
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("database", Values.line(row, "database_name"));
        statement.put("executions", Values.longValue(row, "execution_count"));
        statement.put("totalCpuMs", Values.longValue(row, "total_cpu_ms"));
        statement.put("avgCpuMs", Math.round(10.0 * Values.longValue(row, "total_cpu_ms") / executions) / 10.0);
        statement.put("totalElapsedMs", Values.longValue(row, "total_elapsed_ms"));
        statement.put("avgElapsedMs", Math.round(10.0 * Values.longValue(row, "total_elapsed_ms") / executions) / 10.0);
        statement.put("logicalReads", Values.longValue(row, "total_logical_reads"));
        statement.put("cachedSeconds", Values.longValue(row, "cached_seconds"));
        statement.put("statement", Values.line(row, "statement_text"));
        return statement;
    }

    private static String abbreviate(String text, int length) {
        return text.length() <= length ? text : text.substring(0, length) + "...";
    }
}
