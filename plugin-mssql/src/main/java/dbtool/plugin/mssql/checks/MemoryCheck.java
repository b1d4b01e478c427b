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
 * Memory pressure: queries waiting for a memory grant, and page life expectancy. A PLE that is fine
 * for a small buffer pool is churn for a large one, so the threshold grows with the pool: 300 s per
 * 4 GB of database pages (Jonathan Kehayias' rule). Right after a start the buffer pool is still
 * filling and PLE cannot exceed the uptime, so no PLE finding is made before the server has been up
 * for the threshold.
 */
final class MemoryCheck extends SqlServerCheck {

    static final Threshold PENDING_CRITICAL = Threshold.number("memory_grants_pending_critical", 5, "grants",
            "CRITICAL from this many pending memory grants (WARNING from one)");

    static final Threshold PLE_WARNING = Threshold.number("page_life_expectancy_warning", 300, "s per 4 GB",
            "WARNING below this page life expectancy per 4 GB of buffer pool (the unscaled value when the Database pages counter is missing)");

    @Override
    public List<Threshold> thresholds() {
        return List.of(PENDING_CRITICAL, PLE_WARNING);
    }

    // Counter object names carry the instance prefix (SQLServer: or MSSQL$NAME:), hence LIKE. 2016-2022, Azure SQL DB.
    static final String SQL = """
            SELECT RTRIM(counter_name) AS counter_name, cntr_value
            FROM sys.dm_os_performance_counters
            WHERE (object_name LIKE '%Memory Manager%' AND counter_name = 'Memory Grants Pending')
               OR (object_name LIKE '%Buffer Manager%' AND counter_name IN ('Page life expectancy', 'Database pages'))
            """;

    // sqlserver_start_time: SQL Server 2016-2022, Managed Instance and Azure SQL Database.
    static final String UPTIME_SQL = """
            SELECT DATEDIFF(SECOND, sqlserver_start_time, GETDATE()) AS uptime_seconds
            FROM sys.dm_os_sys_info
            """;

    /** Bytes of buffer pool that the base threshold is for. */
    private static final double FOUR_GB = 4.0 * 1024 * 1024 * 1024;

    MemoryCheck() {
        super("memory", Category.RESOURCES, "memory grants pending and page life expectancy");
    }

    @Override
    Set<String> codes() {
        return Set.of("MSSQL_LOW_PAGE_LIFE_EXPECTANCY", "MSSQL_MEMORY_GRANTS_PENDING");
    }

    @Override
    protected CheckResult diagnose(SqlServerSession session, CheckContext context) throws Exception {
        List<Map<String, Object>> counters = session.query(SQL, context);
        List<Map<String, Object>> uptime = session.query(UPTIME_SQL, context);
        return interpret(counters, uptime.isEmpty() || uptime.getFirst().get("uptime_seconds") == null ? -1
                : Values.longValue(uptime.getFirst(), "uptime_seconds"), context);
    }

    /** @param uptimeSeconds how long SQL Server has been up, or -1 when unknown */
    static CheckResult interpret(List<Map<String, Object>> rows, long uptimeSeconds, CheckContext context) {
        long pending = 0;
        long ple = -1;
        long databasePages = -1;
        for (Map<String, Object> row : rows) {
            switch (Values.line(row, "counter_name")) {
                case "Memory Grants Pending" -> pending = Values.longValue(row, "cntr_value");
                case "Page life expectancy" -> ple = Values.longValue(row, "cntr_value");
                case "Database pages" -> databasePages = Values.longValue(row, "cntr_value");
                default -> {
                }
            }
        }
        CheckResult.Builder result = CheckResult.builder().metric("memory_grants_pending", pending).metric("page_life_expectancy", ple);
        if (pending > 0) {
            result.add(Finding.of("MSSQL_MEMORY_GRANTS_PENDING", pending >= PENDING_CRITICAL.value(context)
                            ? Severity.CRITICAL : Severity.WARNING, pending + " queries wait for a memory grant")
                    .detail("They cannot start until memory is released (wait type RESOURCE_SEMAPHORE).")
                    .evidence("memoryGrantsPending", pending)
                    .recommendation("See who holds grants: SELECT session_id, granted_memory_kb, requested_memory_kb FROM "
                            + "sys.dm_exec_query_memory_grants ORDER BY granted_memory_kb DESC;")
                    .playbook(playbook("mssql-memory")).build());
        }
        // pages of 8 KB; without the counter the base threshold stands as it is
        double perFourGb = PLE_WARNING.value(context);
        long bufferPoolMb = databasePages < 0 ? -1 : databasePages * 8 / 1024;
        long threshold = databasePages <= 0 ? Math.round(perFourGb) : Math.round(perFourGb * databasePages * 8192 / FOUR_GB);
        result.metric("buffer_pool_mb", bufferPoolMb).metric("page_life_expectancy_threshold", threshold).metric("uptime_seconds", uptimeSeconds);
        boolean warmingUp = uptimeSeconds >= 0 && uptimeSeconds < threshold;
        if (ple >= 0 && ple < threshold && !warmingUp) {
            result.add(Finding.of("MSSQL_LOW_PAGE_LIFE_EXPECTANCY", Severity.WARNING, "Page life expectancy is " + ple + " s, below "
                            + threshold + " s" + (bufferPoolMb < 0 ? "" : " for a buffer pool of " + gigabytes(bufferPoolMb)))
                    .detail("Pages leave the buffer pool quickly: large scans or too little memory for the working set. The "
                            + "threshold is page_life_expectancy_warning (" + Math.round(perFourGb) + " s) per 4 GB of database pages.")
                    .evidence("pageLifeExpectancy", ple).evidence("thresholdSeconds", threshold).evidence("bufferPoolMb", bufferPoolMb)
                    .evidence("uptimeSeconds", uptimeSeconds)
                    .playbook(playbook("mssql-memory")).build());
        }
        return result.build();
    }

    private static String gigabytes(long megabytes) {
        return megabytes >= 1024 ? Math.round(megabytes / 102.4) / 10.0 + " GB" : megabytes + " MB";
    }
}
