package dbtool.plugin.snowflake;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Date;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * Turning JDBC values into the plain JDK values that may cross into reports, and reading them
 * back by column name. Snowflake reports SELECT columns in upper case and SHOW columns in lower
 * case, so lookups ignore case: fixtures can follow the documented spelling of each view.
 */
public final class Rows {

    private Rows() {
    }

    /** JDBC value to String (timestamps as ISO-8601 instants), Long, Double, Boolean or null. */
    static Object plain(Object value) {
        return switch (value) {
            case null -> null;
            case BigDecimal decimal -> decimal.scale() <= 0 && decimal.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) < 0
                    ? (Object) decimal.longValue() : (Object) decimal.doubleValue();
            case BigInteger integer -> integer.bitLength() < 63 ? integer.longValue() : integer.doubleValue();
            case Integer number -> number.longValue();
            case Short number -> number.longValue();
            case Float number -> number.doubleValue();
            case Timestamp timestamp -> timestamp.toInstant().toString();
            case Date date -> date.toLocalDate().toString();
            case Time time -> time.toLocalTime().toString();
            case OffsetDateTime time -> time.toInstant().toString();
            case Number number -> number;
            case Boolean bool -> bool;
            case String text -> text;
            default -> value.toString();
        };
    }

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

    public static long longValue(Map<String, Object> row, String column) {
        Object value = get(row, column);
        if (value instanceof Number number) {
            return number.longValue();
        }
        if (value instanceof String text && !text.isBlank()) {
            try {
                return new BigDecimal(text.trim()).longValue();
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }

    public static double doubleValue(Map<String, Object> row, String column) {
        Object value = get(row, column);
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        if (value instanceof String text && !text.isBlank()) {
            try {
                return Double.parseDouble(text.trim());
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }

    public static String text(Map<String, Object> row, String column) {
        Object value = get(row, column);
        return value == null ? "" : value.toString();
    }

    public static boolean bool(Map<String, Object> row, String column) {
        Object value = get(row, column);
        return Boolean.TRUE.equals(value) || value instanceof String text && ("true".equalsIgnoreCase(text) || "1".equals(text));
    }

    /** A timestamp column as an instant, or null when empty or unreadable. */
    public static Instant instant(Map<String, Object> row, String column) {
        Object value = get(row, column);
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value == null || value.toString().isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.toString());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
