package dbtool.plugin.mssql.checks;

import dbtool.plugin.mssql.SqlServerSession;
import dbtool.spi.Category;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.spi.Threshold;
import dbtool.toolkit.Values;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Transaction log space used per database, and why the log cannot be reused
 * (log_reuse_wait_desc): a full log that cannot grow stops every write (error 9002).
 */
final class LogSpaceCheck extends SqlServerCheck {

    static final Threshold WARNING_PERCENT = Threshold.number("log_used_warning_percent", 80, "%",
            "WARNING when a transaction log is this full");

    static final Threshold CRITICAL_PERCENT = Threshold.number("log_used_critical_percent", 95, "%",
            "CRITICAL from this, unless the log can still autogrow (then WARNING)");

    @Override
    public List<Threshold> thresholds() {
        return List.of(WARNING_PERCENT, CRITICAL_PERCENT);
    }

    // Every database at once: 'Percent Log Used' is what DBCC SQLPERF(LOGSPACE) shows, per database
    // (instance_name). Object names carry the instance prefix, hence LIKE. SQL Server 2016-2022.
    static final String SQL = """
            SELECT d.name AS database_name, d.state_desc, d.recovery_model_desc, d.log_reuse_wait_desc,
                   pc.cntr_value AS percent_log_used
            FROM sys.databases AS d
            LEFT JOIN sys.dm_os_performance_counters AS pc
              ON pc.instance_name = d.name AND pc.counter_name = 'Percent Log Used' AND pc.object_name LIKE '%:Databases%'
            ORDER BY d.name
            """;

    // Azure SQL Database names its counters by physical database; it sees only the current database anyway.
    static final String AZURE_SQL = """
            SELECT d.name AS database_name, d.state_desc, d.recovery_model_desc, d.log_reuse_wait_desc,
                   CAST(u.used_log_space_in_percent AS int) AS percent_log_used
            FROM sys.dm_db_log_space_usage AS u
            JOIN sys.databases AS d ON d.database_id = u.database_id
            """;

    // How far each log can still grow: growth and max size of every log file (sys.master_files; a login
    // without VIEW ANY DEFINITION sees fewer rows, and those databases keep the plain percentage) and the
    // free space of their volumes. SQL Server 2016-2022, Managed Instance; not Azure SQL Database.
    static final String GROWTH_SQL = """
            SELECT DB_NAME(mf.database_id) AS database_name, mf.file_id, mf.size / 128 AS size_mb,
                   CASE WHEN mf.max_size = -1 THEN -1 ELSE mf.max_size / 128 END AS max_size_mb,
                   CASE WHEN mf.is_percent_growth = 1 THEN mf.size / 128 * mf.growth / 100 ELSE mf.growth / 128 END AS growth_mb,
                   vs.available_bytes / 1048576 AS volume_free_mb
            FROM sys.master_files AS mf
            CROSS APPLY sys.dm_os_volume_stats(mf.database_id, mf.file_id) AS vs
            WHERE mf.type = 1
            """;

    LogSpaceCheck() {
        super("log-space", Category.RESOURCES, "transaction log space used per database, and why it cannot be reused (log_reuse_wait_desc)");
    }

    @Override
    Set<String> codes() {
        return Set.of("MSSQL_LOG_FULL", "MSSQL_LOG_REUSE_WAIT");
    }

    @Override
    protected CheckResult diagnose(SqlServerSession session, CheckContext context) throws Exception {
        boolean azure = session.server().azureSqlDatabase();
        List<Map<String, Object>> rows = session.query(azure ? AZURE_SQL : SQL, context);
        List<Map<String, Object>> growth = List.of();
        if (!azure && rows.stream().anyMatch(r -> Values.longValue(r, "percent_log_used") >= CRITICAL_PERCENT.value(context))) {
            try {
                growth = session.query(GROWTH_SQL, context);
            } catch (SQLException e) {
                // unknown headroom: the percentage decides, as before
            }
        }
        return interpret(rows, growth, context);
    }

