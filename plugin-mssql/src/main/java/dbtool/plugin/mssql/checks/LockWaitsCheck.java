package dbtool.plugin.mssql.checks;

import dbtool.plugin.mssql.SqlServerSession;
import dbtool.spi.Category;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.spi.Threshold;
import dbtool.toolkit.BlockingForest;
import dbtool.toolkit.Format;
import dbtool.toolkit.Values;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lock waits with what they wait for: the resource (key, page, object...), the mode requested, the
 * database and the ids of the object, and who holds it. The blocking check draws the tree; this one
 * says on what.
 */
final class LockWaitsCheck extends SqlServerCheck {

    static final Threshold MINIMUM_WAIT = Threshold.number("lock_wait_seconds", 5, "s",
            "lock waits shorter than this are left out");

    @Override
    public List<Threshold> thresholds() {
        return List.of(MINIMUM_WAIT, BlockingCheck.CRITICAL_WAIT);
    }

    // Only tasks waiting for a lock, from sys.dm_os_waiting_tasks: not sys.dm_tran_locks, which lists
    // every granted lock of the server (millions in an incident), and no OBJECT_NAME, whose metadata
    // read is always READ COMMITTED and waits behind a Sch-M: under SET LOCK_TIMEOUT it would fail with
    // 1222 exactly during a schema-lock incident. The mode comes from the wait type, the resource from
    // resource_description. No TOP: head blockers are computed from every waiting task.
    // SQL Server 2016-2022, Azure SQL Database, Managed Instance.
    static final String SQL = """
            SELECT w.session_id, w.blocking_session_id, w.wait_type, w.wait_duration_ms, w.resource_description,
                   DB_NAME(r.database_id) AS database_name
            FROM sys.dm_os_waiting_tasks AS w
            LEFT JOIN sys.dm_exec_requests AS r ON r.session_id = w.session_id
            WHERE w.wait_type LIKE N'LCK[_]M[_]%' AND w.session_id <> @@SPID
            ORDER BY w.wait_duration_ms DESC
            """;

    private static final Pattern ATTRIBUTE = Pattern.compile("(\\w+)=(\\S+)");

    LockWaitsCheck() {
        super("lock-waits", Category.LOCKS, "lock waits with resource, requested mode, database and object ids, and the holder");
    }

    @Override
    Set<String> codes() {
        return Set.of("MSSQL_LOCK_WAITS");
    }

    @Override
    protected CheckResult diagnose(SqlServerSession session, CheckContext context) throws Exception {
        return interpret(session.query(SQL, context), context);
    }

    static CheckResult interpret(List<Map<String, Object>> rows, CheckContext context) {
        double minimum = MINIMUM_WAIT.value(context) * 1000;
        List<Map<String, Object>> waits = rows.stream().filter(r -> Values.longValue(r, "wait_duration_ms") >= minimum).toList();
        CheckResult.Builder result = CheckResult.builder().metric("lock_waits", waits.size());
        if (waits.isEmpty()) {
            return result.build();
        }
        // Who waits for whom, from every waiting task: a session that waits briefly is still no head blocker.
        BlockingForest<Long> blocking = BlockingForest.of(rows.stream()
                .filter(r -> Values.longValue(r, "blocking_session_id") != 0)
                .map(r -> BlockingForest.edge(Values.longValue(r, "session_id"), Values.longValue(r, "blocking_session_id"))).toList());
        Set<Long> heads = new LinkedHashSet<>();
        waits.forEach(r -> heads.addAll(blocking.headBlockersOf(Values.longValue(r, "session_id"))));
        List<Map<String, Object>> evidence = waits.stream().map(LockWaitsCheck::evidence).toList();
        Map<String, Object> longest = evidence.getFirst();
        long longestSeconds = Values.longValue(longest, "waitSeconds");
        Severity severity = longestSeconds >= BlockingCheck.CRITICAL_WAIT.value(context) ? Severity.CRITICAL : Severity.WARNING;
        return result.metric("longest_lock_wait_seconds", longestSeconds)
                .add(Finding.of("MSSQL_LOCK_WAITS", severity, waits.size() + (waits.size() == 1 ? " lock request waits" : " lock requests wait")
                                + "; the longest for " + Format.duration(longestSeconds) + ": session " + Values.line(longest, "sessionId") + " wants "
                                + Values.line(longest, "mode") + " on " + where(longest) + ", held by session " + Values.line(longest, "blockedBy"))
                        .detail("Modes: S shared (reads), U update, X exclusive (writes), IS/IX/SIX intent locks on pages and tables, "
                                + "Sch-M schema modification (ALTER, index rebuilds), which blocks every reader.")
                        .evidence("headBlockers", List.copyOf(heads))
                        .evidence("lockWaits", evidence)
                        .recommendation("The blocking check shows the whole tree and what its head blockers are doing."
                                + naming(longest))
                        .playbook(playbook("mssql-blocking")).build())
                .build();
    }

