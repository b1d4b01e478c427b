package dbtool.logs.read;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * PostgreSQL's csvlog: one record per entry, quoted fields that span lines (a statement with line
 * breaks stays in its record). Columns as documented for PostgreSQL 13 to 17 (runtime-config-logging,
 * "Using CSV-Format Log Output"); later columns absent in older versions are simply missing.
 */
public final class PostgresCsvReader implements EntryReader {

    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private final LineSource.Warnings warnings;

    public PostgresCsvReader(BufferedReader reader, LineSource.Warnings warnings) throws IOException {
        this.parser = CSVFormat.DEFAULT.builder().get().parse(reader);
        this.records = parser.iterator();
        this.warnings = warnings;
    }

    @Override
    public long lines() {
        return parser.getCurrentLineNumber();
    }

    @Override
    public LogEntry next() throws IOException {
        while (true) {
            CSVRecord record;
            long firstLine = parser.getCurrentLineNumber() + 1; // a record may span lines: number it by its first
            try {
                if (!records.hasNext()) {
                    return null;
                }
                record = records.next();
            } catch (UncheckedIOException | IllegalStateException e) {
                warnings.warn("csvlog record after line " + parser.getCurrentLineNumber() + " cannot be read (" + e.getMessage()
                        + "); reading stops there");
                return null;
            }
            if (record.size() < 14) {
                warnings.warn("line " + parser.getCurrentLineNumber() + ": " + record.size() + " columns, not a csvlog record; skipped");
                continue;
            }
            Map<String, String> fields = new HashMap<>();
            put(fields, "user", record, 1);
            put(fields, "database", record, 2);
            put(fields, "pid", record, 3);
            String from = get(record, 4);
            if (from != null) {
                fields.put("host", from.replaceFirst(":\\d+$", ""));
            }
            put(fields, "session", record, 5); // session_id: the backend's start time and pid, unique per session
            put(fields, "detail", record, 14);
            put(fields, "hint", record, 15);
            put(fields, "context", record, 18);
            put(fields, "statement", record, 19);
            put(fields, "application", record, 22);
            return new LogEntry(firstLine, get(record, 0), get(record, 11), get(record, 12), record.get(13), fields);
        }
    }

    private static String get(CSVRecord record, int column) {
        if (column >= record.size()) {
            return null;
        }
        String value = record.get(column);
        return value == null || value.isEmpty() ? null : value;
    }

    private static void put(Map<String, String> fields, String name, CSVRecord record, int column) {
        String value = get(record, column);
        if (value != null) {
            fields.put(name, value);
        }
    }
}
