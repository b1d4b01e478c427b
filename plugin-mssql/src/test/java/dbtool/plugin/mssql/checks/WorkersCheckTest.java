package dbtool.plugin.mssql.checks;

import static dbtool.testkit.CheckFixtures.context;
import static dbtool.testkit.CheckFixtures.row;
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
        return schedulers(max, current, current - 10, queue, threadpool);
    }

    static Map<String, Object> schedulers(long max, long current, long active, long queue, long threadpool) {
        return row("max_workers", max, "schedulers", 8, "current_workers", current, "active_workers", active,
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
        CheckResult result = WorkersCheck.interpret(List.of(schedulers(576, 520, 500, 0, 0)), context());
        Finding finding = result.findings().getFirst();
        assertEquals("MSSQL_WORKER_THREADS_HIGH", finding.code());
        assertEquals(Severity.WARNING, result.status());
        assertEquals("500 of 576 worker threads are active (87%)", finding.title());
        assertEquals(87L, result.metrics().get("workers_used_percent"));
        assertEquals(520L, finding.evidence().get("currentWorkers"), "the workers that exist stay in the evidence");
    }

    @Test
    void idlePooledWorkersAreNotCounted() {
        // after a burst the pool keeps 560 workers; 60 of them do something
        CheckResult result = WorkersCheck.interpret(List.of(schedulers(576, 560, 60, 0, 0)), context());
        assertTrue(result.findings().isEmpty(), result.findings().toString());
        assertEquals(10L, result.metrics().get("workers_used_percent"));
        assertEquals(560L, result.metrics().get("current_workers"));
    }

    static Map<String, Object> resourceStats(double workers, double sessions) {
        return row("end_time", java.time.LocalDateTime.parse("2026-12-01T11:59:45"), "avg_cpu_percent", 41.5, "max_worker_percent", workers,
                "max_session_percent", sessions);
    }

    @Test
    void onAzureSqlDatabaseWorkersAndSessionsAreMeasuredAgainstTheServiceObjective() {
        CheckResult warning = WorkersCheck.interpretAzure(List.of(resourceStats(82.5, 12)), context());
        Finding workers = warning.findings().getFirst();
        assertEquals(List.of("MSSQL_WORKER_LIMIT"), warning.findings().stream().map(Finding::code).toList());
        assertEquals(Severity.WARNING, workers.severity());
        assertEquals("The database uses 83% of the workers its service objective allows", workers.title());
        assertTrue(workers.detail().contains("10928"), workers.detail());
        assertEquals(82.5, warning.metrics().get("worker_percent_of_limit"));

        CheckResult critical = WorkersCheck.interpretAzure(List.of(resourceStats(40, 97.25)), context());
        Finding sessions = critical.findings().getFirst();
        assertEquals("MSSQL_SESSION_LIMIT", sessions.code());
        assertEquals(Severity.CRITICAL, sessions.severity());
        assertEquals("The database uses 97% of the sessions its service objective allows", sessions.title());

        CheckResult both = WorkersCheck.interpretAzure(List.of(resourceStats(96, 85)), context("sessions_used_warning_percent", "90"));
        assertEquals(List.of("MSSQL_WORKER_LIMIT"), both.findings().stream().map(Finding::code).toList(), "the session threshold is its own");
        assertEquals(Severity.CRITICAL, both.status());
    }

    @Test
    void onAzureSqlDatabaseAQuietDatabaseAndAJustCreatedOneAreHealthy() {
        CheckResult quiet = WorkersCheck.interpretAzure(List.of(resourceStats(3.1, 1.4)), context());
        assertTrue(quiet.findings().isEmpty());
        assertEquals(41.5, quiet.metrics().get("avg_cpu_percent"));
        assertTrue(WorkersCheck.interpretAzure(List.of(), context()).findings().isEmpty(), "no resource_stats row in the first 15 s");
    }

    @Test
    void aQuietServerIsHealthy() {
        CheckResult result = WorkersCheck.interpret(List.of(schedulers(576, 60, 0, 0)), context());
        assertTrue(result.findings().isEmpty());
        assertEquals(0.5, result.metrics().get("runnable_tasks_per_scheduler"));
    }
}
