package dbtool.plugin.mssql.activity;

import dbtool.plugin.mssql.SqlServerSession;
import dbtool.plugin.mssql.checks.Support;
import dbtool.spi.Activity;
import dbtool.spi.ActiveSession;
import dbtool.spi.CheckContext;
import dbtool.toolkit.ActivityTrees;
import dbtool.toolkit.Values;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code dbtool top}'s snapshot of a SQL Server: two statements per refresh, one for the load
 * (connections of the maximum, the cumulative "/sec" performance counters the view turns into rates)
 * and one for the sessions running a request or holding a transaction open, with their blocker.
 * SQL Server 2016 to 2022, Azure SQL Database and Managed Instance.
 */
public final class SqlServerActivity {

    /**
     * The "/sec" counters of dm_os_performance_counters are totals since the service started
     * (cntr_type 272696576): the view's deltas between refreshes make them rates. The object name's
     * prefix differs by instance (SQLServer: or MSSQL$NAME:), hence LIKE. 'user connections' at 0
     * means the default, @@MAX_CONNECTIONS.
     */
    static final String LOAD = """
            SELECT (SELECT COUNT(*) FROM sys.dm_exec_sessions WHERE is_user_process = 1) AS connections,
                   (SELECT CAST(value_in_use AS int) FROM sys.configurations WHERE name = N'user connections') AS user_connections,
                   @@MAX_CONNECTIONS AS max_connections,
                   (SELECT MAX(cntr_value) FROM sys.dm_os_performance_counters
                    WHERE object_name LIKE N'%SQL Statistics%' AND counter_name = N'Batch Requests/sec') AS batch_requests,
                   (SELECT MAX(cntr_value) FROM sys.dm_os_performance_counters
                    WHERE object_name LIKE N'%:Databases%' AND counter_name = N'Transactions/sec' AND instance_name = N'_Total') AS transactions
            """;

    /**
     * User sessions with a request, or sleeping with a transaction open (the head blocker that waits
     * for its client). CPU and I/O are the session's totals (cpu_time ms, logical reads and writes in
     * 8 KB pages), which keep growing across its requests, so the view's ms/s and pages/s stay
     * meaningful between statements. The statement is the one running now, cut from its batch by the
     * request's offsets. Requests that never end by design (the cluster's sp_server_diagnostics,
     * WAITFOR, Service Broker's RECEIVE) are left out, as the long-requests check leaves them out.
     */
    static final String SESSIONS = """
            SELECT TOP (200) s.session_id, s.login_name, DB_NAME(COALESCE(r.database_id, s.database_id)) AS database_name,
                   s.program_name, c.client_net_address, COALESCE(r.status, s.status) AS status, r.command,
                   CASE WHEN r.session_id IS NOT NULL THEN CAST(r.total_elapsed_time AS bigint)
                        ELSE DATEDIFF_BIG(millisecond, s.last_request_start_time, SYSDATETIME()) END AS running_ms,
                   r.wait_type, r.wait_resource, r.blocking_session_id, s.open_transaction_count,
                   s.cpu_time AS cpu_ms, s.logical_reads + s.writes AS io_pages,
                   SUBSTRING(t.text, r.statement_start_offset / 2 + 1,
                             CASE WHEN r.statement_end_offset = -1 OR (r.statement_end_offset - r.statement_start_offset) / 2 + 1 > 8000
                                  THEN 8000 ELSE (r.statement_end_offset - r.statement_start_offset) / 2 + 1 END) AS sql_text
            FROM sys.dm_exec_sessions AS s
            LEFT JOIN sys.dm_exec_requests AS r ON r.session_id = s.session_id
            LEFT JOIN sys.dm_exec_connections AS c ON c.session_id = s.session_id AND c.most_recent_session_id = s.session_id
                                                     AND c.parent_connection_id IS NULL
            OUTER APPLY sys.dm_exec_sql_text(r.sql_handle) AS t
            WHERE s.is_user_process = 1 AND s.session_id <> @@SPID
              AND (r.session_id IS NOT NULL OR s.open_transaction_count > 0)
              AND (r.wait_type IS NULL OR r.wait_type NOT IN (N'SP_SERVER_DIAGNOSTICS_SLEEP', N'WAITFOR', N'BROKER_RECEIVE_WAITFOR',
                   N'TRACEWRITE', N'XE_LIVE_TARGET_TVF', N'BROKER_TASK_STOP'))
            ORDER BY running_ms DESC
            """;

    /** Every DMV read here exists on every server the plugin supports; the guard still names an older one. */
    private static final Support SUPPORT = Support.EVERYWHERE;

    private SqlServerActivity() {
    }

