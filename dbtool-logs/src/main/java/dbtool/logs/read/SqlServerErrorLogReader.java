package dbtool.logs.read;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SQL Server's ERRORLOG (read as UTF-16LE with its BOM by {@link LogInput}): a timestamp with
 * centiseconds, the source (spid52, Server, Logon, Backup), the message; lines without a timestamp
 * continue the entry before them. An {@code Error: 18456, Severity: 14, State: 8.} line gives its
 * number and severity to the message that follows it from the same source.
 */
public final class SqlServerErrorLogReader extends LineEntryReader {

    private static final Pattern HEADER = Pattern.compile("^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d\\d) (\\S+)\\s+(.*)$");
    private static final Pattern ERROR = Pattern.compile("^Error: (\\d+), Severity: (\\d+), State: (\\d+)\\.?\\s*$");
    private static final Pattern CLIENT = Pattern.compile("\\[CLIENT: ([^\\]]*)\\]");
    private static final Pattern LOGIN = Pattern.compile("for user '([^']*)'");

    private Pending current;
    private Pending error;
    private final ArrayDeque<LogEntry> ready = new ArrayDeque<>();

    private static final class Pending {
        long line;
        String timestamp;
        String processInfo;
        String code;
        String severity;
        StringBuilder message;
    }

    public SqlServerErrorLogReader(LineSource source) {
        super(source);
    }

    @Override
    public LogEntry next() throws IOException {
        while (ready.isEmpty()) {
            String line = source.next();
            if (line == null) {
                flush();
                if (error != null) {
                    ready.add(entry(error));
                    error = null;
                }
                break;
            }
            Matcher header = HEADER.matcher(line);
            if (!header.matches()) {
                if (current != null && !line.isBlank()) {
                    current.message.append('\n').append(line.strip());
                }
                continue;
            }
            Pending next = new Pending();
            next.line = source.lines();
            next.timestamp = header.group(1);
            next.processInfo = header.group(2);
            next.message = new StringBuilder(header.group(3).strip());
            Matcher errorLine = ERROR.matcher(next.message);
            if (errorLine.matches()) {
                flush();
                if (error != null) {
                    ready.add(entry(error));
                }
                next.code = errorLine.group(1);
                next.severity = errorLine.group(2);
                error = next;
                continue;
            }
            if (error != null && error.processInfo.equals(next.processInfo)) {
                next.code = error.code; // the message that explains the error line before it
                next.severity = error.severity;
            } else if (error != null) {
                ready.add(entry(error));
            }
            error = null;
            flush();
            current = next;
        }
        return ready.poll();
    }

    private void flush() {
        if (current != null) {
            ready.add(entry(current));
            current = null;
        }
    }

    private static LogEntry entry(Pending p) {
        Map<String, String> fields = new HashMap<>();
        fields.put("process", p.processInfo);
        String message = p.message.toString();
        Matcher client = CLIENT.matcher(message);
        if (client.find()) {
            fields.put("host", client.group(1));
        }
        Matcher login = LOGIN.matcher(message);
        if (login.find()) {
            fields.put("user", login.group(1));
        }
        return new LogEntry(p.line, p.timestamp, p.severity == null ? null : "Severity " + p.severity, p.code, message, fields);
    }
}
