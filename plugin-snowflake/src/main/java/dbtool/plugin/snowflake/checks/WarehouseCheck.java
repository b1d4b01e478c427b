package dbtool.plugin.snowflake.checks;

import dbtool.plugin.snowflake.SnowflakeSession;
import dbtool.spi.Category;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.toolkit.Values;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The session's warehouse and its state: a suspended warehouse without auto-resume fails every
 * query; one that is resuming or resizing makes the first queries wait.
 */
final class WarehouseCheck extends SnowflakeCheck {

    /*
     * SHOW WAREHOUSES lists the warehouses the role can see, with is_current = 'Y' on the
     * session's (columns per the SHOW WAREHOUSES reference: name, state, type, size,
     * min_cluster_count, max_cluster_count, started_clusters, running, queued, is_default,
     * is_current, auto_suspend, auto_resume, ...; checked 2026-11). It uses no warehouse itself.
     */
    static final String WAREHOUSES = "SHOW WAREHOUSES";

    WarehouseCheck() {
        super("warehouse", Category.CONNECTIVITY, "the session's warehouse: state (suspended, resuming, resizing), size, "
                + "auto-resume, running and queued queries");
    }

    @Override
    public Set<String> findingCodes() {
        return Set.of("SF_NO_WAREHOUSE", "SF_WAREHOUSE", "SF_WAREHOUSE_SUSPENDED", "SF_WAREHOUSE_TRANSITIONING");
    }

    @Override
    protected CheckResult check(SnowflakeSession session, CheckContext context) throws Exception {
        return interpret(session.query(WAREHOUSES, context));
    }

    static CheckResult interpret(List<Map<String, Object>> warehouses) {
        CheckResult.Builder result = CheckResult.builder().metric("visible_warehouses", warehouses.size());
        Optional<Map<String, Object>> current = warehouses.stream().filter(w -> "Y".equalsIgnoreCase(Values.text(w, "is_current"))).findFirst();
        if (current.isEmpty()) {
            return result.add(Finding.of("SF_NO_WAREHOUSE", Severity.WARNING, "The session has no warehouse")
                    .detail("Statements that need compute (INFORMATION_SCHEMA table functions among them) fail with "
                            + "'No active warehouse selected in the current session'.")
                    .evidence("visibleWarehouses", warehouses.stream().map(w -> Values.text(w, "name")).toList())
                    .recommendation("Add ?warehouse=NAME to the target URL (a warehouse the role may use, e.g. one of the visible ones), "
                            + "or set the user's default: ALTER USER <user> SET DEFAULT_WAREHOUSE = <warehouse>;")
                    .playbook(playbook("sf-warehouse-suspended")).build()).build();
        }
        Map<String, Object> warehouse = current.get();
        String name = Values.text(warehouse, "name");
        String state = Values.text(warehouse, "state").toUpperCase(Locale.ROOT);
        boolean autoResume = Values.bool(warehouse, "auto_resume");
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("warehouse", name);
        evidence.put("state", state);
        evidence.put("size", Values.text(warehouse, "size"));
        evidence.put("clusters", Values.longValue(warehouse, "started_clusters") + " of " + Values.longValue(warehouse, "min_cluster_count")
                + "-" + Values.longValue(warehouse, "max_cluster_count"));
        evidence.put("running", Values.longValue(warehouse, "running"));
        evidence.put("queued", Values.longValue(warehouse, "queued"));
        evidence.put("autoResume", autoResume);
        evidence.put("autoSuspendSeconds", Values.get(warehouse, "auto_suspend"));
        result.metric("warehouse_running", Values.longValue(warehouse, "running"))
                .metric("warehouse_queued", Values.longValue(warehouse, "queued"));
        switch (state) {
            case "SUSPENDED" -> result.add(Finding.of("SF_WAREHOUSE_SUSPENDED", autoResume ? Severity.INFO : Severity.CRITICAL,
                            "Warehouse " + name + " is suspended" + (autoResume ? " and resumes on the next query"
                                    : " and auto-resume is off: queries that need it fail"))
                    .detail(autoResume ? "The first query after a suspension waits while the warehouse is provisioned (usually seconds)."
                            : "Nothing resumes it: every query that needs the warehouse fails until someone does.")
                    .evidence(evidence)
                    .recommendation(autoResume ? "" : "ALTER WAREHOUSE " + identifier(name) + " RESUME;  -- and keep it resumable: ALTER WAREHOUSE "
                            + identifier(name) + " SET AUTO_RESUME = TRUE;")
                    .playbook(playbook("sf-warehouse-suspended")).build());
            case "RESUMING", "RESIZING", "SUSPENDING" -> result.add(Finding.of("SF_WAREHOUSE_TRANSITIONING", Severity.WARNING,
                            "Warehouse " + name + " is " + state.toLowerCase(Locale.ROOT) + ": queries wait for provisioning")
                    .detail("Queries queue (QUEUED_PROVISIONING) until the change completes; if it takes minutes, the cloud region "
                            + "may lack capacity for the size: check status.snowflake.com.")
                    .evidence(evidence)
                    .playbook(playbook("sf-warehouse-suspended")).build());
            default -> result.add(Finding.of("SF_WAREHOUSE", Severity.INFO, "Warehouse " + name + " is " + state.toLowerCase(Locale.ROOT)
                            + ", size " + Values.text(warehouse, "size") + ", " + Values.longValue(warehouse, "running") + " running and "
                            + Values.longValue(warehouse, "queued") + " queued")
                    .evidence(evidence).build());
        }
        return result.build();
    }
}
