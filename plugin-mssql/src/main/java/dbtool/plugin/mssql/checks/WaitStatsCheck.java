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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Wait statistics as a delta over a short sample (wait_sample_seconds, default 2 s), so the numbers
 * show what the server waits on now, not since it started, and the waits in progress right now (a
 * lock wait of 14 minutes that has not ended yet is in no cumulative counter). Idle and background
 * waits are left out.
 */
final class WaitStatsCheck extends SqlServerCheck {

    static final Threshold SAMPLE = Threshold.number("wait_sample_seconds", 2, "s",
            "length of the wait statistics sample");

    static final Threshold WARNING_RATE = Threshold.number("waits_per_second_warning", 8, "s/s",
            "WARNING from this many seconds of waiting per second");

    @Override
    public List<Threshold> thresholds() {
        return List.of(SAMPLE, LongRequestsCheck.WARNING_AGE, WARNING_RATE);
    }

    // Benign waits: idle queues, background tasks and waits that say nothing about the workload, as
    // Paul Randal lists them (and Glenn Berry's diagnostic queries use). '_' is a LIKE wildcard: escaped.
    private static final String BENIGN = """
            wait_type NOT IN (N'BROKER_EVENTHANDLER', N'BROKER_RECEIVE_WAITFOR', N'BROKER_TASK_STOP', N'BROKER_TO_FLUSH',
                N'BROKER_TRANSMITTER', N'CHECKPOINT_QUEUE', N'CHKPT', N'CLR_AUTO_EVENT', N'CLR_MANUAL_EVENT', N'CLR_SEMAPHORE',
                N'CXCONSUMER', N'DIRTY_PAGE_POLL', N'DISPATCHER_QUEUE_SEMAPHORE', N'EXECSYNC', N'FSAGENT',
                N'FT_IFTS_SCHEDULER_IDLE_WAIT', N'FT_IFTSHC_MUTEX', N'HADR_CLUSAPI_CALL', N'HADR_FABRIC_CALLBACK',
                N'HADR_FILESTREAM_IOMGR_IOCOMPLETION', N'HADR_LOGCAPTURE_WAIT', N'HADR_NOTIFICATION_DEQUEUE', N'HADR_TIMER_TASK',
                N'HADR_WORK_QUEUE', N'KSOURCE_WAKEUP', N'LAZYWRITER_SLEEP', N'LOGMGR_QUEUE', N'MEMORY_ALLOCATION_EXT',
                N'ONDEMAND_TASK_QUEUE', N'PREEMPTIVE_HADR_LEASE_MECHANISM', N'PREEMPTIVE_SP_SERVER_DIAGNOSTICS',
                N'PREEMPTIVE_XE_DISPATCHER', N'PVS_PREALLOCATE', N'PWAIT_ALL_COMPONENTS_INITIALIZED',
                N'PWAIT_DIRECTLOGCONSUMER_GETNEXT', N'PWAIT_EXTENSIBILITY_CLEANUP_TASK', N'QDS_ASYNC_QUEUE',
                N'QDS_CLEANUP_STALE_QUERIES_TASK_MAIN_LOOP_SLEEP', N'QDS_PERSIST_TASK_MAIN_LOOP_SLEEP', N'QDS_SHUTDOWN_QUEUE',
                N'REDO_THREAD_PENDING_WORK', N'REQUEST_FOR_DEADLOCK_SEARCH', N'RESOURCE_QUEUE', N'SERVER_IDLE_CHECK',
                N'SLEEP_SYSTEMTASK', N'SLEEP_TASK', N'SOS_WORK_DISPATCHER', N'SP_SERVER_DIAGNOSTICS_SLEEP', N'SQLTRACE_BUFFER_FLUSH',
                N'SQLTRACE_INCREMENTAL_FLUSH_SLEEP', N'SQLTRACE_WAIT_ENTRIES', N'VDI_CLIENT_OTHER', N'WAIT_FOR_RESULTS', N'WAITFOR',
                N'WAITFOR_TASKSHUTDOWN', N'XE_BUFFERMGR_ALLPROCESSED_EVENT', N'XE_DISPATCHER_JOIN', N'XE_DISPATCHER_WAIT',
                N'XE_LIVE_TARGET_TVF', N'XE_TIMER_EVENT')
              AND wait_type NOT LIKE N'SLEEP[_]%' AND wait_type NOT LIKE N'PARALLEL[_]REDO[_]%' AND wait_type NOT LIKE N'WAIT[_]XTP[_]%'
              AND wait_type NOT LIKE N'DBMIRROR%' AND wait_type NOT LIKE N'QDS[_]%SLEEP%'""";

