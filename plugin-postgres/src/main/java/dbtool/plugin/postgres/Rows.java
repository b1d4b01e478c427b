package dbtool.plugin.postgres;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Array;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Turning JDBC values into the plain JDK values that may cross into reports. */
public final class Rows {

    private Rows() {
    }

    /** JDBC value to String, Number, Boolean, List or null. */
    static Object plain(Object value) throws SQLException {
        return switch (value) {
            case null -> null;
            case Array array -> {
                Object[] items = (Object[]) array.getArray();
                Object[] converted = new Object[items.length];
                for (int i = 0; i < items.length; i++) {
                    converted[i] = plain(items[i]);
                }
                yield Arrays.asList(converted);
            }
            case BigDecimal decimal -> decimal.scale() <= 0 && decimal.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) < 0
                    ? (Object) decimal.longValue() : (Object) decimal.doubleValue();
            case BigInteger integer -> integer.bitLength() < 63 ? integer.longValue() : integer.doubleValue();
            case Timestamp timestamp -> timestamp.toInstant().toString();
            case OffsetDateTime time -> time.toInstant().toString();
            case Number number -> number;
            case Boolean bool -> bool;
            case String text -> text;
            default -> value.toString();
        };
    }

    public static long longValue(Map<String, Object> row, String column) {
        Object value = row.get(column);
        if (value instanceof Number number) {
            return number.longValue();
        }
        if (value instanceof String text && !text.isBlank()) {
            try {
                return Long.parseLong(text.trim());
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }

    public static double doubleValue(Map<String, Object> row, String column) {
        Object value = row.get(column);
        return value instanceof Number number ? number.doubleValue() : 0;
    }

    public static String text(Map<String, Object> row, String column) {
        Object value = row.get(column);
        return value == null ? "" : value.toString();
    }

    public static boolean bool(Map<String, Object> row, String column) {
        return Boolean.TRUE.equals(row.get(column));
    }

    @SuppressWarnings("unchecked")
    public static List<Long> longs(Map<String, Object> row, String column) {
        Object value = row.get(column);
        if (value instanceof List<?> list) {
            return ((List<Object>) list).stream().map(o -> o instanceof Number n ? n.longValue() : Long.parseLong(o.toString())).toList();
        }
        return List.of();
    }
}
