package dbtool.plugin.mssql.checks;

import dbtool.plugin.mssql.ContextInfo;
import dbtool.plugin.mssql.SqlServerSession;
import dbtool.spi.Category;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.spi.Threshold;
import dbtool.spi.TraceContext;
import dbtool.toolkit.BlockingForest;
import dbtool.toolkit.Format;
import dbtool.toolkit.Values;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Blocking trees, the way sp_WhoIsActive's block-leader mode sees them: a head blocker blocks
 * others and is not blocked itself. Sessions come from sys.dm_exec_sessions (a head blocker is
 * often a sleeping session with an open transaction, which has no request row).
 */
final class BlockingCheck extends SqlServerCheck {

    static final Threshold CRITICAL_WAITERS = Threshold.number("blocked_sessions_critical", 5, "sessions",
            "CRITICAL from this many blocked sessions (or a sleeping head blocker with an open transaction)");

    static final Threshold CRITICAL_WAIT = Threshold.number("lock_wait_critical_seconds", 60, "s",
            "CRITICAL when the longest lock wait reaches this");

    @Override
    public List<Threshold> thresholds() {
        return List.of(CRITICAL_WAITERS, CRITICAL_WAIT);
    }

    // Only sessions involved in blocking: blocked requests (a negative blocker is no session: -2 an
    // orphaned distributed transaction, -3 a deferred recovery transaction, -4/-5 a latch whose owner is
    // unknown), their blockers, and the sessions of tasks waiting for a lock in sys.dm_os_waiting_tasks
    // (a parallel query's workers wait there while its request shows CXPACKET). For a request the text
    // is the statement running now, cut by its offsets; for a session without a request (a sleeping
    // head blocker) the start of the last batch it sent. SQL Server 2016-2022, Azure SQL Database.
    static final String SQL = """
            SELECT s.session_id, COALESCE(r.blocking_session_id, 0) AS blocking_session_id,
                   s.status, s.login_name, s.host_name, s.program_name, s.open_transaction_count,
                   r.wait_type, r.wait_time AS wait_ms, r.command,
                   DATEDIFF(SECOND, s.last_request_start_time, GETDATE()) AS seconds_since_request,
                   CASE WHEN r.session_id IS NULL THEN LEFT(t.text, 300)
                        ELSE SUBSTRING(t.text, r.statement_start_offset / 2 + 1,
                             CASE WHEN r.statement_end_offset = -1 OR (r.statement_end_offset - r.statement_start_offset) / 2 + 1 > 300
                                  THEN 300 ELSE (r.statement_end_offset - r.statement_start_offset) / 2 + 1 END) END AS sql_text,
                   CASE WHEN t.text LIKE N'%traceparent%' THEN SUBSTRING(t.text, PATINDEX(N'%/*%traceparent%', t.text), 1000) END AS trace_comment,
                   CONVERT(varchar(128), s.context_info) AS context_info
            FROM sys.dm_exec_sessions AS s
            LEFT JOIN sys.dm_exec_requests AS r ON r.session_id = s.session_id
            LEFT JOIN sys.dm_exec_connections AS c ON c.session_id = s.session_id
            OUTER APPLY sys.dm_exec_sql_text(COALESCE(r.sql_handle, c.most_recent_sql_handle)) AS t
            WHERE s.session_id <> @@SPID
              AND (r.blocking_session_id <> 0
                   OR s.session_id IN (SELECT blocking_session_id FROM sys.dm_exec_requests WHERE blocking_session_id > 0)
                   OR s.session_id IN (SELECT session_id FROM sys.dm_os_waiting_tasks
                                       WHERE wait_type LIKE N'LCK[_]M[_]%' AND blocking_session_id <> session_id)
                   OR s.session_id IN (SELECT blocking_session_id FROM sys.dm_os_waiting_tasks
                                       WHERE wait_type LIKE N'LCK[_]M[_]%' AND blocking_session_id <> session_id))
            """;

    // Lock waits of every task, so that a parallel query's workers count as blocked; one row per waiter
    // and blocker. SQL Server 2016-2022, Azure SQL Database.
    static final String TASK_EDGES_SQL = """
            SELECT session_id, blocking_session_id, MAX(wait_type) AS wait_type, MAX(wait_duration_ms) AS wait_ms
            FROM sys.dm_os_waiting_tasks
            WHERE wait_type LIKE N'LCK[_]M[_]%' AND blocking_session_id <> session_id AND session_id <> @@SPID
            GROUP BY session_id, blocking_session_id
            """;

