package dbtool.plugin.mongo.config;

import dbtool.spi.UsageException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bson.Document;

/**
 * A server parameter's value as MongoDB holds it, and a typed value checked before {@code setParameter}.
 * getParameter declares no type, unit or range: the type is the BSON type of the running value (a
 * boolean stays a boolean, an int an int), and the ranges are those the server's own parameter
 * definitions enforce for the few parameters listed in {@link #BOUNDS}. Any other value the server
 * refuses comes back from setParameter as error 2 (BadValue) with nothing changed.
 */
final class MongoValue {

    /**
     * Smallest and largest values of parameters whose bounds mongod checks (the {@code validator} of their
     * IDL definitions) or documents: logLevel 0 to 5 (the server refuses a negative level; 5 is the most
     * verbose it documents), transactionLifetimeLimitSeconds at least 1.
     */
    static final Map<String, long[]> BOUNDS = Map.of(
            "logLevel", new long[] {0, 5},
            "transactionLifetimeLimitSeconds", new long[] {1, Integer.MAX_VALUE},
            "cachePressureQueryPeriodMilliseconds", new long[] {0, Integer.MAX_VALUE},
            "maxConcurrentMultiDocumentTransactions", new long[] {0, Integer.MAX_VALUE});

    private MongoValue() {
    }

    /** {@code bool}, {@code integer}, {@code real}, {@code string}, {@code document} or {@code array}; {@code none} without a value. */
    static String type(Object value) {
        return switch (value) {
            case null -> "none";
            case Boolean b -> "bool";
            case Integer i -> "integer";
            case Long l -> "integer";
            case Double d -> "real";
            case String s -> "string";
            case Document d -> "document";
            case List<?> l -> "array";
            default -> value.getClass().getSimpleName().toLowerCase(Locale.ROOT);
        };
    }

    /** The value as text: booleans and numbers as mongosh prints them, documents and arrays as relaxed Extended JSON. */
    static String text(Object value) {
        return switch (value) {
            case null -> "";
            case Document d -> d.toJson();
            case List<?> l -> {
                String json = new Document("v", l).toJson();
                yield json.substring(json.indexOf(':') + 1, json.length() - 1).strip();
            }
            default -> String.valueOf(value);
        };
    }

    /**
     * The value to send, of the running value's BSON type.
     *
     * @throws UsageException naming the parameter and what it takes
     */
    static Object parse(String name, Object current, String text) {
        String value = text.strip();
        return switch (current) {
            case Boolean b -> switch (value.toLowerCase(Locale.ROOT)) {
                case "true", "1", "on" -> Boolean.TRUE;
                case "false", "0", "off" -> Boolean.FALSE;
                default -> throw new UsageException(name + ": expected true or false, got '" + clean(text) + "'");
            };
            case Integer i -> (int) bounded(name, whole(name, value, Integer.MIN_VALUE, Integer.MAX_VALUE, "a whole number (32-bit)"));
            case Long l -> bounded(name, whole(name, value, Long.MIN_VALUE, Long.MAX_VALUE, "a whole number (64-bit)"));
            case Double d -> {
                try {
                    double parsed = Double.parseDouble(value);
                    if (!Double.isFinite(parsed) || value.isEmpty() || !value.matches("[-+0-9.eE]+")) {
                        throw new NumberFormatException();
                    }
                    yield parsed;
                } catch (NumberFormatException e) {
                    throw new UsageException(name + ": expected a number such as 0.5, got '" + clean(text) + "'");
                }
            }
            case String s -> text;
            case null -> throw new UsageException(name + " shows no value, so dbtool cannot tell which type it takes; set it with "
                    + "db.adminCommand({setParameter: 1, " + name + ": VALUE}) in mongosh");
            default -> throw new UsageException(name + " is " + (type(current).startsWith("a") ? "an " : "a ") + type(current) + " (" + clean(text(current)) + "); dbtool config sets "
                    + "bool, number and string parameters only: set it with db.adminCommand({setParameter: 1, " + name + ": ...}) in mongosh");
        };
    }

    /** Whether two values are the same setting: numbers by value whatever their BSON width. */
    static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString())) == 0;
        }
        return a == null ? b == null : a.equals(b);
    }

    /** The smallest and largest value of the parameter as text (the largest null when only the type limits it), or null for none. */
    static String[] range(String name) {
        long[] bounds = BOUNDS.get(name);
        return bounds == null ? null : new String[] {Long.toString(bounds[0]), bounds[1] == Integer.MAX_VALUE ? null : Long.toString(bounds[1])};
    }

    private static long whole(String name, String value, long min, long max, String expected) {
        try {
            BigDecimal number = new BigDecimal(value);
            long whole = number.longValueExact();
            if (whole < min || whole > max) {
                throw new ArithmeticException();
            }
            return whole;
        } catch (NumberFormatException | ArithmeticException e) {
            throw new UsageException(name + ": expected " + expected + ", got '" + clean(value) + "'");
        }
    }

    private static long bounded(String name, long value) {
        long[] bounds = BOUNDS.get(name);
        if (bounds != null && (value < bounds[0] || value > bounds[1])) {
            throw new UsageException(name + ": " + value + " is out of range; expected " + bounds[0]
                    + (bounds[1] == Integer.MAX_VALUE ? " or more" : " to " + bounds[1]));
        }
        return value;
    }

    /** Text from the command line or the server, without control characters, for a one-line message. */
    static String clean(String text) {
        return text.replaceAll("\\p{Cntrl}", "?");
    }
}
