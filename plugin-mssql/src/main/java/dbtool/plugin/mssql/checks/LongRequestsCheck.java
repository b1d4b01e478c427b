package dbtool.plugin.mssql.checks;

import dbtool.plugin.mssql.SqlServerSession;
import dbtool.spi.Category;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.spi.Threshold;
import dbtool.toolkit.Format;
import dbtool.toolkit.Values;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Requests running longer than a threshold, with their statement, wait, blocker, CPU, reads and memory grant. */
final class LongRequestsCheck extends SqlServerCheck {

    static final Threshold WARNING_AGE = Threshold.number("long_query_seconds", 60, "s",
            "WARNING from this elapsed time; waits in progress this long are named in MSSQL_WAITS");

    static final Threshold CRITICAL_AGE = Threshold.number("long_query_critical_seconds", 900, "s",
            "requests running this long are CRITICAL");

    @Override
    public List<Threshold> thresholds() {
        return List.of(WARNING_AGE, CRITICAL_AGE);
    }

    // The statement running now, cut from its batch by the request's offsets (bytes of nvarchar, -1 for
    // the end of the batch), at most 300 characters: for a procedure the batch is its CREATE PROCEDURE.
    // Requests that never end by design are left out: sp_server_diagnostics (run on every AG/FCI node by
    // the cluster), WAITFOR, Service Broker's RECEIVE, the default trace writer, Extended Events live
    // targets. A NULL wait type is a running request and stays. SQL Server 2016-2022, Azure SQL Database.
    static final String SQL = """
            SELECT TOP (20) r.session_id, r.status, r.command, r.wait_type, r.blocking_session_id,
                   r.total_elapsed_time / 1000 AS elapsed_seconds, r.cpu_time AS cpu_ms, r.logical_reads,
                   r.granted_query_memory * 8 AS granted_kb, s.login_name, s.program_name,
                   SUBSTRING(t.text, r.statement_start_offset / 2 + 1,
                             CASE WHEN r.statement_end_offset = -1 OR (r.statement_end_offset - r.statement_start_offset) / 2 + 1 > 300
                                  THEN 300 ELSE (r.statement_end_offset - r.statement_start_offset) / 2 + 1 END) AS sql_text
            FROM sys.dm_exec_requests AS r
            JOIN sys.dm_exec_sessions AS s ON s.session_id = r.session_id
            OUTER APPLY sys.dm_exec_sql_text(r.sql_handle) AS t
            WHERE s.is_user_process = 1 AND r.session_id <> @@SPID
              AND (r.wait_type IS NULL OR r.wait_type NOT IN (N'SP_SERVER_DIAGNOSTICS_SLEEP', N'WAITFOR', N'BROKER_RECEIVE_WAITFOR',
                   N'TRACEWRITE', N'XE_LIVE_TARGET_TVF', N'BROKER_TASK_STOP'))
              AND r.command NOT IN (N'WAITFOR')
            ORDER BY r.total_elapsed_time DESC
            """;

    /** The same waits as the statement leaves out, so that rows from an older statement or a fixture cannot raise them. */
    static final Set<String> NEVER_ENDING_WAITS = Set.of("SP_SERVER_DIAGNOSTICS_SLEEP", "WAITFOR", "BROKER_RECEIVE_WAITFOR", "TRACEWRITE",
            "XE_LIVE_TARGET_TVF", "BROKER_TASK_STOP");

    LongRequestsCheck() {
        super("long-requests", Category.QUERIES, "requests running longer than long_query_seconds, with statement, wait, blocker, CPU and reads");
    }

    @Override
    Set<String> codes() {
        return Set.of("MSSQL_LONG_REQUEST");
    }

    @Override
    protected CheckResult diagnose(SqlServerSession session, CheckContext context) throws Exception {
        return interpret(session.query(SQL, context), context);
    }

    static CheckResult interpret(List<Map<String, Object>> rows, CheckContext context) {
        double warning = WARNING_AGE.value(context);
        double critical = CRITICAL_AGE.value(context);
        List<Map<String, Object>> over = rows.stream().filter(r -> Values.longValue(r, "elapsed_seconds") >= warning)
                .filter(r -> !NEVER_ENDING_WAITS.contains(Values.line(r, "wait_type").toUpperCase(Locale.ROOT))
                        && !"WAITFOR".equalsIgnoreCase(Values.line(r, "command")))
                .toList();
        CheckResult.Builder result = CheckResult.builder().metric("long_requests", over.size());
        if (over.isEmpty()) {
            return result.build();
        }
        Map<String, Object> first = over.getFirst();
        long longest = Values.longValue(first, "elapsed_seconds");
        return result.add(Finding.of("MSSQL_LONG_REQUEST", longest >= critical ? Severity.CRITICAL : Severity.WARNING,
                        over.size() + (over.size() == 1 ? " request has" : " requests have") + " run longer than " + Format.duration((long) warning)
                                + "; the longest for " + Format.duration(longest) + " (session " + Values.longValue(first, "session_id") + ")")
                .evidence("sessionIds", over.stream().map(r -> Values.longValue(r, "session_id")).toList())
                .evidence("requests", over)
                .recommendation("If it should not run this long: KILL " + Values.longValue(first, "session_id")
                        + ";  (rolls back its work; check the plan with sys.dm_exec_query_plan first)")
                .playbook(playbook("mssql-long-request")).build()).build();
    }
}
