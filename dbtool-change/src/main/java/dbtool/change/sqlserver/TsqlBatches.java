package dbtool.change.sqlserver;

import java.util.ArrayList;
import java.util.List;

/**
 * A T-SQL script cut into the batches SQL Server runs one by one: at lines holding only {@code GO}
 * (the separator of sqlcmd, SSMS and Flyway's SQL Server parser; not a statement the server knows).
 * Used for undo scripts, which dbtool runs itself.
 */
public final class TsqlBatches {

    private TsqlBatches() {
    }

    /** The non-empty batches, in order. */
    public static List<String> split(String script) {
        List<String> batches = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\\R", -1)) {
            if (line.strip().equalsIgnoreCase("GO")) {
                add(batches, current);
            } else {
                current.append(line).append('\n');
            }
        }
        add(batches, current);
        return batches;
    }

    private static void add(List<String> batches, StringBuilder current) {
        if (!current.toString().isBlank()) {
            batches.add(current.toString().strip());
        }
        current.setLength(0);
    }
}
