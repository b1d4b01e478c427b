package dbtool.plugin.mssql.checks;

import dbtool.plugin.mssql.SqlServerSession;
import dbtool.spi.Category;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.spi.Threshold;
import dbtool.toolkit.Values;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Worker thread saturation: tasks queued for a worker (work_queue_count), tasks waiting on
 * THREADPOOL, and active workers against max_workers_count (current_workers_count also counts idle
 * pooled workers, so it is evidence, not the measure). When workers run out, even a new login
 * hangs; the usual cause is a blocking chain holding hundreds of them. On Azure SQL Database the
 * host's workers are not the database's limit: its service objective caps workers and sessions,
 * and sys.dm_db_resource_stats reports both as a percentage of that cap.
 */
final class WorkersCheck extends SqlServerCheck {

    static final Threshold WORKERS_WARNING = Threshold.number("workers_used_warning_percent", 80, "%",
            "WARNING when this share of max_workers_count is active; on Azure SQL Database, of the service objective's workers");

    static final Threshold WORKERS_CRITICAL = Threshold.number("workers_used_critical_percent", 95, "%",
            "Azure SQL Database: CRITICAL from this share of the service objective's workers");

    static final Threshold SESSIONS_WARNING = Threshold.number("sessions_used_warning_percent", 80, "%",
            "Azure SQL Database: WARNING from this share of the service objective's sessions");

    static final Threshold SESSIONS_CRITICAL = Threshold.number("sessions_used_critical_percent", 95, "%",
            "Azure SQL Database: CRITICAL from this share of the service objective's sessions");

    @Override
    public List<Threshold> thresholds() {
        return List.of(WORKERS_WARNING, WORKERS_CRITICAL, SESSIONS_WARNING, SESSIONS_CRITICAL);
    }

    // Online schedulers only (hidden ones serve the DAC and internal work). SQL Server 2016-2022, Azure SQL Database.
    static final String SQL = """
            SELECT MAX(i.max_workers_count) AS max_workers, COUNT(*) AS schedulers,
                   SUM(s.current_workers_count) AS current_workers, SUM(s.active_workers_count) AS active_workers,
                   SUM(s.work_queue_count) AS work_queue, SUM(s.runnable_tasks_count) AS runnable_tasks,
                   (SELECT COUNT(*) FROM sys.dm_os_waiting_tasks WHERE wait_type = N'THREADPOOL') AS threadpool_waits
            FROM sys.dm_os_schedulers AS s
            CROSS JOIN sys.dm_os_sys_info AS i
            WHERE s.status = N'VISIBLE ONLINE'
            """;

    // Azure SQL Database: one row per 15 seconds for the last hour, as a percentage of the service objective's limits.
    static final String AZURE_SQL = """
            SELECT TOP (1) end_time, avg_cpu_percent, max_worker_percent, max_session_percent
            FROM sys.dm_db_resource_stats
            ORDER BY end_time DESC
            """;

    WorkersCheck() {
        super("workers", Category.RESOURCES, "worker thread saturation: queued tasks, THREADPOOL waits, active workers against "
                + "max_workers_count (Azure SQL Database: workers and sessions against the service objective)");
    }

    @Override
    Set<String> codes() {
        return Set.of("MSSQL_SESSION_LIMIT", "MSSQL_WORKER_LIMIT", "MSSQL_WORKER_THREADS_EXHAUSTED",
                "MSSQL_WORKER_THREADS_HIGH");
    }

    @Override
    protected CheckResult diagnose(SqlServerSession session, CheckContext context) throws Exception {
        if (session.server().azureSqlDatabase()) {
            return interpretAzure(session.query(AZURE_SQL, context), context);
        }
        return interpret(session.query(SQL, context), context);
    }

