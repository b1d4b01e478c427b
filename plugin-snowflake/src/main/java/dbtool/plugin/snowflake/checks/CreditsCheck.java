package dbtool.plugin.snowflake.checks;

import dbtool.plugin.snowflake.SnowflakeErrors;
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
 * Credits used today per warehouse, and resource monitors close to their quota: a monitor that
 * reaches its SUSPEND threshold stops its warehouses, which looks like an outage to their users.
 */
final class CreditsCheck extends SnowflakeCheck {

    static final Threshold MONITOR_WARNING = Threshold.number("resource_monitor_warning_percent", 80, "%",
            "WARNING when a resource monitor has used this much of its quota (or its NOTIFY threshold, if lower)");

    @Override
    public List<Threshold> thresholds() {
        return List.of(MONITOR_WARNING);
    }

    // INFORMATION_SCHEMA.WAREHOUSE_METERING_HISTORY (documented columns WAREHOUSE_NAME, CREDITS_USED, ...; 2026-11).
    static final String CREDITS_TODAY = """
            SELECT WAREHOUSE_NAME, SUM(CREDITS_USED) AS CREDITS_USED
            FROM TABLE(INFORMATION_SCHEMA.WAREHOUSE_METERING_HISTORY(DATE_RANGE_START => DATE_TRUNC('day', CURRENT_TIMESTAMP())))
            GROUP BY WAREHOUSE_NAME
            ORDER BY CREDITS_USED DESC
            """;

    /*
     * Visible to ACCOUNTADMIN and to roles granted MONITOR on a monitor (columns name,
     * credit_quota, used_credits, remaining_credits, level, frequency, start_time, end_time,
     * notify_at, suspend_at, suspend_immediately_at, ...; thresholds as "90%"; 2026-11).
     */
    static final String MONITORS = "SHOW RESOURCE MONITORS";

    CreditsCheck() {
        super("credits", Category.RESOURCES, "credits used today per warehouse, and resource monitors near their notify or suspend quota");
    }

    @Override
    public Set<String> findingCodes() {
        return Set.of("SF_CREDITS_TODAY", "SF_RESOURCE_MONITOR_NEAR_QUOTA", "SF_RESOURCE_MONITOR_SUSPENDED");
    }

    @Override
    protected CheckResult check(SnowflakeSession session, CheckContext context) throws Exception {
        List<Map<String, Object>> credits = session.query(CREDITS_TODAY, context);
        List<Map<String, Object>> monitors;
        String monitorError = null;
        try {
            monitors = session.query(MONITORS, context);
        } catch (SQLException e) {
            monitors = List.of();
            monitorError = SnowflakeErrors.describe(e);
        }
        return interpret(credits, monitors, monitorError, context);
    }

    static CheckResult interpret(List<Map<String, Object>> credits, List<Map<String, Object>> monitors, String monitorError,
                                 CheckContext context) {
        double total = credits.stream().mapToDouble(r -> Values.doubleValue(r, "CREDITS_USED")).sum();
        CheckResult.Builder result = CheckResult.builder()
                .metric("credits_today", round(total))
                .metric("resource_monitors_visible", monitors.size());
        Map<String, Object> perWarehouse = new LinkedHashMap<>();
        credits.forEach(r -> perWarehouse.put(Values.text(r, "WAREHOUSE_NAME"), round(Values.doubleValue(r, "CREDITS_USED"))));

        double warnPercent = MONITOR_WARNING.value(context);
        List<Map<String, Object>> near = new ArrayList<>();
        boolean suspending = false;
        for (Map<String, Object> monitor : monitors) {
            double quota = Values.doubleValue(monitor, "credit_quota");
            if (quota <= 0) {
                continue;
            }
            double used = Values.doubleValue(monitor, "used_credits");
            double percent = used / quota * 100;
            double notify = percent(Values.text(monitor, "notify_at"));
            double suspend = Math.min(percent(Values.text(monitor, "suspend_at")), percent(Values.text(monitor, "suspend_immediately_at")));
            boolean atSuspend = percent >= suspend;
            if (atSuspend || percent >= Math.min(notify, warnPercent)) {
                suspending |= atSuspend;
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("monitor", Values.text(monitor, "name"));
                row.put("level", Values.text(monitor, "level"));
                row.put("usedCredits", round(used));
                row.put("quota", round(quota));
                row.put("percent", round(percent));
                row.put("suspendAt", Values.text(monitor, "suspend_at"));
                row.put("resetsAt", Values.text(monitor, "end_time").isEmpty() ? Values.text(monitor, "frequency") : Values.text(monitor, "end_time"));
                near.add(row);
            }
        }
        if (!near.isEmpty()) {
            Map<String, Object> first = near.getFirst();
            result.add(Finding.of(suspending ? "SF_RESOURCE_MONITOR_SUSPENDED" : "SF_RESOURCE_MONITOR_NEAR_QUOTA",
                            suspending ? Severity.CRITICAL : Severity.WARNING,
                            "Resource monitor " + first.get("monitor") + " has used " + first.get("percent") + "% of its "
                                    + first.get("quota") + " credits" + (suspending ? ": its warehouses are suspended or about to be" : ""))
                    .detail("When a monitor reaches SUSPEND its warehouses finish running queries and stop; at SUSPEND_IMMEDIATE "
                            + "they stop at once. New queries on them fail until the quota resets or is raised.")
                    .evidence("monitors", near)
                    .evidence("creditsToday", perWarehouse)
                    .recommendation("Find what spends the credits (creditsToday), then, if the spend is legitimate, raise the quota: "
                            + near.stream().map(m -> "ALTER RESOURCE MONITOR " + identifier((String) m.get("monitor")) + " SET CREDIT_QUOTA = "
                            + (long) Math.ceil((Double) m.get("quota") * 1.25) + ";").reduce((a, b) -> a + " " + b).orElse(""))
                    .playbook(playbook("sf-resource-monitor")).build());
            return result.build();
        }
        String monitorsNote = monitorError != null ? "Resource monitors could not be read: " + monitorError
                : monitors.isEmpty() ? "No resource monitor is visible to this role (SHOW RESOURCE MONITORS needs ACCOUNTADMIN or MONITOR on a monitor)."
                : monitors.size() + " resource monitor(s) visible, none near its quota.";
        result.add(Finding.of("SF_CREDITS_TODAY", Severity.INFO, String.format(Locale.ROOT, "%.2f credits used today", total)
                        + (perWarehouse.isEmpty() ? "" : ", most by " + perWarehouse.keySet().iterator().next()))
                .detail(monitorsNote)
                .evidence("creditsToday", perWarehouse).build());
        return result.build();
    }

    /** "90%" to 90; a missing threshold never triggers. */
    private static double percent(String text) {
        String digits = text.replace("%", "").trim();
        if (digits.isEmpty() || "null".equalsIgnoreCase(digits)) {
            return Double.MAX_VALUE;
        }
        try {
            return Double.parseDouble(digits);
        } catch (NumberFormatException e) {
            return Double.MAX_VALUE;
        }
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
