package dbtool.plugin.snowflake.checks;

import dbtool.plugin.snowflake.SnowflakeSession;
import dbtool.spi.Category;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.spi.Threshold;
import dbtool.toolkit.Values;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Load per warehouse over the last 30 minutes: queries queued because the warehouse is full
 * (avg_queued_load), waiting for it to be provisioned (avg_queued_provisioning) or blocked by
 * transaction locks (avg_blocked), next to what ran (avg_running). Each value is the average
 * number of queries in that state over a five-minute interval.
 */
final class WarehouseLoadCheck extends SnowflakeCheck {

    static final Threshold QUEUED_WARNING = Threshold.number("queued_load_warning", 0.5, "load",
            "WARNING from this average queued load over 30 minutes");

    static final Threshold QUEUED_CRITICAL = Threshold.number("queued_load_critical", 2, "load",
            "CRITICAL from this average queued load over 30 minutes");

    static final Threshold PROVISIONING_WARNING = Threshold.number("queued_provisioning_warning", 0.5, "load",
            "WARNING from this average queued provisioning load");

    static final Threshold BLOCKED_WARNING = Threshold.number("blocked_load_warning", 0.1, "load",
            "WARNING from this average blocked load");

    @Override
    public List<Threshold> thresholds() {
        return List.of(QUEUED_WARNING, QUEUED_CRITICAL, PROVISIONING_WARNING, BLOCKED_WARNING);
    }

    // INFORMATION_SCHEMA.WAREHOUSE_LOAD_HISTORY, all warehouses the role can monitor (documented
    // columns START_TIME, END_TIME, WAREHOUSE_NAME, AVG_RUNNING, AVG_QUEUED_LOAD,
    // AVG_QUEUED_PROVISIONING, AVG_BLOCKED; checked 2026-11).
    static final String LOAD = """
            SELECT WAREHOUSE_NAME, START_TIME, END_TIME, AVG_RUNNING, AVG_QUEUED_LOAD, AVG_QUEUED_PROVISIONING, AVG_BLOCKED
            FROM TABLE(INFORMATION_SCHEMA.WAREHOUSE_LOAD_HISTORY(DATE_RANGE_START => DATEADD('minute', -30, CURRENT_TIMESTAMP())))
            ORDER BY WAREHOUSE_NAME, START_TIME
            """;

    WarehouseLoadCheck() {
        super("warehouse-load", Category.RESOURCES, "WAREHOUSE_LOAD_HISTORY of the last 30 minutes: queued load, queued "
                + "provisioning and blocked queries per warehouse");
    }

    @Override
    public Set<String> findingCodes() {
        return Set.of("SF_WAREHOUSE_BLOCKED_LOAD", "SF_WAREHOUSE_QUEUED_LOAD", "SF_WAREHOUSE_QUEUED_PROVISIONING");
    }

    @Override
    protected CheckResult check(SnowflakeSession session, CheckContext context) throws Exception {
        List<Map<String, Object>> load = session.query(LOAD, context);
        List<Map<String, Object>> warehouses;
        try {
            warehouses = session.query(WarehouseCheck.WAREHOUSES, context);
        } catch (SQLException e) {
            warehouses = List.of();
        }
        return interpret(load, warehouses, context);
    }

    /** One warehouse's averages over the window. */
    record Load(String warehouse, double running, double queuedLoad, double queuedProvisioning, double blocked, double peakQueuedLoad,
                int intervals) {
    }

