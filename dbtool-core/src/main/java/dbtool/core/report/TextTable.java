package dbtool.core.report;

import dbtool.core.SafeText;
import java.util.List;

/** A plain left-aligned table: header row, a rule, and the rows, columns as wide as their widest cell. */
public final class TextTable {

    private TextTable() {
    }

    /** Cells are shown on one line with their control characters escaped ({@link SafeText#oneLine}). */
    public static String format(List<String> headers, List<List<String>> unsafeRows, String indent, Style style) {
        List<List<String>> rows = unsafeRows.stream().map(r -> r.stream().map(SafeText::oneLine).toList()).toList();
        int[] widths = new int[headers.size()];
        for (int i = 0; i < headers.size(); i++) {
            widths[i] = headers.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        out.append(indent).append(style.bold(line(headers, widths).stripTrailing())).append('\n');
        for (List<String> row : rows) {
            out.append(indent).append(line(row, widths).stripTrailing()).append('\n');
        }
        return out.toString();
    }

    private static String line(List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            line.append(cells.get(i));
            if (i < cells.size() - 1) {
                line.append(" ".repeat(widths[i] - cells.get(i).length() + 2));
            }
        }
        return line.toString();
    }
}
