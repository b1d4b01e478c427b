package dbtool.plugin.mssql.checks;

import dbtool.plugin.mssql.ServerInfo;
import dbtool.plugin.mssql.SqlServerSession;
import dbtool.spi.Category;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.spi.Threshold;
import dbtool.toolkit.Format;
import dbtool.toolkit.Values;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * tempdb: how full its data files are and what fills them (user objects, internal objects such as
 * sorts and spools, the version store), which databases the version store serves, and the oldest
 * snapshot transaction, which keeps the version store from being cleaned up.
 */
final class TempdbCheck extends SqlServerCheck {

    static final Threshold WARNING_PERCENT = Threshold.number("tempdb_used_warning_percent", 90, "%",
            "WARNING when the tempdb data files are this full");

    static final Threshold CRITICAL_PERCENT = Threshold.number("tempdb_used_critical_percent", 98, "%",
            "CRITICAL from this, unless the data files can still autogrow (then WARNING)");

    static final Threshold VERSION_STORE_WARNING = Threshold.number("version_store_warning_mb", 10_240, "MB",
            "WARNING when the version store holds this much");

    static final Threshold SNAPSHOT_AGE = Threshold.number("snapshot_transaction_seconds", 1800, "s",
            "WARNING for a snapshot transaction open this long");

    @Override
    public List<Threshold> thresholds() {
        return List.of(WARNING_PERCENT, CRITICAL_PERCENT, VERSION_STORE_WARNING, SNAPSHOT_AGE);
    }

    // Sizes of the current files, in MB. SQL Server 2016-2022, Azure SQL Database (tempdb is reachable there).
    static final String SPACE_SQL = """
            SELECT SUM(total_page_count) * 8 / 1024 AS total_mb,
                   SUM(unallocated_extent_page_count) * 8 / 1024 AS free_mb,
                   SUM(version_store_reserved_page_count) * 8 / 1024 AS version_store_mb,
                   SUM(user_object_reserved_page_count) * 8 / 1024 AS user_objects_mb,
                   SUM(internal_object_reserved_page_count) * 8 / 1024 AS internal_objects_mb
            FROM tempdb.sys.dm_db_file_space_usage
            """;

    // SQL Server 2016 SP2 (13.0.5026) and later, 2017 and later, Azure SQL Database and Managed Instance: see versionStoreReadable.
    static final String VERSION_STORE_SQL = """
            SELECT TOP (5) DB_NAME(database_id) AS database_name, reserved_space_kb / 1024 AS reserved_mb
            FROM sys.dm_tran_version_store_space_usage
            WHERE reserved_page_count > 0
            ORDER BY reserved_page_count DESC
            """;

    static final int VERSION_STORE_SINCE_MAJOR = 13;
    static final int VERSION_STORE_SINCE_BUILD = 5026;

    // Transactions that may read row versions, oldest first. SQL Server 2016-2022, Azure SQL Database.
    static final String SNAPSHOT_SQL = """
            SELECT TOP (5) t.session_id, t.transaction_id, t.elapsed_time_seconds, t.is_snapshot,
                   s.login_name, s.program_name, s.status
            FROM sys.dm_tran_active_snapshot_database_transactions AS t
            LEFT JOIN sys.dm_exec_sessions AS s ON s.session_id = t.session_id
            ORDER BY t.elapsed_time_seconds DESC
            """;

    // How far tempdb's data files can still grow: their growth and max size (tempdb.sys.database_files,
    // readable by any login) and the free space of their volumes. SQL Server 2016-2022, Managed Instance;
    // not Azure SQL Database (no sys.dm_os_volume_stats).
    static final String GROWTH_SQL = """
            SELECT f.file_id, f.size / 128 AS size_mb,
                   CASE WHEN f.max_size = -1 THEN -1 ELSE f.max_size / 128 END AS max_size_mb,
                   CASE WHEN f.is_percent_growth = 1 THEN f.size / 128 * f.growth / 100 ELSE f.growth / 128 END AS growth_mb,
                   vs.available_bytes / 1048576 AS volume_free_mb
            FROM tempdb.sys.database_files AS f
            CROSS APPLY sys.dm_os_volume_stats(2, f.file_id) AS vs
            WHERE f.type = 0
            """;

    TempdbCheck() {
        super("tempdb", Category.RESOURCES, "tempdb space by consumer, version store per database, and the oldest snapshot transaction");
    }

    @Override
    Set<String> codes() {
        return Set.of("MSSQL_OLD_SNAPSHOT_TRANSACTION", "MSSQL_TEMPDB_FULL", "MSSQL_VERSION_STORE_LARGE");
    }

    @Override
    protected CheckResult diagnose(SqlServerSession session, CheckContext context) throws Exception {
        ServerInfo server = session.server();
        Map<String, Object> space = session.query(SPACE_SQL, context).stream().findFirst().orElse(Map.of());
        List<Map<String, Object>> versionStore = versionStoreReadable(server) ? session.query(VERSION_STORE_SQL, context) : List.of();
        List<Map<String, Object>> snapshots = session.query(SNAPSHOT_SQL, context);
        return interpret(space, versionStore, snapshots, growth(session, context), context);
    }

    /** The files' growth, or none when it cannot be read: the fullness finding then stays as it was. */
    private static List<Map<String, Object>> growth(SqlServerSession session, CheckContext context) throws Exception {
        if (session.server().azureSqlDatabase()) {
            return List.of();
        }
        try {
            return session.query(GROWTH_SQL, context);
        } catch (SQLException e) {
            return List.of();
        }
    }

