package dbtool.plugin.mssql.checks;

import dbtool.plugin.mssql.SqlServerSession;
import dbtool.spi.Category;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.spi.Threshold;
import dbtool.toolkit.Values;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.w3c.dom.Element;

/**
 * CPU of SQL Server and of everything else on the host, from the scheduler monitor ring buffer:
 * one record a minute with ProcessUtilization (this instance) and SystemIdle. What is neither is
 * other processes. Reads the XML as text and parses it here, so the statement stays simple.
 */
final class CpuCheck extends SqlServerCheck {

    static final Threshold WINDOW = Threshold.number("cpu_minutes", 10, "min",
            "the window of one-minute scheduler monitor records");

    static final Threshold WARNING_PERCENT = Threshold.number("cpu_warning_percent", 80, "%",
            "WARNING when SQL Server's average CPU reaches this");

    static final Threshold CRITICAL_PERCENT = Threshold.number("cpu_critical_percent", 95, "%",
            "CRITICAL when the average or the last minute reaches this");

    static final Threshold OTHER_WARNING_PERCENT = Threshold.number("other_cpu_warning_percent", 25, "%",
            "WARNING when other processes average this much CPU");

    @Override
    public List<Threshold> thresholds() {
        return List.of(WINDOW, WARNING_PERCENT, CRITICAL_PERCENT, OTHER_WARNING_PERCENT);
    }

    // The last half hour at most; ms_ticks dates each record. SQL Server 2016-2022 and Managed Instance.
    static final String SQL = """
            SELECT TOP (30) rb.timestamp AS record_ticks, CAST(rb.record AS nvarchar(4000)) AS record, i.ms_ticks
            FROM sys.dm_os_ring_buffers AS rb
            CROSS JOIN sys.dm_os_sys_info AS i
            WHERE rb.ring_buffer_type = N'RING_BUFFER_SCHEDULER_MONITOR' AND rb.record LIKE N'%<SystemHealth>%'
            ORDER BY rb.timestamp DESC
            """;

    CpuCheck() {
        super("cpu", Category.RESOURCES, "SQL Server and other-process CPU over the last minutes, from the scheduler monitor ring buffer",
                Support.notOnAzureSqlDatabase("it reads sys.dm_os_ring_buffers; see sys.dm_db_resource_stats (avg_cpu_percent) instead"));
    }

    @Override
    Set<String> codes() {
        return Set.of("MSSQL_HIGH_CPU", "MSSQL_OTHER_PROCESS_CPU");
    }

    @Override
    protected CheckResult diagnose(SqlServerSession session, CheckContext context) throws Exception {
        return interpret(session.query(SQL, context), context);
    }

    static CheckResult interpret(List<Map<String, Object>> rows, CheckContext context) {
        long minutes = (long) WINDOW.value(context);
        List<Map<String, Object>> samples = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            long ageSeconds = (Values.longValue(row, "ms_ticks") - Values.longValue(row, "record_ticks")) / 1000;
            if (ageSeconds > minutes * 60 || Values.line(row, "record").isEmpty()) {
                continue;
            }
            Element health = Xml.path(Xml.parse(String.valueOf(row.get("record"))), "SchedulerMonitorEvent", "SystemHealth");
            long sql = Xml.number(health, "ProcessUtilization");
            long idle = Xml.number(health, "SystemIdle");
            if (sql < 0 || idle < 0) {
                continue;
            }
            Map<String, Object> sample = new LinkedHashMap<>();
            sample.put("minutesAgo", ageSeconds / 60);
            sample.put("sqlCpuPercent", sql);
            sample.put("otherCpuPercent", Math.max(0, 100 - idle - sql));
            sample.put("idlePercent", idle);
            samples.add(sample);
        }
        samples.sort(Comparator.comparingLong(s -> Values.longValue(s, "minutesAgo")));
        CheckResult.Builder result = CheckResult.builder().metric("cpu_samples", samples.size());
        if (samples.isEmpty()) {
            return result.build();
        }
        long latestSql = Values.longValue(samples.getFirst(), "sqlCpuPercent");
        long latestOther = Values.longValue(samples.getFirst(), "otherCpuPercent");
        long averageSql = Math.round(samples.stream().mapToLong(s -> Values.longValue(s, "sqlCpuPercent")).average().orElse(0));
        long averageOther = Math.round(samples.stream().mapToLong(s -> Values.longValue(s, "otherCpuPercent")).average().orElse(0));
        result.metric("sql_cpu_percent", latestSql).metric("other_cpu_percent", latestOther)
                .metric("sql_cpu_percent_avg", averageSql).metric("other_cpu_percent_avg", averageOther);
        String span = "over the last " + samples.size() + (samples.size() == 1 ? " minute" : " minutes");
        double warning = WARNING_PERCENT.value(context);
        double critical = CRITICAL_PERCENT.value(context);
        if (averageSql >= warning || latestSql >= critical) {
            result.add(Finding.of("MSSQL_HIGH_CPU", averageSql >= critical || latestSql >= critical ? Severity.CRITICAL : Severity.WARNING,
                            "SQL Server uses " + averageSql + "% CPU " + span + " (" + latestSql + "% in the last minute)")
                    .detail("Queries queue for a scheduler (SOS_SCHEDULER_YIELD waits, runnable tasks). Usually a few statements "
                            + "do most of the work: a changed plan, a missing index, a parallel scan.")
                    .evidence("samples", samples)
                    .recommendation("See which statements burn it: the top-statements check, and running requests by cpu_time "
                            + "(SELECT session_id, cpu_time, status, command FROM sys.dm_exec_requests ORDER BY cpu_time DESC;)")
                    .playbook(playbook("mssql-cpu")).build());
        }
        if (averageOther >= OTHER_WARNING_PERCENT.value(context)) {
            result.add(Finding.of("MSSQL_OTHER_PROCESS_CPU", Severity.WARNING, "Other processes on the host use " + averageOther
                            + "% CPU " + span + "; SQL Server " + averageSql + "%")
                    .detail("Something besides this SQL Server instance (another instance, antivirus, backup software, SSIS) "
                            + "takes CPU from it.")
                    .evidence("samples", samples)
                    .recommendation("Look at the host's processes (Task Manager / top) at this moment.")
                    .playbook(playbook("mssql-cpu")).build());
        }
        return result.build();
    }
}
