package dbtool.plugin.mssql.checks;

import dbtool.plugin.mssql.SqlServerSession;
import dbtool.spi.Category;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.util.List;
import java.util.Map;

/** Memory pressure: queries waiting for a memory grant, and page life expectancy. */
final class MemoryCheck extends SqlServerCheck {

    // Counter object names carry the instance prefix (SQLServer: or MSSQL$NAME:), hence LIKE. 2016-2022, Azure SQL DB.
    static final String SQL = """
            SELECT RTRIM(counter_name) AS counter_name, cntr_value
            FROM sys.dm_os_performance_counters
            WHERE (object_name LIKE '%Memory Manager%' AND counter_name = 'Memory Grants Pending')
               OR (object_name LIKE '%Buffer Manager%' AND counter_name = 'Page life expectancy')
            """;

    MemoryCheck() {
        super("memory", Category.RESOURCES, "memory grants pending and page life expectancy");
    }

    @Override
    protected CheckResult diagnose(SqlServerSession session, CheckContext context) throws Exception {
        return interpret(session.query(SQL, context), context);
    }

    static CheckResult interpret(List<Map<String, Object>> rows, CheckContext context) {
        long pending = 0;
        long ple = -1;
        for (Map<String, Object> row : rows) {
            switch (text(row, "counter_name")) {
                case "Memory Grants Pending" -> pending = number(row, "cntr_value");
                case "Page life expectancy" -> ple = number(row, "cntr_value");
                default -> {
                }
            }
        }
        CheckResult.Builder result = CheckResult.builder().metric("memory_grants_pending", pending).metric("page_life_expectancy", ple);
        if (pending > 0) {
            result.add(Finding.of("MSSQL_MEMORY_GRANTS_PENDING", pending >= context.number("memory_grants_pending_critical", 5)
                            ? Severity.CRITICAL : Severity.WARNING, pending + " queries wait for a memory grant")
                    .detail("They cannot start until memory is released (wait type RESOURCE_SEMAPHORE).")
                    .evidence("memoryGrantsPending", pending)
                    .recommendation("See who holds grants: SELECT session_id, granted_memory_kb, requested_memory_kb FROM "
                            + "sys.dm_exec_query_memory_grants ORDER BY granted_memory_kb DESC;")
                    .playbook(playbook("mssql_memory")).build());
        }
        if (ple >= 0 && ple < context.number("page_life_expectancy_warning", 300)) {
            result.add(Finding.of("MSSQL_LOW_PAGE_LIFE_EXPECTANCY", Severity.WARNING, "Page life expectancy is " + ple + " s")
                    .detail("Pages leave the buffer pool quickly: large scans or too little memory for the working set.")
                    .evidence("pageLifeExpectancy", ple)
                    .playbook(playbook("mssql_memory")).build());
        }
        return result.build();
    }
}
