package dbtool.monitoring.anomaly;

import java.util.Locale;

/**
 * A value far outside its metric's usual range.
 *
 * @param metric the Prometheus family, {@code dbtool_connections}
 * @param value  the value now
 * @param usual  the baseline's median
 * @param spread the baseline's robust spread (1.4826 times the median absolute deviation, with its floor)
 * @param score  how many spreads the value is from the median
 * @param basis  what the baseline is: {@code Monday 09:00}, {@code 09:00} or {@code the last 2 days}
 * @param points how many history values the baseline was computed from
 */
public record Anomaly(String metric, double value, double usual, double spread, double score, String basis, int points) {

    /** "connections 6x the usual for Monday 09:00 (62, usually 10)". */
    public String title() {
        String name = metric.startsWith("dbtool_") ? metric.substring("dbtool_".length()) : metric;
        String when = basis.startsWith("the last") ? "over " + basis : "for " + basis;
        if (usual > 0 && value >= 0) {
            double ratio = value / usual;
            if (ratio >= 1.5) {
                return name + " " + times(ratio) + " the usual " + when + " (" + number(value) + ", usually " + number(usual) + ")";
            }
            if (ratio <= 0.67) {
                return name + " at " + times(ratio) + " the usual " + when + " (" + number(value) + ", usually " + number(usual) + ")";
            }
        }
        return name + " " + number(value) + " where it is usually " + number(usual) + " " + when;
    }

    private static String times(double ratio) {
        return (ratio >= 10 ? String.format(Locale.ROOT, "%.0f", ratio) : String.format(Locale.ROOT, "%.1f", ratio)
                .replaceAll("\\.0$", "")) + "x";
    }

    static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return String.valueOf((long) value);
        }
        return String.format(Locale.ROOT, Math.abs(value) >= 100 ? "%.0f" : Math.abs(value) >= 1 ? "%.1f" : "%.3f", value);
    }
}
