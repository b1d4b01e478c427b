package dbtool.logs.read;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * PostgreSQL's stderr log with any {@code log_line_prefix}. A line belongs to a new entry when it
 * carries a message severity ({@code LOG:  }, {@code ERROR:  }, ...); DETAIL, HINT, CONTEXT,
 * STATEMENT, QUERY and LOCATION lines join the entry before them, and lines with no severity (a
 * statement that spans lines, a tab-indented continuation) join the last part they continue.
 */
public final class PostgresStderrReader extends LineEntryReader {

    /** The severity words that start an entry, and those that add a part to the one before. */
    private static final String[] PRIMARY = {"LOG", "ERROR", "FATAL", "PANIC", "WARNING", "NOTICE", "INFO",
        "DEBUG", "DEBUG1", "DEBUG2", "DEBUG3", "DEBUG4", "DEBUG5"};
    private static final String[] SECONDARY = {"DETAIL", "HINT", "CONTEXT", "STATEMENT", "QUERY", "LOCATION"};
    private static final String[] SECONDARY_KEYS = {"detail", "hint", "context", "statement", "query", "location"};

    private final LinePrefix prefix;
    private Pending current;

    private static final class Pending {
        long line;
        String severity;
        String timestamp;
        String code;
        Map<String, String> fields;
        /** The message while it is one line; a continuation moves it into {@link #more}. */
        String message;
        StringBuilder more;
        String lastPart = "message";

        Map<String, String> fields() {
            if (fields == null) {
                fields = new HashMap<>(8);
            }
            return fields;
        }
    }

    private final boolean everyField;

    /**
     * @param everyField read the prefix's fields (user, database, host, pid) for every entry; else
     *                   only for entries that are not plain LOG lines (the rules need them on errors,
     *                   and the pattern match on every line costs a third of the time)
     */
    public PostgresStderrReader(LineSource source, LinePrefix prefix, boolean everyField) {
        super(source);
        this.prefix = prefix;
        this.everyField = everyField;
    }

    @Override
    public LogEntry next() throws IOException {
        String line;
        while ((line = source.next()) != null) {
            long found = marker(line);
            if (found < 0) {
                continuation(line);
                continue;
            }
            int marker = (int) (found >>> 32);
            int word = (int) found;
            if (word >= PRIMARY.length) {
                if (current == null) {
                    continue; // a DETAIL whose entry lies before the start of the file
                }
                String key = SECONDARY_KEYS[word - PRIMARY.length];
                String text = line.substring(marker + SECONDARY[word - PRIMARY.length].length() + 3);
                current.fields().merge(key, text, (a, b) -> a + "\n" + b);
                current.lastPart = key;
                continue;
            }
            String severity = PRIMARY[word];
            Pending next = new Pending();
            next.line = source.lines();
            next.severity = severity.startsWith("DEBUG") ? "DEBUG" : severity;
            next.message = line.substring(marker + severity.length() + 3);
            if (everyField || word != 0 || !prefix.startsWithTimestamp()) {
                Map<String, String> fields = prefix.fields(line.substring(0, marker));
                if (!fields.isEmpty()) {
                    next.fields = new HashMap<>(fields);
                    next.timestamp = next.fields.remove("timestamp");
                    next.code = next.fields.remove("code");
                }
            } else {
                next.timestamp = prefix.timestamp(line, marker);
            }
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
            if (current.more == null) {
                current.more = new StringBuilder(current.message);
            }
            current.more.append('\n').append(text);
        } else {
            current.fields().merge(current.lastPart, text, (a, b) -> a + "\n" + b);
        }
    }

    private static LogEntry entry(Pending p) {
        String message = p.more == null ? p.message : p.more.toString();
        return new LogEntry(p.line, p.timestamp, p.severity, p.code, message, p.fields);
    }

    /**
     * Where the severity word of a line starts, or -1: the first "WORD:  " with a known word. The
     * position is in the high half, the word's index (in PRIMARY, then SECONDARY) in the low half:
     * no string is cut from the line to find it.
     */
    static long marker(String line) {
        int from = 0;
        while (true) {
            int colon = line.indexOf(":  ", from);
            if (colon < 0) {
                return -1;
            }
            int start = colon;
            while (start > 0 && isUpperOrDigit(line.charAt(start - 1))) {
                start--;
            }
            if (start < colon && (start == 0 || line.charAt(start - 1) == ' ' || line.charAt(start - 1) == ']' || line.charAt(start - 1) == ':')) {
                int word = word(line, start, colon - start);
                if (word >= 0) {
                    return ((long) start << 32) | word;
                }
            }
            from = colon + 1;
        }
    }

    private static boolean isUpperOrDigit(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || (c > 127 && Character.isUpperCase(c));
    }

    private static int word(String line, int start, int length) {
        for (int i = 0; i < PRIMARY.length; i++) {
            if (PRIMARY[i].length() == length && line.startsWith(PRIMARY[i], start)) {
                return i;
            }
        }
        for (int i = 0; i < SECONDARY.length; i++) {
            if (SECONDARY[i].length() == length && line.startsWith(SECONDARY[i], start)) {
                return PRIMARY.length + i;
            }
        }
        return -1;
    }
}