    private static Map<String, Object> evidence(Map<String, Object> row) {
        String description = Values.line(row, "resource_description");
        Map<String, String> attributes = attributes(description);
        Map<String, Object> wait = new LinkedHashMap<>();
        wait.put("sessionId", Values.longValue(row, "session_id"));
        wait.put("blockedBy", Values.longValue(row, "blocking_session_id"));
        wait.put("resourceType", resourceType(description));
        wait.put("mode", mode(Values.line(row, "wait_type")));
        wait.put("database", Values.line(row, "database_name"));
        for (String id : List.of("dbid", "objid", "hobtid", "fileid", "pageid", "associatedObjectId")) {
            if (attributes.containsKey(id)) {
                wait.put(id, attributes.get(id));
            }
        }
        wait.put("resource", description);
        wait.put("waitType", Values.line(row, "wait_type"));
        wait.put("waitSeconds", Values.longValue(row, "wait_duration_ms") / 1000);
        return wait;
    }

    /** "KEY hobtid=72057594043629568 in shop": the ids SQL Server gives; naming them would read metadata. */
    private static String where(Map<String, Object> wait) {
        String type = Values.line(wait, "resourceType");
        String id = wait.containsKey("objid") ? "objid=" + wait.get("objid")
                : wait.containsKey("hobtid") ? "hobtid=" + wait.get("hobtid")
                : wait.containsKey("pageid") ? "page " + wait.get("fileid") + ":" + wait.get("pageid")
                : wait.containsKey("associatedObjectId") ? "associatedObjectId=" + wait.get("associatedObjectId") : "";
        String database = Values.line(wait, "database");
        return (type + (id.isEmpty() ? "" : " " + id)).trim() + (database.isEmpty() ? "" : " in " + database);
    }

    /** How to name the object, in the lock's database, once the incident allows reading metadata. */
    private static String naming(Map<String, Object> wait) {
        if (wait.containsKey("objid")) {
            return "\nTo name the object (in its database; metadata reads wait behind a Sch-M): SELECT OBJECT_NAME(" + wait.get("objid") + ");";
        }
        Object hobt = wait.getOrDefault("hobtid", wait.get("associatedObjectId"));
        if (hobt != null) {
            return "\nTo name the table and index (in its database; metadata reads wait behind a Sch-M): SELECT OBJECT_NAME(p.object_id), "
                    + "i.name FROM sys.partitions AS p JOIN sys.indexes AS i ON i.object_id = p.object_id AND i.index_id = p.index_id "
                    + "WHERE p.hobt_id = " + hobt + ";";
        }
        return "";
    }

    static Map<String, String> attributes(String description) {
        Map<String, String> attributes = new LinkedHashMap<>();
        Matcher m = ATTRIBUTE.matcher(description);
        while (m.find()) {
            attributes.putIfAbsent(m.group(1), m.group(2));
        }
        return attributes;
    }

    /** resource_description starts with the lock's kind: keylock, pagelock, objectlock, ridlock... */
    static String resourceType(String description) {
        String kind = description.isBlank() ? "" : description.strip().split("\\s+")[0].toLowerCase(Locale.ROOT);
        return switch (kind) {
            case "keylock" -> "KEY";
            case "pagelock" -> "PAGE";
            case "objectlock" -> "OBJECT";
            case "ridlock" -> "RID";
            case "extentlock" -> "EXTENT";
            case "hobtlock" -> "HOBT";
            case "allocunitlock" -> "ALLOCATION_UNIT";
            case "databaselock" -> "DATABASE";
            case "filelock" -> "FILE";
            case "applicationlock" -> "APPLICATION";
            case "metadatalock" -> "METADATA";
            case "xactlock" -> "XACT";
            default -> kind.endsWith("lock") ? kind.substring(0, kind.length() - 4).toUpperCase(Locale.ROOT) : kind.toUpperCase(Locale.ROOT);
        };
    }

    /** The requested mode from the wait type: LCK_M_U is U, LCK_M_SCH_M Sch-M, LCK_M_RIn_X RangeI-X, LCK_M_X_LOW_PRIORITY X. */
    static String mode(String waitType) {
        String mode = waitType.toUpperCase(Locale.ROOT);
        if (!mode.startsWith("LCK_M_")) {
            return "";
        }
        mode = mode.substring("LCK_M_".length()).replace("_LOW_PRIORITY", "").replace("_ABORT_BLOCKERS", "");
        return switch (mode) {
            case "SCH_M" -> "Sch-M";
            case "SCH_S" -> "Sch-S";
            case "RS_S" -> "RangeS-S";
            case "RS_U" -> "RangeS-U";
            case "RIN_NL" -> "RangeI-N";
            case "RIN_S" -> "RangeI-S";
            case "RIN_U" -> "RangeI-U";
            case "RIN_X" -> "RangeI-X";
            case "RX_S" -> "RangeX-S";
            case "RX_U" -> "RangeX-U";
            case "RX_X" -> "RangeX-X";
            default -> mode;
        };
    }
}
