package dbtool.plugin.mssql.checks;

import dbtool.plugin.mssql.SqlServerSession;
import dbtool.spi.Category;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.util.List;
import java.util.Map;

/** Why transaction logs cannot be reused, per database (a full log stops every write). */
final class LogSpaceCheck extends SqlServerCheck {

    // sys.databases is readable by every login for the databases it can see. 2016-2022, Azure SQL DB.
    static final String SQL = """
            SELECT name AS database_name, state_desc, recovery_model_desc, log_reuse_wait_desc
            FROM sys.databases
            WHERE log_reuse_wait_desc NOT IN ('NOTHING', 'CHECKPOINT')
            ORDER BY name
            """;

    LogSpaceCheck() {
        super("log-reuse", Category.RESOURCES, "databases whose transaction log cannot be reused, and why (log_reuse_wait_desc)");
    }

    @Override
    protected CheckResult diagnose(SqlServerSession session, CheckContext context) throws Exception {
        return interpret(session.query(SQL, context));
    }

    static CheckResult interpret(List<Map<String, Object>> rows) {
        CheckResult.Builder result = CheckResult.builder().metric("databases_waiting_for_log_reuse", rows.size());
        for (Map<String, Object> row : rows) {
            String reason = text(row, "log_reuse_wait_desc");
            String database = text(row, "database_name");
            result.add(Finding.of("MSSQL_LOG_REUSE_WAIT", reason.equals("ACTIVE_TRANSACTION") || reason.equals("REPLICATION")
                                    || reason.equals("AVAILABILITY_REPLICA") ? Severity.WARNING : Severity.INFO,
                            "The log of " + database + " cannot be reused: " + reason)
                    .detail("Until the reason clears, the log only grows; once it cannot grow, every write fails (error 9002).")
                    .evidence("database", database).evidence("logReuseWait", reason).evidence("recoveryModel", text(row, "recovery_model_desc"))
                    .recommendation(switch (reason) {
                        case "LOG_BACKUP" -> "Take a log backup: BACKUP LOG [" + database + "] TO DISK = N'...';";
                        case "ACTIVE_TRANSACTION" -> "Find the oldest open transaction: DBCC OPENTRAN ('" + database + "'); then the blocking check.";
                        case "AVAILABILITY_REPLICA" -> "A secondary is behind: check sys.dm_hadr_database_replica_states (log_send_queue_size).";
                        case "REPLICATION" -> "The log reader has not read the log: check the replication agents.";
                        default -> "See log_reuse_wait_desc in the SQL Server documentation for " + reason + ".";
                    })
                    .playbook(playbook("mssql_log_reuse")).build());
        }
        return result.build();
    }
}
