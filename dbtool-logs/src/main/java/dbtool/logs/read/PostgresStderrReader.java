package dbtool.logs.read;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * PostgreSQL's stderr log with any {@code log_line_prefix}. A line belongs to a new entry when it
 * carries a message severity ({@code LOG:  }, {@code ERROR:  }, ...); DETAIL, HINT, CONTEXT,
 * STATEMENT, QUERY and LOCATION lines join the entry before them, and lines with no severity (a
 * statement that spans lines, a tab-indented continuation) join the last part they continue.
 */
public final class PostgresStderrReader extends LineEntryReader {

    private static final Set<String> PRIMARY = Set.of("LOG", "ERROR", "FATAL", "PANIC", "WARNING", "NOTICE", "INFO",
            "DEBUG", "DEBUG1", "DEBUG2", "DEBUG3", "DEBUG4", "DEBUG5");
    private static final Set<String> SECONDARY = Set.of("DETAIL", "HINT", "CONTEXT", "STATEMENT", "QUERY", "LOCATION");

    private final LinePrefix prefix;
    private Pending current;

    private static final class Pending {
        long line;
        String severity;
        Map<String, String> fields;
        StringBuilder message;
        String lastPart = "message";
    }

    private final boolean everyField;

    /**
     * @param everyField read the prefix's fields (user, database, host, pid) for every entry; else
     *                   only for entries that are not plain LOG lines (the rules need them on errors,
     *                   and the pattern match on every line costs a third of the time)
     */
    public PostgresStderrReader(BufferedReader reader, LinePrefix prefix, LineSource.Warnings warnings, boolean everyField) {
        super(reader, warnings);
        this.prefix = prefix;
        this.everyField = everyField;
    }

    @Override
    public LogEntry next() throws IOException {
        String line;
        while ((line = source.next()) != null) {
            int marker = marker(line);
            if (marker < 0) {
                continuation(line);
                continue;
            }
            int colon = line.indexOf(":  ", marker);
            String word = line.substring(marker, colon);
            String text = line.substring(colon + 3);
            if (SECONDARY.contains(word)) {
                if (current == null) {
                    continue; // a DETAIL whose entry lies before the start of the file
                }
                String key = word.toLowerCase(Locale.ROOT);
                current.fields.merge(key, text, (a, b) -> a + "\n" + b);
                current.lastPart = key;
                continue;
            }
            Pending next = new Pending();
            next.line = source.lines();
            next.severity = word.startsWith("DEBUG") ? "DEBUG" : word;
            String prefixText = line.substring(0, marker);
            if (everyField || !next.severity.equals("LOG") || !prefix.startsWithTimestamp()) {
                next.fields = new HashMap<>(prefix.fields(prefixText));
            } else {
                next.fields = new HashMap<>(4);
                String timestamp = prefix.timestamp(prefixText);
                if (timestamp != null) {
                    next.fields.put("timestamp", timestamp);
                }
            }
            next.message = new StringBuilder(text);
            Pending done = current;
            current = next;
            if (done != null) {
                return entry(done);
            }
        }
        if (current != null) {
            Pending done = current;
            current = null;
            return entry(done);
        }
        return null;
    }

    private void continuation(String line) {
        if (current == null) {
            return;
        }
        String text = line.startsWith("\t") ? line.substring(1) : line;
        if (current.lastPart.equals("message")) {
            current.message.append('\n').append(text);
        } else {
            current.fields.merge(current.lastPart, text, (a, b) -> a + "\n" + b);
        }
    }

    private static LogEntry entry(Pending p) {
        String timestamp = p.fields.remove("timestamp");
        String code = p.fields.remove("code");
        return new LogEntry(p.line, timestamp, p.severity, code, p.message.toString(), p.fields);
    }

    /** Where the severity word of a line starts, or -1: the first "WORD:  " with a known word. */
    static int marker(String line) {
        int from = 0;
        while (true) {
            int colon = line.indexOf(":  ", from);
            if (colon < 0) {
                return -1;
            }
            int start = colon;
            while (start > 0 && Character.isUpperCase(line.charAt(start - 1)) || (start > 0 && Character.isDigit(line.charAt(start - 1)))) {
                start--;
            }
            if (start < colon && (start == 0 || line.charAt(start - 1) == ' ' || line.charAt(start - 1) == ']' || line.charAt(start - 1) == ':')) {
                String word = line.substring(start, colon);
                if (PRIMARY.contains(word) || SECONDARY.contains(word)) {
                    return start;
                }
            }
            from = colon + 1;
        }
    }
}
