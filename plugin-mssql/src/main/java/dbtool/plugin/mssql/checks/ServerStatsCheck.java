package dbtool.plugin.mssql.checks;

import dbtool.plugin.mssql.SqlServerSession;
import dbtool.spi.Category;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.toolkit.Values;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.Set;

/**
 * The throughput and error counters of the instance (sys.dm_os_performance_counters): batch
 * requests, transactions, deadlocks, lock waits, logins and errors. Their names end in /sec, but the
 * view holds each as a running total since the server started (cntr_type 272696576); the rate is the
 * difference between two readings. One reading alone says little, so this check judges nothing:
 * {@code dbtool serve} exports the numbers as counters, and Prometheus's rate() makes them the
 * golden signals, as the PostgreSQL database-stats check does.
 */
final class ServerStatsCheck extends SqlServerCheck {

    // counter_name as the view has it -> the report's metric name. The names differ from the gauges
    // of the deadlocks and lock-waits checks, so that each Prometheus family has one type.
    private static final SequencedMap<String, String> METRICS = new LinkedHashMap<>();

    static {
        METRICS.put("Batch Requests/sec", "batch_requests");
        METRICS.put("Transactions/sec", "transactions");
        METRICS.put("Number of Deadlocks/sec", "deadlocks");
        METRICS.put("Lock Waits/sec", "lock_requests_waited");
        METRICS.put("Logins/sec", "logins");
        METRICS.put("Errors/sec", "errors");
    }

    private static final Set<String> COUNTERS = Set.copyOf(METRICS.values());

    // Object names carry the instance prefix (SQLServer: or MSSQL$NAME:), hence LIKE; the per-database
    // and per-lock-type counters are summed by the server in their _Total instance. 2016-2022, Azure SQL DB.
    static final String SQL = """
            SELECT RTRIM(counter_name) AS counter_name, cntr_value
            FROM sys.dm_os_performance_counters
            WHERE (object_name LIKE '%SQL Statistics%' AND counter_name = 'Batch Requests/sec')
               OR (object_name LIKE '%General Statistics%' AND counter_name = 'Logins/sec')
               OR (object_name LIKE '%:Databases%' AND counter_name = 'Transactions/sec' AND instance_name = '_Total')
               OR (object_name LIKE '%:Locks%' AND counter_name IN ('Number of Deadlocks/sec', 'Lock Waits/sec')
                   AND instance_name = '_Total')
               OR (object_name LIKE '%SQL Errors%' AND counter_name = 'Errors/sec' AND instance_name = '_Total')
            """;

    ServerStatsCheck() {
        super("server-stats", Category.RESOURCES,
                "batch requests, transactions, deadlocks, lock waits, logins and errors of the instance, as counters");
    }

    @Override
    public Set<String> counters() {
        return COUNTERS;
    }

    @Override
    protected CheckResult diagnose(SqlServerSession session, CheckContext context) throws Exception {
        return interpret(session.query(SQL, context));
    }

    /**
     * What the rows say, apart from the server: fixture rows in the tests take the query's place.
     * A counter the server does not list is left out rather than reported as 0 (a 0 would read as a reset).
     */
    static CheckResult interpret(List<Map<String, Object>> rows) {
        Map<String, Long> values = new LinkedHashMap<>();
        for (Map<String, Object> row : rows) {
            String metric = METRICS.get(Values.line(row, "counter_name"));
            if (metric != null) {
                values.put(metric, Values.longValue(row, "cntr_value"));
            }
        }
        CheckResult.Builder result = CheckResult.builder();
        METRICS.values().stream().filter(values::containsKey).forEach(metric -> result.metric(metric, values.get(metric)));
        return result.build();
    }
}
