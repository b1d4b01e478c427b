package dbtool.testkit.tds;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A canned result set: columns declared as {@code name:type} (type one of int, bigint, float, bit,
 * datetime, nvarchar up to 4000 characters; a bare name is nvarchar) and rows of Integer/Long, Double, Boolean,
 * Instant/LocalDateTime, String or null.
 *
 * <pre>{@code
 * TdsResult.columns("session_id:int", "status", "wait_ms:bigint").row(52, "sleeping", null)
 * }</pre>
 */
public final class TdsResult {

    record Column(String name, TdsType type) {
    }

    /** Characters an nvarchar column holds here: it is declared nvarchar(4000). */
    public static final int MAX_NVARCHAR = 4000;

    private final List<Column> columns;
    private final List<List<Object>> rows = new ArrayList<>();

    private TdsResult(List<Column> columns) {
        this.columns = columns;
    }

    public static TdsResult columns(String... declarations) {
        return new TdsResult(Arrays.stream(declarations).map(d -> {
            int colon = d.lastIndexOf(':');
            return colon < 0 ? new Column(d, TdsType.NVARCHAR) : new Column(d.substring(0, colon), TdsType.parse(d, d.substring(colon + 1)));
        }).toList());
    }

    /** Adds a row, one value per column, checked against the column types. */
    public TdsResult row(Object... values) {
        if (values.length != columns.size()) {
            throw new IllegalArgumentException("row has " + values.length + " values for " + columns.size() + " columns");
        }
        for (int i = 0; i < values.length; i++) {
            if (!columns.get(i).type().accepts(values[i])) {
                throw new IllegalArgumentException("column " + columns.get(i).name() + " is " + columns.get(i).type()
                        + ", not " + values[i].getClass().getSimpleName());
            }
            if (columns.get(i).type() == TdsType.NVARCHAR && values[i] != null && values[i].toString().length() > MAX_NVARCHAR) {
                // The column goes out as nvarchar(4000); a longer value would be a stream no real server sends that way.
                throw new IllegalArgumentException("column " + columns.get(i).name() + " is nvarchar(" + MAX_NVARCHAR + "): a value of "
                        + values[i].toString().length() + " characters does not fit");
            }
        }
        rows.add(Collections.unmodifiableList(Arrays.asList(values)));
        return this;
    }

    /** The column names, in order: what a test compares with the SELECT list of the statement it answers. */
    public List<String> columnNames() {
        return columns.stream().map(Column::name).toList();
    }

    List<Column> columns() {
        return columns;
    }

    List<List<Object>> rows() {
        return rows;
    }
}
