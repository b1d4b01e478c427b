package dbtool.plugin.mssql.checks;

import dbtool.plugin.mssql.SqlServerSession;
import dbtool.spi.Category;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.util.List;
import java.util.Map;

/**
 * Worker thread saturation: tasks queued for a worker (work_queue_count), tasks waiting on
 * THREADPOOL, and workers in use against max_workers_count. When workers run out, even a new login
 * hangs; the usual cause is a blocking chain holding hundreds of them.
 */
final class WorkersCheck extends SqlServerCheck {

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

    WorkersCheck() {
        super("workers", Category.RESOURCES, "worker thread saturation: queued tasks, THREADPOOL waits, workers against max_workers_count");
    }

    @Override
    protected CheckResult diagnose(SqlServerSession session, CheckContext context) throws Exception {
        return interpret(session.query(SQL, context), context);
    }

    static CheckResult interpret(List<Map<String, Object>> rows, CheckContext context) {
        Map<String, Object> row = rows.isEmpty() ? Map.of() : rows.getFirst();
        long max = number(row, "max_workers");
        long current = number(row, "current_workers");
        long queued = number(row, "work_queue");
        long threadpool = number(row, "threadpool_waits");
        long runnable = number(row, "runnable_tasks");
        long schedulers = Math.max(1, number(row, "schedulers"));
        long percent = max > 0 ? Math.round(100.0 * current / max) : 0;
        CheckResult.Builder result = CheckResult.builder().metric("max_workers", max).metric("current_workers", current)
                .metric("workers_used_percent", percent).metric("work_queue", queued).metric("threadpool_waits", threadpool)
                .metric("runnable_tasks_per_scheduler", Math.round(10.0 * runnable / schedulers) / 10.0);
        if (queued > 0 || threadpool > 0) {
            result.add(Finding.of("MSSQL_WORKER_THREADS_EXHAUSTED", Severity.CRITICAL, (threadpool > 0 ? threadpool + " tasks wait for a "
                            + "worker thread (THREADPOOL)" : queued + " tasks are queued for a worker thread") + "; " + current + " of "
                            + max + " workers exist")
                    .detail("New requests, and new logins, wait until a worker frees up: the server looks hung. Most often a "
                            + "blocking chain holds the workers; massive parallelism is the other usual cause.")
                    .evidence("currentWorkers", current).evidence("maxWorkers", max).evidence("workQueue", queued)
                    .evidence("threadpoolWaits", threadpool)
                    .recommendation("Run the blocking check and release its head blockers; if logins fail, connect through the "
                            + "dedicated admin connection (sqlcmd -A). Raising 'max worker threads' only hides the cause.")
                    .playbook(playbook("mssql_workers")).build());
        } else if (max > 0 && percent >= context.number("workers_used_warning_percent", 80)) {
            result.add(Finding.of("MSSQL_WORKER_THREADS_HIGH", Severity.WARNING, current + " of " + max + " worker threads are in use ("
                            + percent + "%)")
                    .detail("Close to the point where new requests must wait for a worker (THREADPOOL waits).")
                    .evidence("currentWorkers", current).evidence("maxWorkers", max)
                    .recommendation("Look for blocking chains and highly parallel queries before they take the rest.")
                    .playbook(playbook("mssql_workers")).build());
        }
        return result.build();
    }
}