    // Sent only when an orphaned distributed transaction (-2) blocks: its unit of work, which KILL takes.
    static final String ORPHANED_UOW_SQL = """
            SELECT DISTINCT request_owner_guid FROM sys.dm_tran_locks WHERE request_session_id = -2
            """;

    BlockingCheck() {
        super("blocking", Category.LOCKS, "blocking trees from sys.dm_exec_requests, sys.dm_os_waiting_tasks and sys.dm_exec_sessions, with their head blockers");
    }

    @Override
    Set<String> codes() {
        return Set.of("MSSQL_BLOCKING");
    }

    @Override
    protected CheckResult diagnose(SqlServerSession session, CheckContext context) throws Exception {
        List<Map<String, Object>> rows = session.query(SQL, context);
        List<Map<String, Object>> edges = session.query(TASK_EDGES_SQL, context);
        boolean orphaned = rows.stream().anyMatch(r -> Values.longValue(r, "blocking_session_id") == ORPHANED_DTC)
                || edges.stream().anyMatch(r -> Values.longValue(r, "blocking_session_id") == ORPHANED_DTC);
        List<String> unitsOfWork = orphaned ? session.query(ORPHANED_UOW_SQL, context).stream()
                .map(r -> Values.line(r, "request_owner_guid")).filter(g -> !g.isEmpty()).toList() : List.of();
        return interpret(rows, edges, unitsOfWork, context);
    }

    static final long ORPHANED_DTC = -2;

    /** Rows of {@link #SQL} alone (no task edges, no orphaned transaction). */
    static CheckResult interpret(List<Map<String, Object>> rows, CheckContext context) {
        return interpret(rows, List.of(), List.of(), context);
    }

    /** Rows of {@link #SQL} and {@link #TASK_EDGES_SQL} to a finding; separate from the queries so that it is tested on fixtures. */
    static CheckResult interpret(List<Map<String, Object>> rows, List<Map<String, Object>> taskEdges, List<String> unitsOfWork,
                                 CheckContext context) {
        Map<Long, Map<String, Object>> bySession = new LinkedHashMap<>();
        List<Map.Entry<Long, Long>> edges = new ArrayList<>();
        long longestWaitMs = 0;
        List<Map<String, Object>> rowsAndTasks = new ArrayList<>(rows);
        rowsAndTasks.addAll(taskEdges);
        for (Map<String, Object> row : rows) {
            bySession.put(Values.longValue(row, "session_id"), row);
        }
        for (Map<String, Object> row : rowsAndTasks) {
            long id = Values.longValue(row, "session_id");
            long blocker = Values.longValue(row, "blocking_session_id");
            if (blocker != 0 && blocker != id) {
                edges.add(BlockingForest.edge(id, blocker));
                longestWaitMs = Math.max(longestWaitMs, Values.longValue(row, "wait_ms"));
            }
        }
        BlockingForest<Long> blocking = BlockingForest.of(edges);
        Set<Long> blocked = blocking.waiters();
        CheckResult.Builder result = CheckResult.builder().metric("blocked_sessions", blocked.size());
        if (blocked.isEmpty()) {
            return result.build();
        }
        List<Long> heads = blocking.headBlockers();
        BlockingForest.Trees forest = blocking.trees(place -> node(place.session(), bySession));
        long longestWait = longestWaitMs / 1000;
        boolean sleepingHead = heads.stream().map(bySession::get)
                .anyMatch(row -> row != null && "sleeping".equalsIgnoreCase(Values.line(row, "status")) && Values.longValue(row, "open_transaction_count") > 0);
        boolean noSessionHead = heads.stream().anyMatch(id -> id < 0);
        Severity severity = sleepingHead || noSessionHead || !blocking.deadlocks().isEmpty() || blocked.size() >= CRITICAL_WAITERS.value(context)
                || longestWait >= CRITICAL_WAIT.value(context) ? Severity.CRITICAL : Severity.WARNING;
        long first = heads.getFirst();
        return result.metric("head_blockers", heads.size()).metric("longest_wait_seconds", longestWait)
                .add(Finding.of("MSSQL_BLOCKING", severity, blocked.size() + (blocked.size() == 1 ? " session is" : " sessions are")
                                + " blocked behind " + (heads.size() == 1 ? name(first) : heads.size() + " head blockers"))
                        .detail("The longest wait is " + Format.duration(longestWait) + "."
                                + (sleepingHead ? " A head blocker is sleeping with an open transaction: it is not working and will not finish by itself." : "")
                                + (noSessionHead ? " A head blocker is no session: " + String.join("; ", heads.stream().filter(id -> id < 0)
                                        .map(BlockingCheck::synthetic).toList()) + "." : "")
                                + (blocking.deadlocks().isEmpty() ? "" : " Sessions wait for each other in a ring (a deadlock in progress): "
                                + "the deadlock monitor ends it within seconds by choosing a victim, unless LOCK_TIMEOUT ends a wait first."))
                        .evidence("headBlockers", heads)
                        .evidence("blockedSessions", blocked.size())
                        .evidence("blockingTree", forest.nodes())
                        .evidence("unitsOfWork", unitsOfWork)
                        .evidence(BlockingForest.cutAndRings(forest, blocking.deadlocks()))
                        .recommendation(String.join("\n", heads.stream().map(id -> recommendation(id, unitsOfWork)).toList())
                                + "\nAsk the owning application first; dbtool runs none of this.")
                        .playbook(playbook("mssql-blocking")).build())
                .build();
    }

