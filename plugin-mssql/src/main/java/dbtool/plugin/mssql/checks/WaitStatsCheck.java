package dbtool.plugin.mssql.checks;

import dbtool.plugin.mssql.SqlServerSession;
import dbtool.spi.Category;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Wait statistics as a delta over a short sample (wait_sample_seconds, default 2 s), so the numbers
 * show what the server waits on now, not since it started. Idle and background waits are left out.
 */
final class WaitStatsCheck extends SqlServerCheck {

    // Benign waits as commonly excluded (Paul Randal's list, shortened). SQL Server 2016-2022, Azure SQL DB.
    static final String SQL = """
            SELECT wait_type, waiting_tasks_count, wait_time_ms, signal_wait_time_ms
            FROM sys.dm_os_wait_stats
            WHERE wait_time_ms > 0
              AND wait_type NOT IN ('BROKER_EVENTHANDLER', 'BROKER_RECEIVE_WAITFOR', 'BROKER_TASK_STOP', 'BROKER_TO_FLUSH',
                'CHECKPOINT_QUEUE', 'CLR_AUTO_EVENT', 'CLR_MANUAL_EVENT', 'DIRTY_PAGE_POLL', 'DISPATCHER_QUEUE_SEMAPHORE',
                'FT_IFTS_SCHEDULER_IDLE_WAIT', 'HADR_FILESTREAM_IOMGR_IOCOMPLETION', 'HADR_WORK_QUEUE', 'LAZYWRITER_SLEEP',
                'LOGMGR_QUEUE', 'ONDEMAND_TASK_QUEUE', 'REQUEST_FOR_DEADLOCK_SEARCH', 'SLEEP_TASK', 'SLEEP_SYSTEMTASK',
                'SP_SERVER_DIAGNOSTICS_SLEEP', 'SQLTRACE_BUFFER_FLUSH', 'SQLTRACE_INCREMENTAL_FLUSH_SLEEP', 'WAITFOR',
                'XE_DISPATCHER_WAIT', 'XE_TIMER_EVENT', 'QDS_PERSIST_TASK_MAIN_LOOP_SLEEP', 'QDS_ASYNC_QUEUE',
                'SOS_WORK_DISPATCHER', 'PREEMPTIVE_XE_DISPATCHER', 'PWAIT_EXTENSIBILITY_CLEANUP_TASK', 'XE_LIVE_TARGET_TVF')
              AND wait_type NOT LIKE 'SLEEP_%'
            """;

    WaitStatsCheck() {
        super("waits", Category.RESOURCES, "wait statistics as a delta over a short sample (what the server waits on now)");
    }

    @Override
    protected CheckResult diagnose(SqlServerSession session, CheckContext context) throws Exception {
        List<Map<String, Object>> before = session.query(SQL, context);
        long sampleMillis = (long) (context.number("wait_sample_seconds", 2) * 1000);
        // Leave at least a second of the deadline for the second read and the checks after this one.
        sampleMillis = Math.max(0, Math.min(sampleMillis, context.remaining().toMillis() - 1000));
        Thread.sleep(sampleMillis);
        List<Map<String, Object>> after = session.query(SQL, context);
        return interpret(before, after, sampleMillis / 1000.0, context);
    }

    /** Two readings to the top waits of the interval; separate from the queries for tests. */
    static CheckResult interpret(List<Map<String, Object>> before, List<Map<String, Object>> after, double seconds, CheckContext context) {
        Map<String, Map<String, Object>> earlier = new HashMap<>();
        before.forEach(row -> earlier.put(text(row, "wait_type"), row));
        List<Map<String, Object>> deltas = new ArrayList<>();
        for (Map<String, Object> row : after) {
            Map<String, Object> previous = earlier.getOrDefault(text(row, "wait_type"), Map.of());
            long waitMs = number(row, "wait_time_ms") - number(previous, "wait_time_ms");
            long tasks = number(row, "waiting_tasks_count") - number(previous, "waiting_tasks_count");
            if (waitMs > 0) {
                Map<String, Object> delta = new LinkedHashMap<>();
                delta.put("wait_type", text(row, "wait_type"));
                delta.put("wait_ms", waitMs);
                delta.put("waits", tasks);
                delta.put("signal_ms", number(row, "signal_wait_time_ms") - number(previous, "signal_wait_time_ms"));
                deltas.add(delta);
            }
        }
        deltas.sort(Comparator.comparingLong((Map<String, Object> d) -> number(d, "wait_ms")).reversed());
        long total = deltas.stream().mapToLong(d -> number(d, "wait_ms")).sum();
        double perSecond = seconds > 0 ? total / 1000.0 / seconds : 0;
        CheckResult.Builder result = CheckResult.builder().metric("sample_seconds", seconds)
                .metric("wait_seconds_per_second", Math.round(perSecond * 100) / 100.0);
        if (deltas.isEmpty()) {
            return result.build();
        }
        Map<String, Object> top = deltas.getFirst();
        Severity severity = perSecond >= context.number("waits_per_second_warning", 8) ? Severity.WARNING : Severity.INFO;
        return result.add(Finding.of("MSSQL_WAITS", severity, "Top wait now: " + text(top, "wait_type") + " ("
                        + number(top, "wait_ms") + " ms in " + seconds + " s); " + Math.round(perSecond * 10) / 10.0
                        + " s of waiting per second in all")
                .detail("Waiting time accumulated by all tasks during the sample. Many seconds of waiting per second means "
                        + "many tasks wait at once. LCK_M_* waits point to blocking, PAGEIOLATCH_* to storage, "
                        + "RESOURCE_SEMAPHORE to memory grants, CXPACKET/CXCONSUMER to parallelism, SOS_SCHEDULER_YIELD to CPU.")
                .evidence("waits", deltas.stream().limit(10).toList())
                .playbook(playbook("mssql_waits")).build()).build();
    }
}
