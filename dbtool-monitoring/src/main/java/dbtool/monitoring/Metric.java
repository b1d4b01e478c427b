package dbtool.monitoring;

import dbtool.serve.metrics.MetricName;

/**
 * A metric that {@code dbtool serve} exports for a check's value, named by serve's own {@link MetricName} so
 * that rules and dashboards cannot drift from /metrics: {@code Metric.gauge("blocking", "blocked_sessions")} is
 * {@code dbtool_blocked_sessions}, {@code Metric.counter("database-stats", "deadlocks")} is
 * {@code dbtool_database_stats_deadlocks_total}.
 *
 * @param check   the check id whose result carries the metric
 * @param name    the metric's name in the check's result (the JSON report)
 * @param counter whether the check declares it a counter ({@link dbtool.spi.Check#counters()})
 */
public record Metric(String check, String name, boolean counter) {

    public static Metric gauge(String check, String name) {
        return new Metric(check, name, false);
    }

    public static Metric counter(String check, String name) {
        return new Metric(check, name, true);
    }

    /** The series name PromQL uses: the family, with {@code _total} for a counter. */
    public String series() {
        String family = MetricName.of(check, name, counter).family();
        return counter ? family + "_total" : family;
    }

    /** The series with its engine and check selected: {@code dbtool_blocked_sessions{engine="postgresql",check="blocking"}}. */
    public String on(String engine) {
        return series() + "{engine=\"" + engine + "\",check=\"" + check + "\"}";
    }

    /** How much the exported value is the check's value times (1/1000 for a {@code _ms} metric exported in seconds). */
    public double scale() {
        return MetricName.of(check, name, counter).scale();
    }
}
