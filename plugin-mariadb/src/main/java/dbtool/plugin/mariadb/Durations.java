package dbtool.plugin.mariadb;

import java.util.Locale;

/**
 * Durations and sizes as a human reads them. (Kept apart so that the shared plugin toolkit's
 * formatting can replace it.)
 */
public final class Durations {

    private Durations() {
    }

    /** "42 s", "5 min 3 s", "2 h 10 min", "3 d 4 h". */
    public static String human(long seconds) {
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min" + (seconds % 60 == 0 ? "" : " " + seconds % 60 + " s");
        }
        if (seconds < 86400) {
            return seconds / 3600 + " h" + (seconds % 3600 / 60 == 0 ? "" : " " + seconds % 3600 / 60 + " min");
        }
        return seconds / 86400 + " d" + (seconds % 86400 / 3600 == 0 ? "" : " " + seconds % 86400 / 3600 + " h");
    }

    /** Bytes in binary units: "512 B", "1.5 GB". */
    public static String bytes(long bytes) {
        String[] units = {"B", "kB", "MB", "GB", "TB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /** A ratio as a percentage with one decimal: "99.2 %". */
    public static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.1f %%", ratio * 100);
    }
}
