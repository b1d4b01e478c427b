package dbtool.logs.read;

import java.util.Map;

/**
 * One log entry, whatever the engine: its header fields (null when the log does not carry them),
 * the message that is mined, and the lines that belong to it (DETAIL, HINT, STATEMENT, a statement
 * that spans lines, a stack trace).
 *
 * @param line      the number of its first line in the input, from 1
 * @param timestamp as written in the log (e.g. {@code 2026-12-07 13:01:02.123 UTC}), or null
 * @param severity  the engine's own word, upper case (LOG, ERROR, FATAL; I, W, E; Error), or null
 * @param code      SQLSTATE, SQL Server error number or MongoDB message id, or null
 * @param message   the message the miner reads
 * @param fields    other header and detail fields: user, database, host, pid, detail, hint, statement
 */
public record LogEntry(long line, String timestamp, String severity, String code, String message, Map<String, String> fields) {

    public LogEntry {
        fields = fields == null ? Map.of() : fields;
    }

    public String field(String name) {
        return fields.get(name);
    }
}