    /** The latest sys.dm_db_resource_stats row: workers and sessions against the service objective's limits. */
    static CheckResult interpretAzure(List<Map<String, Object>> rows, CheckContext context) {
        CheckResult.Builder result = CheckResult.builder();
        if (rows.isEmpty()) {
            // a database created or resumed in the last 15 seconds has no row yet
            return result.build();
        }
        Map<String, Object> row = rows.getFirst();
        double workers = percent(row, "max_worker_percent");
        double sessions = percent(row, "max_session_percent");
        result.metric("worker_percent_of_limit", workers).metric("session_percent_of_limit", sessions)
                .metric("avg_cpu_percent", percent(row, "avg_cpu_percent"));
        limit(result, "MSSQL_WORKER_LIMIT", "workers", workers, WORKERS_WARNING.value(context),
                WORKERS_CRITICAL.value(context), row,
                "At 100% new requests fail with error 10928 (\"the request limit for the database is ... and has been reached\"). "
                        + "Blocking chains and parallel queries hold workers longest.",
                "Run the blocking check and release its head blockers; lower MAXDOP for parallel queries, or scale the database "
                        + "to a service objective with more workers.");
        limit(result, "MSSQL_SESSION_LIMIT", "sessions", sessions, SESSIONS_WARNING.value(context),
                SESSIONS_CRITICAL.value(context), row,
                "At 100% new logins fail with error 10928 (\"the session limit for the database is ... and has been reached\").",
                "Look for connection pools that grow without bound or leak connections; scale the database if the load is real.");
        return result.build();
    }

    private static void limit(CheckResult.Builder result, String code, String what, double percent, double warning, double critical,
                              Map<String, Object> row, String detail, String recommendation) {
        if (percent < warning) {
            return;
        }
        result.add(Finding.of(code, percent >= critical ? Severity.CRITICAL : Severity.WARNING, "The database uses "
                                + Math.round(percent) + "% of the " + what + " its service objective allows")
                .detail(detail + " From sys.dm_db_resource_stats (the highest percentage in the last 15 seconds).")
                .evidence("percentOfLimit", percent).evidence("endTime", String.valueOf(row.get("end_time")))
                .recommendation(recommendation)
                .playbook(playbook("mssql-workers")).build());
    }

    private static double percent(Map<String, Object> row, String column) {
        return row.get(column) instanceof Number n ? Math.round(n.doubleValue() * 100) / 100.0 : 0;
    }

    static CheckResult interpret(List<Map<String, Object>> rows, CheckContext context) {
        Map<String, Object> row = rows.isEmpty() ? Map.of() : rows.getFirst();
        long max = Values.longValue(row, "max_workers");
        long current = Values.longValue(row, "current_workers");
        long active = Values.longValue(row, "active_workers");
        long queued = Values.longValue(row, "work_queue");
        long threadpool = Values.longValue(row, "threadpool_waits");
        long runnable = Values.longValue(row, "runnable_tasks");
        long schedulers = Math.max(1, Values.longValue(row, "schedulers"));
        long percent = max > 0 ? Math.round(100.0 * active / max) : 0;
        CheckResult.Builder result = CheckResult.builder().metric("max_workers", max).metric("current_workers", current)
                .metric("active_workers", active)
                .metric("workers_used_percent", percent).metric("work_queue", queued).metric("threadpool_waits", threadpool)
                .metric("runnable_tasks_per_scheduler", Math.round(10.0 * runnable / schedulers) / 10.0);
        if (queued > 0 || threadpool > 0) {
            result.add(Finding.of("MSSQL_WORKER_THREADS_EXHAUSTED", Severity.CRITICAL, (threadpool > 0 ? threadpool + " tasks wait for a "
                            + "worker thread (THREADPOOL)" : queued + " tasks are queued for a worker thread") + "; " + current + " of "
                            + max + " workers exist")
                    .detail("New requests, and new logins, wait until a worker frees up: the server looks hung. Most often a "
                            + "blocking chain holds the workers; massive parallelism is the other usual cause.")
                    .evidence("currentWorkers", current).evidence("activeWorkers", active).evidence("maxWorkers", max)
                    .evidence("workQueue", queued)
                    .evidence("threadpoolWaits", threadpool)
                    .recommendation("Run the blocking check and release its head blockers; if logins fail, connect through the "
                            + "dedicated admin connection (sqlcmd -A). Raising 'max worker threads' only hides the cause.")
                    .playbook(playbook("mssql-workers")).build());
        } else if (max > 0 && percent >= WORKERS_WARNING.value(context)) {
            result.add(Finding.of("MSSQL_WORKER_THREADS_HIGH", Severity.WARNING, active + " of " + max + " worker threads are active ("
                            + percent + "%)")
                    .detail("Close to the point where new requests must wait for a worker (THREADPOOL waits). Idle pooled workers "
                            + "(current minus active) are not counted: the server reuses them.")
                    .evidence("activeWorkers", active).evidence("currentWorkers", current).evidence("maxWorkers", max)
                    .recommendation("Look for blocking chains and highly parallel queries before they take the rest.")
                    .playbook(playbook("mssql-workers")).build());
        }
        return result.build();
    }
}
