package dbtool.plugin.mssql.checks;

import dbtool.plugin.mssql.SqlServerSession;
import dbtool.spi.Category;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.util.ArrayList;
import java.util.HashSet;
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

    // SQL Server 2016-2022, Azure SQL Database. Only sessions involved in blocking are returned.
    static final String SQL = """
            SELECT s.session_id, COALESCE(r.blocking_session_id, 0) AS blocking_session_id,
                   s.status, s.login_name, s.host_name, s.program_name, s.open_transaction_count,
                   r.wait_type, r.wait_time AS wait_ms, r.command,
                   DATEDIFF(SECOND, s.last_request_start_time, GETDATE()) AS seconds_since_request,
                   LEFT(t.text, 200) AS sql_text
            FROM sys.dm_exec_sessions AS s
            LEFT JOIN sys.dm_exec_requests AS r ON r.session_id = s.session_id
            LEFT JOIN sys.dm_exec_connections AS c ON c.session_id = s.session_id
            OUTER APPLY sys.dm_exec_sql_text(COALESCE(r.sql_handle, c.most_recent_sql_handle)) AS t
            WHERE s.session_id <> @@SPID
              AND (r.blocking_session_id > 0
                   OR s.session_id IN (SELECT blocking_session_id FROM sys.dm_exec_requests WHERE blocking_session_id > 0))
            """;

    BlockingCheck() {
        super("blocking", Category.LOCKS, "blocking trees from sys.dm_exec_requests and sys.dm_exec_sessions, with their head blockers");
    }

    @Override
    protected CheckResult diagnose(SqlServerSession session, CheckContext context) throws Exception {
        return interpret(session.query(SQL, context), context);
    }

    /** Rows of {@link #SQL} to a finding; separate from the query so that it is tested on fixtures. */
    static CheckResult interpret(List<Map<String, Object>> rows, CheckContext context) {
        Map<Long, Map<String, Object>> bySession = new LinkedHashMap<>();
        Map<Long, List<Long>> waitersOf = new LinkedHashMap<>();
        Set<Long> blocked = new HashSet<>();
        long longestWaitMs = 0;
        for (Map<String, Object> row : rows) {
            long id = number(row, "session_id");
            bySession.put(id, row);
            long blocker = number(row, "blocking_session_id");
            if (blocker > 0 && blocker != id) {
                blocked.add(id);
                waitersOf.computeIfAbsent(blocker, k -> new ArrayList<>()).add(id);
                longestWaitMs = Math.max(longestWaitMs, number(row, "wait_ms"));
            }
        }
        CheckResult.Builder result = CheckResult.builder().metric("blocked_sessions", blocked.size());
        if (blocked.isEmpty()) {
            return result.build();
        }
        List<Long> heads = waitersOf.keySet().stream().filter(id -> !blocked.contains(id)).toList();
        if (heads.isEmpty()) {
            heads = List.of(waitersOf.keySet().iterator().next());
        }
        Set<Long> placed = new HashSet<>();
        List<Map<String, Object>> forest = new ArrayList<>();
        for (long head : heads) {
            forest.add(node(head, bySession, waitersOf, placed, 0));
        }
        long longestWait = longestWaitMs / 1000;
        boolean sleepingHead = heads.stream().map(bySession::get)
                .anyMatch(row -> row != null && "sleeping".equalsIgnoreCase(text(row, "status")) && number(row, "open_transaction_count") > 0);
        Severity severity = sleepingHead || blocked.size() >= context.number("blocked_sessions_critical", 5)
                || longestWait >= context.number("lock_wait_critical_seconds", 60) ? Severity.CRITICAL : Severity.WARNING;
        long first = heads.getFirst();
        return result.metric("head_blockers", heads.size()).metric("longest_wait_seconds", longestWait)
                .add(Finding.of("MSSQL_BLOCKING", severity, blocked.size() + (blocked.size() == 1 ? " session is" : " sessions are")
                                + " blocked behind " + (heads.size() == 1 ? "session " + first : heads.size() + " head blockers"))
                        .detail("The longest wait is " + human(longestWait) + "."
                                + (sleepingHead ? " A head blocker is sleeping with an open transaction: it is not working and will not finish by itself." : ""))
                        .evidence("headBlockers", heads)
                        .evidence("blockedSessions", blocked.size())
                        .evidence("blockingTree", forest)
                        .recommendation(String.join("\n", heads.stream().map(id -> "KILL " + id + ";  -- rolls back its open transaction").toList())
                                + "\nAsk the owning application first; dbtool runs none of this.")
                        .playbook(playbook("mssql_blocking")).build())
                .build();
    }

    private static Map<String, Object> node(long id, Map<Long, Map<String, Object>> bySession, Map<Long, List<Long>> waitersOf,
                                            Set<Long> placed, int depth) {
        placed.add(id);
        Map<String, Object> row = bySession.get(id);
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("sessionId", id);
        if (row == null) {
            node.put("label", "session " + id + " (no longer listed)");
        } else {
            String label = "session " + id + " " + text(row, "status")
                    + (row.get("wait_type") == null ? "" : ", waiting " + human(number(row, "wait_ms") / 1000) + " on " + text(row, "wait_type"))
                    + (number(row, "open_transaction_count") > 0 ? ", " + number(row, "open_transaction_count") + " open transaction(s)" : "")
                    + ", " + text(row, "login_name") + "@" + text(row, "host_name")
                    + (text(row, "program_name").isEmpty() ? "" : " (" + text(row, "program_name") + ")")
                    + (text(row, "sql_text").isEmpty() ? "" : ": " + text(row, "sql_text"));
            node.put("label", label);
            node.put("status", text(row, "status"));
            node.put("login", text(row, "login_name"));
            node.put("waitType", row.get("wait_type"));
            node.put("sqlText", text(row, "sql_text"));
        }
        List<Map<String, Object>> children = new ArrayList<>();
        for (long waiter : waitersOf.getOrDefault(id, List.of())) {
            if (!placed.contains(waiter) && depth < 12) {
                children.add(node(waiter, bySession, waitersOf, placed, depth + 1));
            }
        }
        node.put("blocked", children);
        return node;
    }
}
