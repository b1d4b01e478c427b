package dbtool.toolkit;

import java.util.Locale;

/**
 * Durations and sizes as a human reads them in a finding, the same for every engine and under
 * every locale (a report read in Frankfurt says {@code 1.5 GB}, never {@code 1,5 GB}).
 */
public final class Format {

    private static final String[] UNITS = {"B", "kB", "MB", "GB", "TB", "PB"};

    private Format() {
    }

    /**
     * Seconds as a human reads them: "42 s", "5 min 3 s", "2 h 10 min", "3 d 4 h".
     *
     * @param seconds a duration in whole seconds
     * @return the duration in at most two units
     */
    public static String duration(long seconds) {
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

    /**
     * Milliseconds for a stage or a wait: "850 ms" below a second, "4 s" on whole seconds, "1.5 s"
     * below a minute, else as {@link #duration}.
     *
     * @param millis a duration in milliseconds
     * @return the duration as text
     */
    public static String millis(long millis) {
        if (millis < 1000) {
            return millis + " ms";
        }
        if (millis < 60_000) {
            return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        return duration(millis / 1000);
    }

    /**
     * Bytes in binary units with one decimal: "512 B", "1.5 kB", "3.2 GB".
     *
     * @param bytes a size in bytes
     * @return the size as text
     */
    public static String bytes(double bytes) {
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? (long) bytes + " B" : String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }

    /**
     * A ratio as a whole percentage, e.g. "96%".
     *
     * @param ratio a share between 0 and 1
     * @return the percentage, rounded, with a % sign
     */
    public static String percent(double ratio) {
        return Math.round(ratio * 100) + "%";
    }

    /**
     * Text from a server for a report, where it may carry anything (a query text, a client's
     * application name): runs of white space folded to one space, other control characters and the
     * Unicode line separators escaped as {@code \\uXXXX}, cut to {@code max} characters with an
     * ellipsis.
     *
     * @param value the server's value; null gives ""
     * @param max   the most characters to keep, the ellipsis included
     * @return the value as one printable line
     */
    public static String printable(Object value, int max) {
        if (value == null) {
            return "";
        }
        String text = value.toString().strip();
        StringBuilder out = new StringBuilder(Math.min(text.length(), max + 8));
        boolean space = false;
        for (int i = 0; i < text.length() && out.length() < max; i++) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                if (!space) {
                    out.append(' ');
                }
                space = true;
                continue;
            }
            space = false;
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (out.length() >= max && text.length() > max) {
            out.setLength(max - 1);
            out.append('…');
        }
        return out.toString();
    }

    /**
     * Text on one line (runs of white space become one space), cut to {@code max} characters with an ellipsis.
     *
     * @param text any text, such as a statement from the server
     * @param max the longest result, in characters
     * @return the text on one line
     */
    public static String oneLine(String text, int max) {
        String line = text == null ? "" : text.replaceAll("\\s+", " ").trim();
        return line.length() > max ? line.substring(0, max - 1) + "…" : line;
    }
}