    /**
     * Before 2016 SP2 the per-database view does not exist (the total above still shows the version
     * store); Azure SQL Database and Managed Instance (12.0.2000.8 by their ProductVersion) have it.
     */
    static boolean versionStoreReadable(ServerInfo server) {
        return !server.known() || server.atLeast(VERSION_STORE_SINCE_MAJOR, VERSION_STORE_SINCE_BUILD);
    }

    static CheckResult interpret(Map<String, Object> space, List<Map<String, Object>> versionStore, List<Map<String, Object>> snapshots,
                                 CheckContext context) {
        return interpret(space, versionStore, snapshots, List.of(), context);
    }

    static CheckResult interpret(Map<String, Object> space, List<Map<String, Object>> versionStore, List<Map<String, Object>> snapshots,
                                 List<Map<String, Object>> growth, CheckContext context) {
        long headroom = Autogrowth.headroomMb(growth);
        long total = Values.longValue(space, "total_mb");
        long free = Values.longValue(space, "free_mb");
        long versionMb = Values.longValue(space, "version_store_mb");
        long userMb = Values.longValue(space, "user_objects_mb");
        long internalMb = Values.longValue(space, "internal_objects_mb");
        long usedPercent = total > 0 ? Math.round(100.0 * (total - free) / total) : 0;
        Map<String, Object> consumers = new LinkedHashMap<>();
        consumers.put("userObjectsMb", userMb);
        consumers.put("internalObjectsMb", internalMb);
        consumers.put("versionStoreMb", versionMb);
        String biggest = versionMb >= userMb && versionMb >= internalMb ? "the version store"
                : internalMb >= userMb ? "internal objects (sorts, hashes, spools, cursors)" : "user objects (temporary tables, table variables)";
        CheckResult.Builder result = CheckResult.builder().metric("tempdb_size_mb", total).metric("tempdb_used_percent", usedPercent)
                .metric("version_store_mb", versionMb);
        Map<String, Object> oldest = snapshots.isEmpty() ? Map.of() : snapshots.getFirst();
        long oldestSeconds = Values.longValue(oldest, "elapsed_time_seconds");
        result.metric("oldest_snapshot_transaction_seconds", oldestSeconds);
        double warning = WARNING_PERCENT.value(context);
        double critical = CRITICAL_PERCENT.value(context);
        if (total > 0 && usedPercent >= warning) {
            // Full files that can still autogrow are a warning: the emergency is when they cannot.
            boolean emergency = usedPercent >= critical && headroom <= 0;
            result.add(Finding.of("MSSQL_TEMPDB_FULL", emergency ? Severity.CRITICAL : Severity.WARNING,
                            "tempdb is " + usedPercent + "% full (" + (total - free) + " of " + total + " MB); most of it is " + biggest)
                    .detail("Of the files' current size." + (headroom == Autogrowth.UNKNOWN ? " They may still autogrow if the disk has room."
                            : Autogrowth.describe(headroom, "They")) + " When tempdb cannot grow, "
                            + "queries that sort, hash or create temporary tables fail (errors 1105, 9002).")
                    .evidence("consumers", consumers).evidence("usedPercent", usedPercent).evidence("growthHeadroomMb", headroom)
                    .recommendation("Sessions using the most tempdb: SELECT session_id, user_objects_alloc_page_count, "
                            + "internal_objects_alloc_page_count FROM sys.dm_db_session_space_usage ORDER BY 2 DESC;")
                    .playbook(playbook("mssql-tempdb")).build());
        }
        if (versionMb >= VERSION_STORE_WARNING.value(context)) {
            result.add(Finding.of("MSSQL_VERSION_STORE_LARGE", Severity.WARNING, "The version store holds " + versionMb + " MB of tempdb"
                            + (versionStore.isEmpty() ? "" : ", mostly for " + Values.line(versionStore.getFirst(), "database_name")))
                    .detail("Row versions (snapshot isolation, RCSI, online index builds, triggers) are kept until the oldest "
                            + "transaction that may read them ends." + (oldest.isEmpty() ? "" : " The oldest such transaction is session "
                            + Values.longValue(oldest, "session_id") + ", open for " + Format.duration(oldestSeconds) + "."))
                    .evidence("versionStoreByDatabase", versionStore)
                    .evidence("sessionIds", oldest.isEmpty() ? List.of() : List.of(Values.longValue(oldest, "session_id")))
                    .recommendation(oldest.isEmpty() ? "Watch sys.dm_tran_version_store_space_usage: the store shrinks as cleanup catches up."
                            : "End the oldest snapshot transaction: ask its application, or KILL " + Values.longValue(oldest, "session_id") + ";")
                    .playbook(playbook("mssql-tempdb")).build());
        }
        if (!oldest.isEmpty() && oldestSeconds >= SNAPSHOT_AGE.value(context)) {
            result.add(Finding.of("MSSQL_OLD_SNAPSHOT_TRANSACTION", Severity.WARNING, "A snapshot transaction has been open for "
                            + Format.duration(oldestSeconds) + " (session " + Values.longValue(oldest, "session_id") + ", " + Values.line(oldest, "program_name") + ")")
                    .detail("While it is open, no row version it may need can be cleaned up: the version store in tempdb grows.")
                    .evidence("sessionIds", snapshots.stream().filter(s -> Values.longValue(s, "elapsed_time_seconds")
                            >= SNAPSHOT_AGE.value(context)).map(s -> Values.longValue(s, "session_id")).toList())
                    .evidence("transactions", snapshots)
                    .recommendation("DBCC INPUTBUFFER(" + Values.longValue(oldest, "session_id") + "); shows what it last ran; KILL "
                            + Values.longValue(oldest, "session_id") + "; ends it (rolling back its work).")
                    .playbook(playbook("mssql-tempdb")).build());
        }
        return result.build();
    }
}