    // Cumulative since startup, with the host's millisecond clock read in the same statement, so that the
    // delta is divided by the time that really passed between the two reads. SQL Server 2016-2022 and Managed Instance.
    static final String SQL = """
            SELECT ws.wait_type, ws.waiting_tasks_count, ws.wait_time_ms, ws.signal_wait_time_ms, si.ms_ticks
            FROM sys.dm_os_wait_stats AS ws
            CROSS JOIN sys.dm_os_sys_info AS si
            WHERE ws.wait_time_ms > 0
              AND ws.""" + BENIGN.replace("AND wait_type", "AND ws.wait_type") + "\n";

    // Azure SQL Database: the same, for this database only (sys.dm_os_wait_stats there is the shared host's).
    static final String AZURE_SQL = """
            SELECT ws.wait_type, ws.waiting_tasks_count, ws.wait_time_ms, ws.signal_wait_time_ms, si.ms_ticks
            FROM sys.dm_db_wait_stats AS ws
            CROSS JOIN sys.dm_os_sys_info AS si
            WHERE ws.wait_time_ms > 0
              AND ws.""" + BENIGN.replace("AND wait_type", "AND ws.wait_type") + "\n";

    // Waits that have not ended yet, by type. System tasks have no session. SQL Server 2016-2022, Azure SQL DB.
    static final String WAITING_NOW_SQL = """
            SELECT wait_type, COUNT(*) AS tasks, MAX(wait_duration_ms) AS max_wait_ms
            FROM sys.dm_os_waiting_tasks
            WHERE (session_id IS NULL OR session_id <> @@SPID) AND wait_type IS NOT NULL
              AND\s""" + BENIGN + """

            GROUP BY wait_type
            ORDER BY MAX(wait_duration_ms) DESC
            """;

    WaitStatsCheck() {
        super("waits", Category.RESOURCES, "wait statistics as a delta over a short sample, and the waits in progress now");
    }

    @Override
    Set<String> codes() {
        return Set.of("MSSQL_WAITS");
    }

    @Override
    protected CheckResult diagnose(SqlServerSession session, CheckContext context) throws Exception {
        // No row cap: a wait type missing from one read would come out as a delta of everything since startup.
        String sql = session.server().azureSqlDatabase() ? AZURE_SQL : SQL;
        long start = System.nanoTime();
        List<Map<String, Object>> before = session.queryAll(sql, context);
        long sampleMillis = (long) (SAMPLE.value(context) * 1000);
        // Leave at least a second of the deadline for the second read and the checks after this one.
        sampleMillis = Math.max(0, Math.min(sampleMillis, context.remaining().toMillis() - 1000));
        Thread.sleep(sampleMillis);
        List<Map<String, Object>> after = session.queryAll(sql, context);
        double measured = (System.nanoTime() - start) / 1e9;
        double seconds = elapsedSeconds(before, after).orElse(measured);
        return interpret(before, after, seconds, session.query(WAITING_NOW_SQL, context), context);
    }

    /** The server's own clock between the reads (ms_ticks), when both reads returned it. */
    static OptionalDouble elapsedSeconds(List<Map<String, Object>> before, List<Map<String, Object>> after) {
        if (before.isEmpty() || after.isEmpty() || before.getFirst().get("ms_ticks") == null || after.getFirst().get("ms_ticks") == null) {
            return OptionalDouble.empty();
        }
        long ticks = Values.longValue(after.getFirst(), "ms_ticks") - Values.longValue(before.getFirst(), "ms_ticks");
        return ticks > 0 ? OptionalDouble.of(ticks / 1000.0) : OptionalDouble.empty();
    }

    static CheckResult interpret(List<Map<String, Object>> before, List<Map<String, Object>> after, double seconds, CheckContext context) {
        return interpret(before, after, seconds, List.of(), context);
    }

