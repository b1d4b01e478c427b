package dbtool.serve.metrics;

import java.util.regex.Pattern;

/**
 * The Prometheus family of a check's metric, following Prometheus's naming rules (which
 * {@code promtool check metrics} enforces), so that names say what they measure without their labels:
 * <ul>
 *   <li>{@code dbtool_} and the metric's name: {@code blocked_sessions} is {@code dbtool_blocked_sessions};</li>
 *   <li>a one-word name says little alone ({@code active}, {@code total}): it is prefixed with its check,
 *       {@code dbtool_connections_active}, unless it is the check's own name;</li>
 *   <li>base units: {@code login_ms} becomes {@code dbtool_login_seconds}, its value divided by 1000;</li>
 *   <li>{@code _total} is for counters (and {@code _count} for histograms): a gauge loses it
 *       ({@code connections.total} is {@code dbtool_connections}, the number of connections).</li>
 * </ul>
 *
 * Public for dbtool.monitoring (qualified export), whose generated rules and dashboards use these names.
 *
 * @param family the Prometheus family name, {@code dbtool_...}
 * @param scale  what the check's value is multiplied by
 */
public record MetricName(String family, double scale) {

    private static final Pattern INVALID = Pattern.compile("[^a-zA-Z0-9_]");

    /** The family of {@code check}'s metric {@code metric}; a counter's family ends in {@code _total} only once exported. */
    public static MetricName of(String check, String metric, boolean counter) {
        String name = INVALID.matcher(metric).replaceAll("_");
        String checkName = INVALID.matcher(check).replaceAll("_");
        if (!name.contains("_") && !name.equals(checkName)) {
            name = checkName + "_" + name;
        }
        double scale = 1;
        if (name.endsWith("_ms")) {
            name = name.substring(0, name.length() - 3) + "_seconds";
            scale = 0.001;
        }
        if (!counter && name.endsWith("_total")) {
            name = name.substring(0, name.length() - "_total".length());
        }
        return new MetricName("dbtool_" + name, scale);
    }
}
