package dbtool.plugin.mssql.checks;

import dbtool.plugin.mssql.SqlServerSession;
import dbtool.spi.Category;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.util.List;
import java.util.Map;

/** Requests running longer than a threshold, with their statement, wait, blocker, CPU, reads and memory grant. */
final class LongRequestsCheck extends SqlServerCheck {

    // SQL Server 2016-2022, Azure SQL Database.
    static final String SQL = """
            SELECT TOP (20) r.session_id, r.status, r.command, r.wait_type, r.blocking_session_id,
                   r.total_elapsed_time / 1000 AS elapsed_seconds, r.cpu_time AS cpu_ms, r.logical_reads,
                   r.granted_query_memory * 8 AS granted_kb, s.login_name, s.program_name,
                   LEFT(t.text, 300) AS sql_text
            FROM sys.dm_exec_requests AS r
            JOIN sys.dm_exec_sessions AS s ON s.session_id = r.session_id
            OUTER APPLY sys.dm_exec_sql_text(r.sql_handle) AS t
            WHERE s.is_user_process = 1 AND r.session_id <> @@SPID
            ORDER BY r.total_elapsed_time DESC
            """;

    LongRequestsCheck() {
        super("long-requests", Category.QUERIES, "requests running longer than long_query_seconds, with statement, wait, blocker, CPU and reads");
    }

    @Override
    protected CheckResult diagnose(SqlServerSession session, CheckContext context) throws Exception {
        return interpret(session.query(SQL, context), context);
    }

    static CheckResult interpret(List<Map<String, Object>> rows, CheckContext context) {
        double warning = context.number("long_query_seconds", 60);
        double critical = context.number("long_query_critical_seconds", 900);
        List<Map<String, Object>> over = rows.stream().filter(r -> number(r, "elapsed_seconds") >= warning).toList();
        CheckResult.Builder result = CheckResult.builder().metric("long_requests", over.size());
        if (over.isEmpty()) {
            return result.build();
        }
        Map<String, Object> first = over.getFirst();
        long longest = number(first, "elapsed_seconds");
        return result.add(Finding.of("MSSQL_LONG_REQUEST", longest >= critical ? Severity.CRITICAL : Severity.WARNING,
                        over.size() + (over.size() == 1 ? " request has" : " requests have") + " run longer than " + human((long) warning)
                                + "; the longest for " + human(longest) + " (session " + number(first, "session_id") + ")")
                .evidence("sessionIds", over.stream().map(r -> number(r, "session_id")).toList())
                .evidence("requests", over)
                .recommendation("If it should not run this long: KILL " + number(first, "session_id")
                        + ";  (rolls back its work; check the plan with sys.dm_exec_query_plan first)")
                .playbook(playbook("mssql_long_request")).build()).build();
    }
}
