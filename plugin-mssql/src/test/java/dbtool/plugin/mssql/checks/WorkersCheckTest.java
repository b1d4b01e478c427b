package dbtool.plugin.mssql.checks;

import static dbtool.plugin.mssql.checks.Fixtures.context;
import static dbtool.plugin.mssql.checks.Fixtures.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The summed row of sys.dm_os_schedulers (VISIBLE ONLINE) with max_workers_count and THREADPOOL waiters. */
class WorkersCheckTest {

    static Map<String, Object> schedulers(long max, long current, long queue, long threadpool) {
        return row("max_workers", max, "schedulers", 8, "current_workers", current, "active_workers", current - 10,
                "work_queue", queue, "runnable_tasks", 4L, "threadpool_waits", threadpool);
    }

    @Test
    void threadpoolWaitsMeanTheWorkersAreGone() {
        CheckResult result = WorkersCheck.interpret(List.of(schedulers(576, 576, 31, 40)), context());
        Finding finding = result.findings().getFirst();
        assertEquals("MSSQL_WORKER_THREADS_EXHAUSTED", finding.code());
        assertEquals(Severity.CRITICAL, finding.severity());
        assertEquals("40 tasks wait for a worker thread (THREADPOOL); 576 of 576 workers exist", finding.title());
        assertTrue(finding.recommendation().contains("sqlcmd -A"));
    }

    @Test
    void queuedTasksAloneAreEnough() {
        CheckResult result = WorkersCheck.interpret(List.of(schedulers(576, 560, 3, 0)), context());
        assertEquals("3 tasks are queued for a worker thread; 560 of 576 workers exist", result.findings().getFirst().title());
    }

    @Test
    void mostWorkersInUseIsAWarning() {
        CheckResult result = WorkersCheck.interpret(List.of(schedulers(576, 500, 0, 0)), context());
        assertEquals("MSSQL_WORKER_THREADS_HIGH", result.findings().getFirst().code());
        assertEquals(Severity.WARNING, result.status());
        assertEquals(87L, result.metrics().get("workers_used_percent"));
    }

    @Test
    void aQuietServerIsHealthy() {
        CheckResult result = WorkersCheck.interpret(List.of(schedulers(576, 60, 0, 0)), context());
        assertTrue(result.findings().isEmpty());
        assertEquals(0.5, result.metrics().get("runnable_tasks_per_scheduler"));
    }
}
