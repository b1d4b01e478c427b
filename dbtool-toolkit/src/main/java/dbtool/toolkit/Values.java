package dbtool.toolkit;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Array;
import java.sql.Clob;
import java.sql.Date;
import java.sql.SQLException;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one conversion from driver values to the plain JDK values that may cross into reports, and
 * the readers of rows by column name. A whole number is a {@code Long} whichever engine and
 * column type it came from (NUMERIC(10,0), DECIMAL, BIGINT, INT), so a metric has the same JSON
 * type on every engine; a fraction is a {@code Double}; a timestamp an ISO-8601 instant.
 *
 * <p>Column lookups fall back to ignoring case: Snowflake reports SELECT columns in upper case and
 * SHOW columns in lower case, and fixtures follow each view's documented spelling.
 */
public final class Values {

    private Values() {
    }

    /**
     * A driver value as String, Long, Double, Boolean, List or null.
     *
     * @param value what the driver returned for a column
     * @return the value as one of those types
     * @throws SQLException when the driver fails to read an array
     */
    public static Object plain(Object value) throws SQLException {
        return switch (value) {
            case null -> null;
            case Array array -> {
                Object[] items = (Object[]) array.getArray();
                List<Object> converted = new ArrayList<>(items.length);
                for (Object item : items) {
                    converted.add(plain(item));
                }
                yield converted;
            }
            case BigDecimal decimal -> whole(decimal) ? (Object) decimal.longValue() : (Object) decimal.doubleValue();
            case BigInteger integer -> integer.bitLength() < 64 ? (Object) integer.longValue() : (Object) integer.doubleValue();
            case Integer number -> number.longValue();
            case Short number -> number.longValue();
            case Byte number -> number.longValue();
            case Float number -> number.doubleValue();
            case Timestamp timestamp -> timestamp.toInstant().toString();
            case Date date -> date.toLocalDate().toString();
            case Time time -> time.toLocalTime().toString();
            case OffsetDateTime time -> time.toInstant().toString();
            case Instant instant -> instant.toString();
            // nvarchar(max) (SQL Server Extended Events data) may come as a Clob; checks read text.
            case Clob clob -> clob.getSubString(1, (int) Math.min(Integer.MAX_VALUE, clob.length()));
            case Number number -> number;
            case Boolean bool -> bool;
            case String text -> text;
            default -> value.toString();
        };
    }

    /**
     * Whole by its type (scale 0, as COUNT(*), NUMBER(38,0) or DECIMAL(19,0) are), not by its value:
     * a NUMERIC(10,2) column stays a Double even where a value happens to be 5.00, so one metric never
     * changes its JSON type from one run to the next.
     */
    private static boolean whole(BigDecimal decimal) {
        return decimal.scale() <= 0 && decimal.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0;
    }

    /**
     * The column's value; the exact name first, then ignoring case.
     *
     * @param row a row as {@link dbtool.toolkit.jdbc.JdbcSession} returns it, by column name
     * @param column the column's name
     * @return the value, or null when the row has no such column
     */
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

    /**
     * A number column as a long (a numeric string is read too).
     *
     * @param row a row as {@link dbtool.toolkit.jdbc.JdbcSession} returns it, by column name
     * @param column the column's name
     * @return the number, or 0 when empty or not a number
     */
    public static long longValue(Map<String, Object> row, String column) {
        Long value = longOrNull(row, column);
        return value == null ? 0 : value;
    }

    /**
     * A number column as a long (a numeric string is read too); null when empty or not a number,
     * for the columns where "unknown" must not read as 0 (MariaDB's SHOW ... STATUS answers NULL for
     * it, a lag of 0 would say "in sync").
     *
     * @param row    the row, as the session returns it
     * @param column the column's name, matched exactly first, then ignoring case
     * @return the number, or null
     */
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

    /**
     * A number column as a double (a numeric string is read too).
     *
     * @param row a row as {@link dbtool.toolkit.jdbc.JdbcSession} returns it, by column name
     * @param column the column's name
     * @return the number, or 0 when empty or not a number
     */
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

    /**
     * The column as text.
     *
     * @param row a row as {@link dbtool.toolkit.jdbc.JdbcSession} returns it, by column name
     * @param column the column's name
     * @return the text, "" for null
     */
    public static String text(Map<String, Object> row, String column) {
        Object value = get(row, column);
        return value == null ? "" : value.toString();
    }

    /**
     * The column as one line of text: runs of white space (line breaks of a query text) become one space.
     *
     * @param row a row as {@link dbtool.toolkit.jdbc.JdbcSession} returns it, by column name
     * @param column the column's name
     * @return the line, "" for null
     */
    public static String line(Map<String, Object> row, String column) {
        return text(row, column).replaceAll("\\s+", " ").trim();
    }

    /**
     * The column as a boolean.
     *
     * @param row a row as {@link dbtool.toolkit.jdbc.JdbcSession} returns it, by column name
     * @param column the column's name
     * @return true for a boolean true, or the text "true" or "1"
     */
    public static boolean bool(Map<String, Object> row, String column) {
        Object value = get(row, column);
        return Boolean.TRUE.equals(value) || value instanceof String text && ("true".equalsIgnoreCase(text) || "1".equals(text));
    }

    /**
     * An array column of numbers as longs.
     *
     * @param row a row as {@link dbtool.toolkit.jdbc.JdbcSession} returns it, by column name
     * @param column the column's name
     * @return the numbers; an empty list for null or a non-array
     */
    public static List<Long> longs(Map<String, Object> row, String column) {
        if (get(row, column) instanceof List<?> list) {
            return list.stream().map(o -> o instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(o).trim())).toList();
        }
        return List.of();
    }

    /**
     * A timestamp column as an instant.
     *
     * @param row a row as {@link dbtool.toolkit.jdbc.JdbcSession} returns it, by column name
     * @param column the column's name
     * @return the instant, or null when empty or unreadable
     */
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