    /** Two readings to the top waits of the interval, and the waits in progress; separate from the queries for tests. */
    static CheckResult interpret(List<Map<String, Object>> before, List<Map<String, Object>> after, double seconds,
                                 List<Map<String, Object>> waitingNow, CheckContext context) {
        Map<String, Map<String, Object>> earlier = new HashMap<>();
        before.forEach(row -> earlier.put(Values.line(row, "wait_type"), row));
        List<Map<String, Object>> deltas = new ArrayList<>();
        for (Map<String, Object> row : after) {
            // A type seen only once has no interval: its whole history since startup is no delta.
            Map<String, Object> previous = earlier.get(Values.line(row, "wait_type"));
            if (previous == null) {
                continue;
            }
            long waitMs = Values.longValue(row, "wait_time_ms") - Values.longValue(previous, "wait_time_ms");
            long tasks = Values.longValue(row, "waiting_tasks_count") - Values.longValue(previous, "waiting_tasks_count");
            if (waitMs > 0) {
                Map<String, Object> delta = new LinkedHashMap<>();
                delta.put("wait_type", Values.line(row, "wait_type"));
                delta.put("wait_ms", waitMs);
                delta.put("waits", tasks);
                delta.put("signal_ms", Values.longValue(row, "signal_wait_time_ms") - Values.longValue(previous, "signal_wait_time_ms"));
                deltas.add(delta);
            }
        }
        deltas.sort(Comparator.comparingLong((Map<String, Object> d) -> Values.longValue(d, "wait_ms")).reversed());
        List<Map<String, Object>> inProgress = waitingNow.stream().map(row -> {
            Map<String, Object> wait = new LinkedHashMap<>();
            wait.put("wait_type", Values.line(row, "wait_type"));
            wait.put("tasks", Values.longValue(row, "tasks"));
            wait.put("max_wait_seconds", Values.longValue(row, "max_wait_ms") / 1000);
            return wait;
        }).sorted(Comparator.comparingLong((Map<String, Object> w) -> Values.longValue(w, "max_wait_seconds")).reversed()).toList();
        long total = deltas.stream().mapToLong(d -> Values.longValue(d, "wait_ms")).sum();
        double rounded = Math.round(seconds * 10) / 10.0;
        double perSecond = seconds > 0 ? total / 1000.0 / seconds : 0;
        CheckResult.Builder result = CheckResult.builder().metric("sample_seconds", rounded)
                .metric("wait_seconds_per_second", Math.round(perSecond * 100) / 100.0)
                .metric("longest_wait_in_progress_seconds", inProgress.isEmpty() ? 0 : Values.longValue(inProgress.getFirst(), "max_wait_seconds"));
        // A wait in progress matters once it is longer than a long query.
        List<Map<String, Object>> longNow = inProgress.stream()
                .filter(w -> Values.longValue(w, "max_wait_seconds") >= LongRequestsCheck.WARNING_AGE.value(context)).toList();
        if (deltas.isEmpty() && longNow.isEmpty()) {
            return result.build();
        }
        String now = longNow.isEmpty() ? "" : "; in progress: " + longNow.stream().limit(3)
                .map(w -> Values.line(w, "wait_type") + " (" + Values.longValue(w, "tasks") + (Values.longValue(w, "tasks") == 1 ? " task" : " tasks") + ", longest "
                        + Format.duration(Values.longValue(w, "max_wait_seconds")) + ")").collect(Collectors.joining(", "));
        String title = deltas.isEmpty() ? "No wait accumulated during the " + rounded + " s sample" + now
                : "Top wait now: " + Values.line(deltas.getFirst(), "wait_type") + " (" + Values.longValue(deltas.getFirst(), "wait_ms") + " ms in " + rounded
                + " s); " + Math.round(perSecond * 10) / 10.0 + " s of waiting per second in all" + now;
        Severity severity = perSecond >= WARNING_RATE.value(context) ? Severity.WARNING : Severity.INFO;
        return result.add(Finding.of("MSSQL_WAITS", severity, title)
                .detail("Waiting time accumulated by all tasks during the sample (a wait counts when it ends), and the waits not ended yet. "
                        + "Many seconds of waiting per second means many tasks wait at once. LCK_M_* waits point to blocking, "
                        + "PAGEIOLATCH_* to storage, RESOURCE_SEMAPHORE to memory grants, CXPACKET to parallelism, SOS_SCHEDULER_YIELD to CPU.")
                .evidence("waits", deltas.stream().limit(10).toList())
                .evidence("waitingNow", inProgress.stream().limit(10).toList())
                .playbook(playbook("mssql-waits")).build()).build();
    }
}
