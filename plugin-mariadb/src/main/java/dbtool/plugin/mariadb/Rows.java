package dbtool.plugin.mariadb;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.Map;

/**
 * JDBC values to the plain JDK values that may cross into reports, and typed reads of row maps.
 * (Kept apart so that the shared plugin toolkit's value conversion can replace it.)
 */
public final class Rows {

    private Rows() {
    }

    /** JDBC value to String, Number, Boolean or null. */
    static Object plain(Object value) throws SQLException {
        return switch (value) {
            case null -> null;
            case BigDecimal decimal -> decimal.scale() <= 0 && decimal.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) < 0
                    ? (Object) decimal.longValue() : (Object) decimal.doubleValue();
            case BigInteger integer -> integer.bitLength() < 63 ? integer.longValue() : integer.doubleValue();
            case Timestamp timestamp -> timestamp.toLocalDateTime().toString();
            case LocalDateTime time -> time.toString();
            case Number number -> number;
            case Boolean bool -> bool;
            case String text -> text;
            case byte[] bytes -> new String(bytes, StandardCharsets.UTF_8);
            default -> value.toString();
        };
    }

    /** A column read case-insensitively: MariaDB and MySQL disagree on the case of information_schema columns. */
    public static Object get(Map<String, Object> row, String column) {
        Object value = row.get(column);
        if (value != null || row.containsKey(column)) {
            return value;
        }
        for (Map.Entry<String, Object> entry : row.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(column)) {
                return entry.getValue();
            }
        }
        return null;
    }

    /** The column as a long; 0 when it is missing, NULL or not a number. */
    public static long longValue(Map<String, Object> row, String column) {
        Long value = longOrNull(row, column);
        return value == null ? 0 : value;
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
        Object value = get(row, column);
        return value == null ? "" : value.toString();
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
