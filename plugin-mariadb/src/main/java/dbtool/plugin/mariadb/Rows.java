package dbtool.plugin.mariadb;

import dbtool.toolkit.Values;
import java.math.BigDecimal;
import java.util.Map;

/**
 * Typed reads of row maps (the toolkit's {@link Values}), plus what this engine needs beyond them:
 * a number that may be NULL (SHOW ... STATUS answers NULL for "unknown"), and server text made
 * safe for a report.
 */
public final class Rows {

    private Rows() {
    }

    /** A column read case-insensitively: MariaDB and MySQL disagree on the case of information_schema columns. */
    public static Object get(Map<String, Object> row, String column) {
        return Values.get(row, column);
    }

    /** The column as a long; 0 when it is missing, NULL or not a number. */
    public static long longValue(Map<String, Object> row, String column) {
        return Values.longValue(row, column);
    }

    /** Null when the column is missing, NULL or not a number (SHOW ... STATUS answers NULL for "unknown"). */
    public static Long longOrNull(Map<String, Object> row, String column) {
        Object value = get(row, column);
        if (value instanceof Number number) {
            return number.longValue();
        }
        if (value instanceof String text && !text.isBlank()) {
            try {
                return new BigDecimal(text.trim()).longValue();
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    public static String text(Map<String, Object> row, String column) {
        return Values.text(row, column);
    }

    /**
     * Text from the server for a report: white space runs folded to one space, other control
     * characters escaped (a query text may carry anything), cut to {@code max} characters.
     */
    public static String line(Object value, int max) {
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
                out.append(String.format("\\u%04x", (int) c));
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
}
