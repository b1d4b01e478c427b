package dbtool.plugin.mssql.checks;

import dbtool.plugin.mssql.SqlServerSession;
import dbtool.spi.Category;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lock waits with what they wait for: the resource (key, page, object...), the mode requested, the
 * database and object, and who holds it. The blocking check draws the tree; this one says on what.
 */
final class LockWaitsCheck extends SqlServerCheck {

    // A waiting lock request joins its waiting task through lock_owner_address. OBJECT_NAME with a
    // database id reads that database's metadata without switching to it. SQL Server 2016-2022, Azure SQL Database.
    static final String SQL = """
            SELECT TOP (50) l.request_session_id AS session_id, w.blocking_session_id, l.resource_type, l.request_mode,
                   DB_NAME(l.resource_database_id) AS database_name,
                   CASE WHEN l.resource_type = N'OBJECT'
                        THEN OBJECT_NAME(CAST(l.resource_associated_entity_id AS int), l.resource_database_id) END AS object_name,
                   l.resource_description, w.wait_type, w.wait_duration_ms, w.resource_description AS wait_resource
            FROM sys.dm_tran_locks AS l
            JOIN sys.dm_os_waiting_tasks AS w ON w.resource_address = l.lock_owner_address
            WHERE l.request_status = N'WAIT' AND l.request_session_id <> @@SPID
            ORDER BY w.wait_duration_ms DESC
            """;

    LockWaitsCheck() {
        super("lock-waits", Category.LOCKS, "lock waits with resource, requested mode, database and object, and the holder");
    }

    @Override
    protected CheckResult diagnose(SqlServerSession session, CheckContext context) throws Exception {
        return interpret(session.query(SQL, context), context);
    }

    static CheckResult interpret(List<Map<String, Object>> rows, CheckContext context) {
        double minimum = context.number("lock_wait_seconds", 5) * 1000;
        List<Map<String, Object>> waits = rows.stream().filter(r -> number(r, "wait_duration_ms") >= minimum).toList();
        CheckResult.Builder result = CheckResult.builder().metric("lock_waits", waits.size());
        if (waits.isEmpty()) {
            return result.build();
        }
        Set<Long> waiting = new HashSet<>();
        waits.forEach(r -> waiting.add(number(r, "session_id")));
        // Head blockers: holders that are not waiting for a lock themselves.
        Set<Long> heads = new LinkedHashSet<>();
        waits.forEach(r -> {
            long blocker = number(r, "blocking_session_id");
            if (blocker > 0 && !waiting.contains(blocker)) {
                heads.add(blocker);
            }
        });
        List<Map<String, Object>> evidence = waits.stream().map(r -> {
            Map<String, Object> wait = new LinkedHashMap<>();
            wait.put("sessionId", number(r, "session_id"));
            wait.put("blockedBy", number(r, "blocking_session_id"));
            wait.put("resourceType", text(r, "resource_type"));
            wait.put("mode", text(r, "request_mode"));
            wait.put("database", text(r, "database_name"));
            wait.put("object", text(r, "object_name"));
            wait.put("resource", text(r, "wait_resource").isEmpty() ? text(r, "resource_description") : text(r, "wait_resource"));
            wait.put("waitType", text(r, "wait_type"));
            wait.put("waitSeconds", number(r, "wait_duration_ms") / 1000);
            return wait;
        }).toList();
        Map<String, Object> longest = evidence.getFirst();
        long longestSeconds = number(longest, "waitSeconds");
        String where = text(longest, "object").isEmpty() ? text(longest, "resourceType") + " " + text(longest, "resource")
                : text(longest, "database") + "." + text(longest, "object");
        Severity severity = longestSeconds >= context.number("lock_wait_critical_seconds", 60) ? Severity.CRITICAL : Severity.WARNING;
        return result.metric("longest_lock_wait_seconds", longestSeconds)
                .add(Finding.of("MSSQL_LOCK_WAITS", severity, waits.size() + (waits.size() == 1 ? " lock request waits" : " lock requests wait")
                                + "; the longest for " + human(longestSeconds) + ": session " + text(longest, "sessionId") + " wants "
                                + text(longest, "mode") + " on " + where + ", held by session " + text(longest, "blockedBy"))
                        .detail("Modes: S shared (reads), U update, X exclusive (writes), IS/IX/SIX intent locks on pages and tables, "
                                + "Sch-M schema modification (ALTER, index rebuilds), which blocks every reader.")
                        .evidence("headBlockers", List.copyOf(heads))
                        .evidence("lockWaits", evidence)
                        .recommendation("The blocking check shows the whole tree and what its head blockers are doing.")
                        .playbook(playbook("mssql_blocking")).build())
                .build();
    }
}
