package dbtool.plugin.mssql.checks;

import static dbtool.testkit.CheckFixtures.context;
import static dbtool.testkit.CheckFixtures.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rows as sys.dm_os_ring_buffers (timestamp in ms ticks, record XML) with sys.dm_os_sys_info.ms_ticks. */
class CpuCheckTest {

    static final long NOW_TICKS = 900_000_000L;

    /** One scheduler monitor record, minutes ago, as SQL Server writes it once a minute. */
    static Map<String, Object> record(int minutesAgo, int sqlCpu, int idle) {
        String xml = "<Record id=\"" + (5000 - minutesAgo) + "\" type=\"RING_BUFFER_SCHEDULER_MONITOR\" time=\"" + (NOW_TICKS - minutesAgo * 60_000L)
                + "\"><SchedulerMonitorEvent><SystemHealth><ProcessUtilization>" + sqlCpu + "</ProcessUtilization><SystemIdle>" + idle
                + "</SystemIdle><UserModeTime>3468750</UserModeTime><KernelModeTime>156250</KernelModeTime><PageFaults>120</PageFaults>"
                + "<WorkingSetDelta>0</WorkingSetDelta><MemoryUtilization>100</MemoryUtilization></SystemHealth></SchedulerMonitorEvent></Record>";
        return row("record_ticks", NOW_TICKS - minutesAgo * 60_000L - 1_000, "record", xml, "ms_ticks", NOW_TICKS);
    }

    static List<Map<String, Object>> minutes(int count, int sqlCpu, int idle) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(record(i, sqlCpu, idle));
        }
        return rows;
    }

    @Test
    void sqlServerBurningCpuIsCriticalOverTheWindow() {
        CheckResult result = CpuCheck.interpret(minutes(10, 97, 1), context());
        Finding finding = result.findings().getFirst();
        assertEquals("MSSQL_HIGH_CPU", finding.code());
        assertEquals(Severity.CRITICAL, finding.severity());
        assertEquals("SQL Server uses 97% CPU over the last 10 minutes (97% in the last minute)", finding.title());
        assertEquals(97L, result.metrics().get("sql_cpu_percent"));
        assertEquals(2L, result.metrics().get("other_cpu_percent"));
    }

    @Test
    void sustainedHighCpuIsAWarningAndOlderRecordsAreLeftOut() {
        List<Map<String, Object>> rows = new ArrayList<>(minutes(10, 85, 10));
        rows.add(record(25, 5, 95));
        CheckResult result = CpuCheck.interpret(rows, context());
        assertEquals(List.of("MSSQL_HIGH_CPU"), result.findings().stream().map(Finding::code).toList());
        assertEquals(Severity.WARNING, result.findings().getFirst().severity());
        assertEquals(10, result.metrics().get("cpu_samples"), "the record of 25 minutes ago is outside cpu_minutes (10)");
    }

    @Test
    void otherProcessesTakingTheCpuAreNamedApart() {
        CheckResult result = CpuCheck.interpret(minutes(5, 20, 30), context());
        Finding finding = result.findings().getFirst();
        assertEquals("MSSQL_OTHER_PROCESS_CPU", finding.code());
        assertEquals("Other processes on the host use 50% CPU over the last 5 minutes; SQL Server 20%", finding.title());
        assertTrue(((List<?>) finding.evidence().get("samples")).size() == 5);
    }

    @Test
    void anIdleServerIsHealthy() {
        CheckResult result = CpuCheck.interpret(minutes(10, 12, 85), context());
        assertTrue(result.findings().isEmpty());
        assertEquals(12L, result.metrics().get("sql_cpu_percent_avg"));
        assertTrue(CpuCheck.interpret(List.of(), context()).findings().isEmpty(), "no records yet (just started)");
    }
}
