package dbtool.testkit.snowflake;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A result set the responder sends back for one statement, in Snowflake's JSON result format:
 * a {@code rowtype} describing each column and a {@code rowset} whose cells are all strings (or
 * null), encoded the way the server encodes them (numbers in decimal, booleans as 1/0,
 * TIMESTAMP_LTZ as epoch seconds with nine fraction digits).
 *
 * <p>Columns are declared as {@code name:type}, type one of {@code text}, {@code fixed},
 * {@code real}, {@code boolean}, {@code timestamp_ltz}; a bare name is text.
 */
public final class CannedResult {

    private record Column(String name, String type) {
    }

    private final List<Column> columns;
    private final List<List<Object>> rows = new ArrayList<>();

    private CannedResult(List<Column> columns) {
        this.columns = columns;
    }

    /** A result with these columns and no rows yet. */
    public static CannedResult columns(String... declarations) {
        List<Column> columns = Arrays.stream(declarations).map(d -> {
            int colon = d.lastIndexOf(':');
            String type = colon < 0 ? "text" : d.substring(colon + 1).toLowerCase(Locale.ROOT);
            if (!List.of("text", "fixed", "real", "boolean", "timestamp_ltz").contains(type)) {
                throw new IllegalArgumentException("unknown column type in " + d);
            }
            return new Column(colon < 0 ? d : d.substring(0, colon), type);
        }).toList();
        return new CannedResult(columns);
    }

    /** Adds a row; values are String, Number, Boolean, Instant or null, one per column. */
    public CannedResult row(Object... values) {
        if (values.length != columns.size()) {
            throw new IllegalArgumentException("row has " + values.length + " values for " + columns.size() + " columns");
        }
        rows.add(Arrays.asList(values));
        return this;
    }

    public int size() {
        return rows.size();
    }

    JsonArray rowtype() {
        JsonArray rowtype = new JsonArray();
        for (Column column : columns) {
            JsonObject field = new JsonObject();
            field.addProperty("name", column.name());
            field.addProperty("database", "");
            field.addProperty("schema", "");
            field.addProperty("table", "");
            field.addProperty("nullable", true);
            field.addProperty("type", column.type());
            switch (column.type()) {
                case "fixed" -> {
                    field.addProperty("precision", 38);
                    field.addProperty("scale", 0);
                    field.add("length", JsonNull.INSTANCE);
                    field.add("byteLength", JsonNull.INSTANCE);
                }
                case "timestamp_ltz" -> {
                    field.addProperty("precision", 0);
                    field.addProperty("scale", 9);
                    field.add("length", JsonNull.INSTANCE);
                    field.add("byteLength", JsonNull.INSTANCE);
                }
                case "text" -> {
                    field.addProperty("length", 16_777_216);
                    field.addProperty("byteLength", 16_777_216);
                    field.add("precision", JsonNull.INSTANCE);
                    field.add("scale", JsonNull.INSTANCE);
                }
                default -> {
                    field.add("precision", JsonNull.INSTANCE);
                    field.add("scale", JsonNull.INSTANCE);
                    field.add("length", JsonNull.INSTANCE);
                    field.add("byteLength", JsonNull.INSTANCE);
                }
            }
            field.add("collation", JsonNull.INSTANCE);
            rowtype.add(field);
        }
        return rowtype;
    }

    JsonArray rowset() {
        JsonArray rowset = new JsonArray();
        for (List<Object> row : rows) {
            JsonArray cells = new JsonArray();
            for (int i = 0; i < row.size(); i++) {
                String cell = encode(row.get(i), columns.get(i).type());
                if (cell == null) {
                    cells.add(JsonNull.INSTANCE);
                } else {
                    cells.add(cell);
                }
            }
            rowset.add(cells);
        }
        return rowset;
    }

    private static String encode(Object value, String type) {
        if (value == null) {
            return null;
        }
        return switch (type) {
            case "boolean" -> Boolean.TRUE.equals(value) || "true".equalsIgnoreCase(value.toString()) ? "1" : "0";
            case "timestamp_ltz" -> {
                Instant instant = value instanceof Instant i ? i : Instant.parse(value.toString());
                yield instant.getEpochSecond() + "." + String.format("%09d", instant.getNano());
            }
            case "fixed", "real" -> value instanceof Number n ? new BigDecimal(n.toString()).toPlainString() : value.toString();
            default -> value.toString();
        };
    }
}
