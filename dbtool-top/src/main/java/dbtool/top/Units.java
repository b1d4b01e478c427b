package dbtool.top;

import java.time.Duration;
import java.util.Locale;

/**
 * Durations and rates short enough for a column: 850ms, 12s, 5m03s, 2h10m, 3d04h; 0.4, 12, 1.2k, 3.4M.
 * (The toolkit's Format says "5 min 3 s", which is for reports and lives in the plugins' layers.)
 */
final class Units {

    private Units() {
    }

    static String duration(Duration duration) {
        if (duration == null) {
            return "";
        }
        long millis = Math.max(0, duration.toMillis());
        long seconds = millis / 1000;
        if (seconds < 1) {
            return millis + "ms";
        }
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        }
        if (seconds < 86_400) {
            return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60);
        }
        return String.format(Locale.ROOT, "%dd%02dh", seconds / 86_400, seconds % 86_400 / 3600);
    }

    static String seconds(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    static String rate(double value) {
        if (value < 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        if (value < 1000) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        if (value < 1_000_000) {
            return String.format(Locale.ROOT, "%.1fk", value / 1000);
        }
        return String.format(Locale.ROOT, "%.1fM", value / 1_000_000);
    }
}