    public static Activity read(SqlServerSession session, CheckContext context) throws SQLException {
        Optional<String> refused = SUPPORT.skipReason(session.server());
        if (refused.isPresent()) {
            throw new SQLException(refused.get());
        }
        Instant at = Instant.now();
        Map<String, Object> load = session.queryOne(LOAD, context);
        List<Map<String, Object>> rows = session.query(SESSIONS, context);
        return interpret(at, load, rows);
    }

    /** The two result sets as a snapshot; separate from the reading so that fixtures can test it. */
    public static Activity interpret(Instant at, Map<String, Object> load, List<Map<String, Object>> rows) {
        Map<String, String> figures = new LinkedHashMap<>();
        long configured = Values.longValue(load, "user_connections");
        long max = configured > 0 ? configured : Values.longValue(load, "max_connections");
        figures.put("connections", Values.longValue(load, "connections") + " of " + max);
        Map<String, Double> counters = new LinkedHashMap<>();
        counters.put("batch requests", Values.doubleValue(load, "batch_requests"));
        counters.put("transactions", Values.doubleValue(load, "transactions"));
        List<ActiveSession> sessions = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            sessions.add(session(row));
        }
        return new Activity(at, 2, figures, counters, ActivityTrees.fold(sessions));
    }

    private static ActiveSession session(Map<String, Object> row) {
        String id = String.valueOf(Values.longValue(row, "session_id"));
        // Negative blockers are not sessions (-2 an orphaned distributed transaction, -3 deferred
        // recovery, -4 a latch owner being moved): the wait resource line still says what it waits on.
        long blocker = Values.longValue(row, "blocking_session_id");
        List<String> blockedBy = blocker > 0 ? List.of(String.valueOf(blocker)) : List.of();
        String waitType = nullIfEmpty(row, "wait_type");
        String resource = nullIfEmpty(row, "wait_resource");
        List<String> locks = new ArrayList<>();
        if (resource != null) {
            locks.add((waitType == null ? "" : waitType + " ") + "waits on " + resource
                    + (blocker < 0 ? " (blocking_session_id " + blocker + ")" : ""));
        }
        long open = Values.longValue(row, "open_transaction_count");
        if (open > 0) {
            locks.add(open + (open == 1 ? " transaction open" : " transactions open") + ": its locks are held until it ends");
        }
        Object running = Values.get(row, "running_ms");
        Object cpu = Values.get(row, "cpu_ms");
        Object io = Values.get(row, "io_pages");
        return new ActiveSession(id, nullIfEmpty(row, "login_name"), nullIfEmpty(row, "database_name"),
                nullIfEmpty(row, "program_name"), nullIfEmpty(row, "client_net_address"), nullIfEmpty(row, "status"),
                running == null ? null : Duration.ofMillis(Math.max(0, Values.longValue(row, "running_ms"))),
                waitType == null ? null : waitClass(waitType), waitType, blockedBy, 0,
                cpu == null ? null : Values.doubleValue(row, "cpu_ms"), io == null ? null : Values.doubleValue(row, "io_pages"),
                nullIfEmpty(row, "sql_text"), locks,
                // KILL is the only way to stop another session's request: there is no "cancel the
                // statement only" in T-SQL, so both show KILL, which rolls the transaction back.
                "KILL " + id, "KILL " + id);
    }

    /**
     * The family of a wait type, the view's "waits by type" (the wait itself stays in waitEvent): locks (LCK_M_*), page I/O latches,
     * other latches, the log, memory grants, network (the client not reading), parallelism, CPU.
     */
    static String waitClass(String waitType) {
        if (waitType.startsWith("LCK_M_")) {
            return "Lock";
        }
        if (waitType.startsWith("PAGEIOLATCH_") || waitType.startsWith("IO_COMPLETION") || waitType.startsWith("ASYNC_IO")) {
            return "IO";
        }
        if (waitType.startsWith("PAGELATCH_") || waitType.startsWith("LATCH_")) {
            return "Latch";
        }
        if (waitType.startsWith("WRITELOG") || waitType.startsWith("LOG")) {
            return "Log";
        }
        if (waitType.startsWith("RESOURCE_SEMAPHORE")) {
            return "Memory";
        }
        if (waitType.equals("ASYNC_NETWORK_IO")) {
            return "Network";
        }
        if (waitType.startsWith("CXPACKET") || waitType.startsWith("CXCONSUMER") || waitType.startsWith("CXSYNC")) {
            return "Parallelism";
        }
        if (waitType.equals("SOS_SCHEDULER_YIELD") || waitType.equals("THREADPOOL")) {
            return "CPU";
        }
        return "Other";
    }

    private static String nullIfEmpty(Map<String, Object> row, String column) {
        String text = Values.text(row, column);
        return text.isEmpty() ? null : text;
    }
}
