package dbtool.plugin.mssql.activity;

import dbtool.plugin.mssql.ContextInfo;
import dbtool.plugin.mssql.SqlServerSession;
import dbtool.plugin.mssql.checks.Support;
import dbtool.spi.Activity;
import dbtool.spi.ActiveSession;
import dbtool.spi.CheckContext;
import dbtool.toolkit.ActivityTrees;
import dbtool.toolkit.Format;
import dbtool.toolkit.Values;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code dbtool top}'s snapshot of a SQL Server: two to four statements per refresh, one for the load
 * (connections of the maximum, the cumulative "/sec" performance counters the view turns into rates),
 * one for the sessions running a request or holding a transaction open, with their blocker, then,
 * only when there are such sessions, the locks they hold or wait for (sys.dm_tran_locks), and only
 * when a request runs in parallel, the waits of its tasks (sys.dm_os_waiting_tasks), where the
 * blocker of a parallel request often shows in a worker task rather than in dm_exec_requests.
 * SQL Server 2016 to 2022, Azure SQL Database and Managed Instance.
 */
public final class SqlServerActivity {

    /**
     * The "/sec" counters of dm_os_performance_counters are totals since the service started
     * (cntr_type 272696576): the view's deltas between refreshes make them rates. The object name's
     * prefix differs by instance (SQLServer: or MSSQL$NAME:), hence LIKE. 'user connections' at 0
     * means the default, @@MAX_CONNECTIONS. Availability-group lag: on the primary, how far each
     * secondary database's last commit trails the primary's (the documented way to estimate data loss
     * in seconds from last_commit_time, 2012 on); no rows, so NULL, on a server in no group.
     */
    static final String LOAD = """
            SELECT (SELECT COUNT(*) FROM sys.dm_exec_sessions WHERE is_user_process = 1) AS connections,
                   (SELECT CAST(value_in_use AS int) FROM sys.configurations WHERE name = N'user connections') AS user_connections,
                   @@MAX_CONNECTIONS AS max_connections,
                   (SELECT MAX(cntr_value) FROM sys.dm_os_performance_counters
                    WHERE object_name LIKE N'%SQL Statistics%' AND counter_name = N'Batch Requests/sec') AS batch_requests,
                   (SELECT MAX(cntr_value) FROM sys.dm_os_performance_counters
                    WHERE object_name LIKE N'%:Databases%' AND counter_name = N'Transactions/sec' AND instance_name = N'_Total') AS transactions,
                   (SELECT COUNT(*) FROM sys.dm_hadr_database_replica_states WHERE is_local = 0) AS ag_replicas,
                   (SELECT MAX(DATEDIFF(second, s.last_commit_time, p.last_commit_time))
                    FROM sys.dm_hadr_database_replica_states AS s
                    JOIN sys.dm_hadr_database_replica_states AS p ON p.group_database_id = s.group_database_id
                                                                 AND p.is_local = 1 AND p.is_primary_replica = 1
                    WHERE s.is_local = 0) AS ag_lag_seconds
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
                   r.wait_type, r.wait_resource, r.blocking_session_id, s.open_transaction_count, r.dop,
                   s.cpu_time AS cpu_ms, s.logical_reads + s.writes AS io_pages,
                   SUBSTRING(t.text, r.statement_start_offset / 2 + 1,
                             CASE WHEN r.statement_end_offset = -1 OR (r.statement_end_offset - r.statement_start_offset) / 2 + 1 > 8000
                                  THEN 8000 ELSE (r.statement_end_offset - r.statement_start_offset) / 2 + 1 END) AS sql_text,
                   CONVERT(varchar(128), s.context_info) AS context_info
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

    /** The sessions whose locks and task waits are read in one statement: the first of the list, the longest running. */
    static final int DETAILED_SESSIONS = 50;

    /** Lock lines per session; a session holding thousands of key locks shows its largest groups. */
    static final int LOCK_LINES = 8;

    /**
     * The locks of the listed sessions, grouped by what they lock (the object id for OBJECT locks, the
     * heap or B-tree for KEY, PAGE and RID locks), mode and status; waiting requests first. Names are
     * not resolved (OBJECT_NAME and the catalog views can wait behind the schema locks being watched):
     * OBJECT_NAME(id, database id) gives them afterwards. DATABASE shared locks, which every session
     * holds, are left out. Checked against SQL Server 2016 to 2022 and Azure SQL Database.
     */
    static String locks(List<String> sessionIds) {
        return """
                SELECT TOP (400) l.request_session_id AS session_id, l.resource_type, DB_NAME(l.resource_database_id) AS database_name,
                       l.resource_associated_entity_id AS entity_id, l.request_mode, l.request_status, COUNT(*) AS lock_count
                FROM sys.dm_tran_locks AS l
                WHERE l.request_session_id IN (%s) AND l.resource_type <> N'DATABASE'
                GROUP BY l.request_session_id, l.resource_type, l.resource_database_id, l.resource_associated_entity_id,
                         l.request_mode, l.request_status
                ORDER BY l.request_session_id, CASE l.request_status WHEN N'GRANT' THEN 1 ELSE 0 END, COUNT(*) DESC
                """.formatted(String.join(", ", sessionIds));
    }

    /**
     * The waiting tasks of parallel requests (dm_exec_requests.dop above 1): one row per task that
     * waits, with what it waits for and, for a lock, which session holds it.
     */
    static String tasks(List<String> sessionIds) {
        return """
                SELECT TOP (400) wt.session_id, wt.exec_context_id, wt.wait_type, wt.wait_duration_ms, wt.blocking_session_id
                FROM sys.dm_os_waiting_tasks AS wt
                WHERE wt.session_id IN (%s)
                ORDER BY wt.session_id, wt.wait_duration_ms DESC
                """.formatted(String.join(", ", sessionIds));
    }

    /** Every DMV read here exists on every server the plugin supports; the guard still names an older one. */
    private static final Support SUPPORT = Support.EVERYWHERE;

    private SqlServerActivity() {
    }

    public static Activity read(SqlServerSession session, CheckContext context) throws SQLException {
        Optional<String> refused = SUPPORT.skipReason(session.server());
        if (refused.isPresent()) {
            throw new SQLException(refused.get());
        }
        Map<String, Object> load = session.queryOne(LOAD, context);
        // When the counters were read: after the answer, so that a first refresh's login is not counted as time between samples.
        Instant at = Instant.now();
        List<Map<String, Object>> rows = session.query(SESSIONS, context);
        int statements = 2;
        // Ids are the server's own integers, read back as numbers: nothing from a client reaches the text.
        List<String> ids = rows.stream().limit(DETAILED_SESSIONS).map(r -> String.valueOf(Values.longValue(r, "session_id"))).toList();
        List<Map<String, Object>> locks = List.of();
        if (!ids.isEmpty()) {
            locks = session.query(locks(ids), context);
            statements++;
        }
        List<String> parallel = rows.stream().limit(DETAILED_SESSIONS).filter(r -> Values.longValue(r, "dop") > 1)
                .map(r -> String.valueOf(Values.longValue(r, "session_id"))).toList();
        List<Map<String, Object>> tasks = List.of();
        if (!parallel.isEmpty()) {
            tasks = session.query(tasks(parallel), context);
            statements++;
        }
        return interpret(at, load, rows, locks, tasks, statements);
    }

    /** The two result sets as a snapshot, without lock or task rows; separate from the reading so that fixtures can test it. */
    public static Activity interpret(Instant at, Map<String, Object> load, List<Map<String, Object>> rows) {
        return interpret(at, load, rows, List.of(), List.of(), 2);
    }

    /** The result sets as a snapshot: load, sessions, their locks (dm_tran_locks) and their parallel tasks' waits. */
    public static Activity interpret(Instant at, Map<String, Object> load, List<Map<String, Object>> rows,
                                     List<Map<String, Object>> lockRows, List<Map<String, Object>> taskRows, int statements) {
        Map<String, String> figures = new LinkedHashMap<>();
        long configured = Values.longValue(load, "user_connections");
        long max = configured > 0 ? configured : Values.longValue(load, "max_connections");
        figures.put("connections", Values.longValue(load, "connections") + " of " + max);
        if (Values.longValue(load, "ag_replicas") > 0) {
            // NULL with replicas: this is a secondary (it sees no primary's commits), or none has committed yet.
            Object lag = Values.get(load, "ag_lag_seconds");
            figures.put("AG lag", lag == null ? "read it on the primary" : Format.duration(Math.max(0, Values.longValue(load, "ag_lag_seconds"))));
        }
        Map<String, Double> counters = new LinkedHashMap<>();
        counters.put("batch requests", Values.doubleValue(load, "batch_requests"));
        counters.put("transactions", Values.doubleValue(load, "transactions"));
        Map<String, List<Map<String, Object>>> locksBySession = bySession(lockRows);
        Map<String, List<Map<String, Object>>> tasksBySession = bySession(taskRows);
        List<ActiveSession> sessions = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            String id = String.valueOf(Values.longValue(row, "session_id"));
            sessions.add(session(row, locksBySession.getOrDefault(id, List.of()), tasksBySession.getOrDefault(id, List.of())));
        }
        return new Activity(at, statements, figures, counters, ActivityTrees.fold(sessions));
    }

    private static Map<String, List<Map<String, Object>>> bySession(List<Map<String, Object>> rows) {
        Map<String, List<Map<String, Object>>> grouped = new LinkedHashMap<>();
        for (Map<String, Object> row : rows) {
            grouped.computeIfAbsent(String.valueOf(Values.longValue(row, "session_id")), k -> new ArrayList<>()).add(row);
        }
        return grouped;
    }

    private static ActiveSession session(Map<String, Object> row, List<Map<String, Object>> lockRows, List<Map<String, Object>> taskRows) {
        String id = String.valueOf(Values.longValue(row, "session_id"));
        // Negative blockers are not sessions (-2 an orphaned distributed transaction, -3 deferred
        // recovery, -4 a latch owner being moved): the wait resource line still says what it waits on.
        long blocker = Values.longValue(row, "blocking_session_id");
        Set<String> blockers = new LinkedHashSet<>();
        if (blocker > 0) {
            blockers.add(String.valueOf(blocker));
        }
        // A parallel request's main task may wait on CXPACKET while a worker waits for the lock: its
        // blocker shows only among the tasks.
        for (Map<String, Object> task : taskRows) {
            long taskBlocker = Values.longValue(task, "blocking_session_id");
            if (taskBlocker > 0 && taskBlocker != Values.longValue(row, "session_id")) {
                blockers.add(String.valueOf(taskBlocker));
            }
        }
        List<String> blockedBy = List.copyOf(blockers);
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
        lockRows.stream().limit(LOCK_LINES).forEach(lock -> locks.add(lockLine(lock)));
        if (lockRows.size() > LOCK_LINES) {
            locks.add("... and " + (lockRows.size() - LOCK_LINES) + " more groups of locks");
        }
        Map<String, String> details = new LinkedHashMap<>();
        long dop = Values.longValue(row, "dop");
        if (dop > 1) {
            details.put("parallel", "degree " + dop + (taskRows.isEmpty() ? ", no task waiting" : ", task waits: " + taskWaits(taskRows)));
        }
        // Where applications that cannot comment their statements put a traceparent: ActiveSession.trace() reads it here.
        if (!ContextInfo.text(row).isEmpty()) {
            details.put("context_info", ContextInfo.text(row));
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
                "KILL " + id, "KILL " + id, details);
    }

    /** "holds 412 X on KEY in shop (hobt 72057594043236352)", "waits for S on OBJECT 1237579447 in shop". */
    static String lockLine(Map<String, Object> lock) {
        String status = Values.text(lock, "request_status");
        String verb = switch (status) {
            case "GRANT" -> "holds";
            case "WAIT" -> "waits for";
            case "CONVERT" -> "converting to";
            default -> status.toLowerCase(Locale.ROOT);
        };
        long count = Values.longValue(lock, "lock_count");
        String type = Values.text(lock, "resource_type");
        long entity = Values.longValue(lock, "entity_id");
        String on = switch (type) {
            case "OBJECT" -> "OBJECT " + entity;
            case "KEY", "PAGE", "RID", "HOBT" -> type + (entity == 0 ? "" : " (hobt " + entity + ")");
            default -> type;
        };
        String database = Values.text(lock, "database_name");
        return verb + " " + (count > 1 ? count + " " : "") + Values.text(lock, "request_mode") + " on " + on
                + (database.isEmpty() ? "" : " in " + database);
    }

    /** "CXPACKET x6 (longest 1.2 s), LCK_M_S x1 (longest 9.0 s, held by 52)": the tasks' waits by type, longest first. */
    static String taskWaits(List<Map<String, Object>> tasks) {
        Map<String, long[]> byType = new LinkedHashMap<>();
        Map<String, Set<String>> holders = new LinkedHashMap<>();
        for (Map<String, Object> task : tasks) {
            String type = Values.text(task, "wait_type");
            long[] countAndLongest = byType.computeIfAbsent(type, k -> new long[2]);
            countAndLongest[0]++;
            countAndLongest[1] = Math.max(countAndLongest[1], Values.longValue(task, "wait_duration_ms"));
            long blocker = Values.longValue(task, "blocking_session_id");
            if (blocker > 0 && blocker != Values.longValue(task, "session_id")) {
                holders.computeIfAbsent(type, k -> new LinkedHashSet<>()).add(String.valueOf(blocker));
            }
        }
        List<String> parts = new ArrayList<>();
        byType.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1])).forEach(e -> parts.add(
                String.format(Locale.ROOT, "%s x%d (longest %.1f s%s)", e.getKey(), e.getValue()[0], e.getValue()[1] / 1000.0,
                        holders.containsKey(e.getKey()) ? ", held by " + String.join(", ", holders.get(e.getKey())) : "")));
        return String.join(", ", parts);
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
