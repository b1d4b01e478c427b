package dbtool.serve.metrics;

import dbtool.core.report.CheckReport;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The gauges of a run as /metrics names them: each check's numeric metrics that are not counters, under their
 * {@link MetricName} family and scaled as exported. What the state store keeps as metric history, and what
 * dbtool.monitoring's anomaly check compares with it, so that both speak of the same series.
 */
public final class MetricValues {

    /** One gauge of a run: its family, the check that measured it, and the value as exported. */
    public record Gauge(String family, String check, double value) {
    }

    private MetricValues() {
    }

    /** The numeric, non-counter metrics of {@code checks}, in report order. */
    public static List<Gauge> gauges(Collection<CheckReport> checks) {
        List<Gauge> gauges = new ArrayList<>();
        for (CheckReport check : checks) {
            check.metrics().forEach((name, value) -> {
                if (check.counters().contains(name)) {
                    return;
                }
                Double number = number(value);
                if (number != null) {
                    MetricName family = MetricName.of(check.id(), name, false);
                    gauges.add(new Gauge(family.family(), check.id(), number * family.scale()));
                }
            });
        }
        return gauges;
    }

    private static Double number(Object value) {
        if (value instanceof Number number) {
            double d = number.doubleValue();
            return Double.isFinite(d) ? d : null;
        }
        if (value instanceof Boolean bool) {
            return bool ? 1.0 : 0.0;
        }
        return null;
    }
}