    private static String name(long id) {
        return id < 0 ? synthetic(id) : "session " + id;
    }

    /** What a negative blocking_session_id stands for. */
    static String synthetic(long id) {
        return switch ((int) id) {
            case -2 -> "an orphaned distributed transaction (blocker -2)";
            case -3 -> "a deferred recovery transaction (blocker -3)";
            case -4 -> "a latch whose owner is not known right now (blocker -4)";
            case -5 -> "a latch whose owner is not tracked (blocker -5)";
            default -> "blocker " + id;
        };
    }

    private static String recommendation(long id, List<String> unitsOfWork) {
        if (id == ORPHANED_DTC) {
            return unitsOfWork.isEmpty()
                    ? "-- orphaned distributed transaction: SELECT DISTINCT request_owner_guid FROM sys.dm_tran_locks WHERE request_session_id = -2; "
                    + "then KILL 'that-guid'; (ask MS DTC's owner first: it rolls the transaction back)"
                    : String.join("\n", unitsOfWork.stream().map(guid -> "KILL '" + guid + "';  -- the orphaned distributed transaction's "
                    + "unit of work; rolls it back").toList());
        }
        if (id == -3) {
            return "-- deferred recovery transaction: it ends when what deferred its recovery (an unreadable page or file) is repaired or restored";
        }
        if (id < 0) {
            return "-- latch owner unknown (" + id + "): usually momentary; if it stays, look at the LATCH_* and PAGELATCH_* waits";
        }
        return "KILL " + id + ";  -- rolls back its open transaction";
    }

    private static Map<String, Object> node(long id, Map<Long, Map<String, Object>> bySession) {
        Map<String, Object> row = bySession.get(id);
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("sessionId", id);
        if (id < 0) {
            node.put("label", synthetic(id));
        } else if (row == null) {
            node.put("label", "session " + id + " (no longer listed)");
        } else {
            String label = "session " + id + " " + Values.line(row, "status")
                    + (row.get("wait_type") == null ? "" : ", waiting " + Format.duration(Values.longValue(row, "wait_ms") / 1000) + " on " + Values.line(row, "wait_type"))
                    + (Values.longValue(row, "open_transaction_count") > 0 ? ", " + Values.longValue(row, "open_transaction_count") + " open transaction(s)" : "")
                    + ", " + Values.line(row, "login_name") + "@" + Values.line(row, "host_name")
                    + (Values.line(row, "program_name").isEmpty() ? "" : " (" + Values.line(row, "program_name") + ")")
                    + (Values.line(row, "sql_text").isEmpty() ? "" : ": " + Values.line(row, "sql_text"));
            node.put("label", label);
            node.put("status", Values.line(row, "status"));
            node.put("login", Values.line(row, "login_name"));
            node.put("waitType", row.get("wait_type"));
            node.put("sqlText", Values.line(row, "sql_text"));
            TraceContext.addFound(node, Values.text(row, "trace_comment"), Values.text(row, "sql_text"), Values.text(row, "program_name"),
                    ContextInfo.text(row));
        }
        return node;
    }
}
