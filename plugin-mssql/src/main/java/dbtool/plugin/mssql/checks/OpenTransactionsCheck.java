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
import java.util.Map;
import java.util.Set;

/** Open transactions with their age and the log they hold, oldest first. */
final class OpenTransactionsCheck extends SqlServerCheck {

    static final Threshold WARNING_AGE = Threshold.number("long_transaction_seconds", 300, "s",
            "WARNING from this transaction age");

    static final Threshold CRITICAL_AGE = Threshold.number("long_transaction_critical_seconds", 3600, "s",
            "CRITICAL from this transaction age");

    @Override
    public List<Threshold> thresholds() {
        return List.of(WARNING_AGE, CRITICAL_AGE);
    }

    // One row per session transaction and database, with whether a task waits for the session (it
    // blocks) and whether the session's own tasks wait for another (it is blocked itself).
    // SQL Server 2016-2022, Azure SQL Database.
    static final String SQL = """
            SELECT TOP (20) st.session_id, s.status, s.login_name, s.program_name, DB_NAME(dt.database_id) AS database_name,
                   DATEDIFF(SECOND, at.transaction_begin_time, GETDATE()) AS age_seconds,
                   dt.database_transaction_log_bytes_used AS log_bytes_used,
                   CASE WHEN EXISTS (SELECT 1 FROM sys.dm_os_waiting_tasks AS w
                                     WHERE w.blocking_session_id = st.session_id AND w.session_id <> st.session_id)
                        THEN 1 ELSE 0 END AS blocks_others,
                   CASE WHEN EXISTS (SELECT 1 FROM sys.dm_os_waiting_tasks AS w
                                     WHERE w.session_id = st.session_id AND w.blocking_session_id <> st.session_id)
                        THEN 1 ELSE 0 END AS is_blocked
            FROM sys.dm_tran_session_transactions AS st
            JOIN sys.dm_tran_active_transactions AS at ON at.transaction_id = st.transaction_id
            JOIN sys.dm_tran_database_transactions AS dt ON dt.transaction_id = st.transaction_id
            JOIN sys.dm_exec_sessions AS s ON s.session_id = st.session_id
            WHERE st.session_id <> @@SPID
            ORDER BY at.transaction_begin_time
            """;

    OpenTransactionsCheck() {
        super("open-transactions", Category.LOCKS, "open transactions with their age, database and log used");
    }

    @Override
    Set<String> codes() {
        return Set.of("MSSQL_LONG_TRANSACTION");
    }

    @Override
    protected CheckResult diagnose(SqlServerSession session, CheckContext context) throws Exception {
        return interpret(session.query(SQL, context), context);
    }

    static CheckResult interpret(List<Map<String, Object>> rows, CheckContext context) {
        double warning = WARNING_AGE.value(context);
        double critical = CRITICAL_AGE.value(context);
        List<Map<String, Object>> old = rows.stream().filter(r -> Values.longValue(r, "age_seconds") >= warning).toList();
        CheckResult.Builder result = CheckResult.builder().metric("open_transactions", rows.size());
        if (old.isEmpty()) {
            return result.build();
        }
        Map<String, Object> first = old.getFirst();
        long age = Values.longValue(first, "age_seconds");
        // Head blockers only when they block someone and wait for nobody; an old idle transaction that
        // blocks nobody still holds the log and its locks, but is no head blocker.
        List<Long> heads = old.stream().filter(r -> Values.longValue(r, "blocks_others") == 1 && Values.longValue(r, "is_blocked") == 0)
                .map(r -> Values.longValue(r, "session_id")).distinct().toList();
        List<Long> idle = old.stream().filter(r -> "sleeping".equalsIgnoreCase(Values.line(r, "status")) && Values.longValue(r, "blocks_others") == 0)
                .map(r -> Values.longValue(r, "session_id")).distinct().toList();
        return result.add(Finding.of("MSSQL_LONG_TRANSACTION", age >= critical ? Severity.CRITICAL : Severity.WARNING,
                        "A transaction has been open for " + Format.duration(age) + " (session " + Values.longValue(first, "session_id") + ", "
                                + Values.line(first, "database_name") + ", " + Values.line(first, "status") + ")")
                .detail("Long transactions hold their locks and keep the log from being reused (log_reuse_wait_desc ACTIVE_TRANSACTION).")
                .evidence("headBlockers", heads)
                .evidence("idleSessionIds", idle)
                .evidence("sessionIds", old.stream().map(r -> Values.longValue(r, "session_id")).distinct().toList())
                .evidence("transactions", old)
                .recommendation("Ask the owning application to commit or roll back; DBCC INPUTBUFFER(" + Values.longValue(first, "session_id")
                        + ") shows its last statement; KILL " + Values.longValue(first, "session_id") + "; rolls it back.")
                .playbook(playbook("mssql-blocking")).build()).build();
    }
}