    static CheckResult interpret(List<Map<String, Object>> rows, List<Map<String, Object>> warehouses, CheckContext context) {
        Map<String, List<Map<String, Object>>> byWarehouse = new LinkedHashMap<>();
        rows.forEach(r -> byWarehouse.computeIfAbsent(Values.text(r, "WAREHOUSE_NAME"), k -> new ArrayList<>()).add(r));
        List<Load> loads = new ArrayList<>();
        byWarehouse.forEach((name, intervals) -> loads.add(new Load(name,
                average(intervals, "AVG_RUNNING"), average(intervals, "AVG_QUEUED_LOAD"), average(intervals, "AVG_QUEUED_PROVISIONING"),
                average(intervals, "AVG_BLOCKED"), intervals.stream().mapToDouble(r -> Values.doubleValue(r, "AVG_QUEUED_LOAD")).max().orElse(0),
                intervals.size())));
        CheckResult.Builder result = CheckResult.builder().metric("warehouses_with_load", loads.size());
        double queuedWarning = QUEUED_WARNING.value(context);
        double queuedCritical = QUEUED_CRITICAL.value(context);
        double provisioningWarning = PROVISIONING_WARNING.value(context);
        double blockedWarning = BLOCKED_WARNING.value(context);
        loads.stream().mapToDouble(Load::queuedLoad).max().ifPresent(v -> result.metric("max_avg_queued_load", round(v)));

        List<Load> queued = loads.stream().filter(l -> l.queuedLoad() >= queuedWarning).toList();
        if (!queued.isEmpty()) {
            boolean critical = queued.stream().anyMatch(l -> l.queuedLoad() >= queuedCritical);
            Load worst = queued.stream().max((a, b) -> Double.compare(a.queuedLoad(), b.queuedLoad())).orElseThrow();
            result.add(Finding.of("SF_WAREHOUSE_QUEUED_LOAD", critical ? Severity.CRITICAL : Severity.WARNING,
                            "Warehouse " + worst.warehouse() + " is overloaded: on average " + round(worst.queuedLoad())
                                    + " queries queued behind " + round(worst.running()) + " running over the last 30 minutes")
                    .detail("Queued load means the warehouse's clusters are full: new queries wait (QUEUED_OVERLOAD_TIME) until "
                            + "running ones finish. More clusters absorb concurrency; a larger size makes each query faster.")
                    .evidence("warehouses", queued.stream().map(WarehouseLoadCheck::row).toList())
                    .recommendation(String.join("\n", queued.stream().map(l -> resize(l.warehouse(), warehouses)).toList()))
                    .playbook(playbook("sf-warehouse-queued")).build());
        }
        List<Load> provisioning = loads.stream().filter(l -> l.queuedProvisioning() >= provisioningWarning).toList();
        if (!provisioning.isEmpty()) {
            Load worst = provisioning.stream().max((a, b) -> Double.compare(a.queuedProvisioning(), b.queuedProvisioning())).orElseThrow();
            result.add(Finding.of("SF_WAREHOUSE_QUEUED_PROVISIONING", Severity.WARNING, "Queries wait for warehouse " + worst.warehouse()
                            + " to be provisioned: on average " + round(worst.queuedProvisioning()) + " queued while it resumes or resizes")
                    .detail("Provisioning waits follow a resume (after AUTO_SUSPEND) or a resize; frequent ones mean the warehouse "
                            + "suspends too eagerly for its workload.")
                    .evidence("warehouses", provisioning.stream().map(WarehouseLoadCheck::row).toList())
                    .recommendation(String.join("\n", provisioning.stream().map(l -> "ALTER WAREHOUSE " + identifier(l.warehouse())
                            + " SET AUTO_SUSPEND = 600;  -- suspend after 10 idle minutes instead of sooner").toList()))
                    .playbook(playbook("sf-warehouse-queued")).build());
        }
        List<Load> blocked = loads.stream().filter(l -> l.blocked() >= blockedWarning).toList();
        if (!blocked.isEmpty()) {
            Load worst = blocked.stream().max((a, b) -> Double.compare(a.blocked(), b.blocked())).orElseThrow();
            result.add(Finding.of("SF_WAREHOUSE_BLOCKED_LOAD", Severity.WARNING, "Queries on warehouse " + worst.warehouse()
                            + " are blocked by transaction locks: on average " + round(worst.blocked()) + " blocked")
                    .detail("Blocked queries wait for another transaction's table lock, not for compute: a bigger warehouse does "
                            + "not help. The blocked-transactions check shows who holds the locks.")
                    .evidence("warehouses", blocked.stream().map(WarehouseLoadCheck::row).toList())
                    .recommendation("dbtool troubleshoot TARGET --check blocked-transactions, then abort the head blocker with "
                            + "SELECT SYSTEM$ABORT_TRANSACTION(<transaction id>);")
                    .playbook(playbook("sf-blocked-transactions")).build());
        }
        return result.build();
    }

    /** The statement that adds capacity: one more cluster when multi-cluster is available, else one size up. */
    static String resize(String warehouse, List<Map<String, Object>> warehouses) {
        Map<String, Object> row = warehouses.stream().filter(w -> Values.text(w, "name").equalsIgnoreCase(warehouse)).findFirst().orElse(null);
        String name = identifier(warehouse);
        if (row == null) {
            return "ALTER WAREHOUSE " + name + " SET MAX_CLUSTER_COUNT = <clusters>;  -- or a larger WAREHOUSE_SIZE (size not visible to this role)";
        }
        long maxClusters = Values.longValue(row, "max_cluster_count");
        String next = nextSize(Values.text(row, "size"));
        String larger = next == null ? "" : "ALTER WAREHOUSE " + name + " SET WAREHOUSE_SIZE = '" + next.toUpperCase(Locale.ROOT) + "';";
        if (maxClusters >= 1) {
            return "ALTER WAREHOUSE " + name + " SET MAX_CLUSTER_COUNT = " + (maxClusters + 1) + ";  -- multi-cluster (Enterprise Edition)"
                    + (larger.isEmpty() ? "" : "; or, when single queries are slow: " + larger);
        }
        return larger.isEmpty() ? "Warehouse " + name + " is at the largest size: split the workload across warehouses." : larger;
    }

    private static Map<String, Object> row(Load load) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("warehouse", load.warehouse());
        row.put("avgRunning", round(load.running()));
        row.put("avgQueuedLoad", round(load.queuedLoad()));
        row.put("peakQueuedLoad", round(load.peakQueuedLoad()));
        row.put("avgQueuedProvisioning", round(load.queuedProvisioning()));
        row.put("avgBlocked", round(load.blocked()));
        row.put("intervals", load.intervals());
        return row;
    }

    private static double average(List<Map<String, Object>> rows, String column) {
        return rows.stream().mapToDouble(r -> Values.doubleValue(r, column)).average().orElse(0);
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