    static CheckResult interpret(List<Map<String, Object>> rows, CheckContext context) {
        return interpret(rows, List.of(), context);
    }

    static CheckResult interpret(List<Map<String, Object>> rows, List<Map<String, Object>> growth, CheckContext context) {
        double warning = WARNING_PERCENT.value(context);
        double critical = CRITICAL_PERCENT.value(context);
        CheckResult.Builder result = CheckResult.builder();
        long waiting = 0;
        long fullest = -1;
        for (Map<String, Object> row : rows) {
            String reason = Values.line(row, "log_reuse_wait_desc");
            String database = Values.line(row, "database_name");
            long used = row.get("percent_log_used") == null ? -1 : Values.longValue(row, "percent_log_used");
            fullest = Math.max(fullest, used);
            boolean reuseWait = !reason.isEmpty() && !reason.equals("NOTHING") && !reason.equals("CHECKPOINT");
            waiting += reuseWait ? 1 : 0;
            if (used >= warning) {
                long headroom = Autogrowth.headroomMb(growth.stream().filter(f -> database.equals(Values.line(f, "database_name"))).toList());
                // A log that can still autogrow is a warning: the emergency is when it cannot.
                result.add(Finding.of("MSSQL_LOG_FULL", used >= critical && headroom <= 0 ? Severity.CRITICAL : Severity.WARNING,
                                "The log of " + database + " is " + used + "% full" + (reuseWait ? "; it cannot be reused: " + reason : ""))
                        .detail("When it is full and cannot grow, every write to " + database + " fails with error 9002."
                                + Autogrowth.describe(headroom, "It")
                                + (reuseWait ? "" : " Nothing keeps it from being reused: the next checkpoint or log backup frees it."))
                        .evidence("database", database).evidence("percentLogUsed", used).evidence("logReuseWait", reason)
                        .evidence("growthHeadroomMb", headroom)
                        .evidence("recoveryModel", Values.line(row, "recovery_model_desc"))
                        .recommendation(reuseWait ? remedy(reason, database)
                                : "Watch it: SELECT * FROM sys.dm_db_log_space_usage; (in " + database + ")")
                        .playbook(playbook("mssql-log-space")).build());
            } else if (reuseWait) {
                result.add(Finding.of("MSSQL_LOG_REUSE_WAIT", reason.equals("ACTIVE_TRANSACTION") || reason.equals("REPLICATION")
                                        || reason.equals("AVAILABILITY_REPLICA") ? Severity.WARNING : Severity.INFO,
                                "The log of " + database + " cannot be reused: " + reason + (used >= 0 ? " (" + used + "% used)" : ""))
                        .detail("Until the reason clears, the log only grows; once it cannot grow, every write fails (error 9002).")
                        .evidence("database", database).evidence("logReuseWait", reason).evidence("percentLogUsed", used)
                        .evidence("recoveryModel", Values.line(row, "recovery_model_desc"))
                        .recommendation(remedy(reason, database))
                        .playbook(playbook("mssql-log-space")).build());
            }
        }
        return result.metric("databases_waiting_for_log_reuse", waiting).metric("max_percent_log_used", fullest).build();
    }

    private static String remedy(String reason, String database) {
        return switch (reason) {
            case "LOG_BACKUP" -> "Take a log backup: BACKUP LOG [" + database + "] TO DISK = N'...';";
            case "ACTIVE_TRANSACTION" -> "Find the oldest open transaction: DBCC OPENTRAN ('" + database + "'); then the blocking check.";
            case "AVAILABILITY_REPLICA" -> "A secondary is behind: check sys.dm_hadr_database_replica_states (log_send_queue_size).";
            case "REPLICATION" -> "The log reader has not read the log: check the replication agents.";
            default -> "See log_reuse_wait_desc in the SQL Server documentation for " + reason + ".";
        };
    }
}
