package dbtool.logs.replay;

import dbtool.logs.read.LogEntry;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns PostgreSQL log entries (csvlog or jsonlog, read by dbtool-logs' readers) into capture events:
 * sessions from their connection and disconnection lines, statements from
 * {@code log_min_duration_statement = 0} ("duration: ... statement: ...", "execute &lt;unnamed&gt;:" with
 * its {@code parameters:} DETAIL) or {@code log_statement = 'all'} (the statement, then its duration
 * when {@code log_duration} is on), and the errors they failed with. Keeps at most one statement per
 * open session (one logged before it ran, waiting for its duration or error), never the log.
 */
final class SessionBuilder {

    /** Receives the events in log order. */
    interface Sink {
        void accept(CaptureEvent event) throws IOException;
    }

    private static final Pattern DURATION = Pattern.compile(
            "duration: ([0-9.]+) ms(?:  (statement|execute [^:]*|parse [^:]*|bind [^:]*): (.*))?", Pattern.DOTALL);
    private static final Pattern LOGGED = Pattern.compile("(statement|execute [^:]*): (.*)", Pattern.DOTALL);
    private static final Pattern AUTHORIZED = Pattern.compile("connection authorized: user=(\\S+)(?: database=(\\S+))?.*", Pattern.DOTALL);
    private static final Pattern PARAMETER = Pattern.compile("\\$(\\d+) = (?:NULL|'((?:[^']|'')*)')");

    private final Sink sink;
    private final String database;
    private final Map<String, CaptureEvent> waiting = new HashMap<>();
    private final Map<String, String[]> userAndDatabase = new HashMap<>();
    private long connections;
    private long disconnections;
    private long statements;
    private long timed;

    /** @param database only this database's sessions, or null for all */
    SessionBuilder(Sink sink, String database) {
        this.sink = sink;
        this.database = database;
    }

    void add(LogEntry entry, Instant at) throws IOException {
        String db = entry.field("database");
        if (database != null && db != null && !database.equals(db)) {
            return;
        }
        String session = entry.field("session") != null ? entry.field("session") : entry.field("pid");
        if (session == null || at == null) {
            return; // not a backend's line (the postmaster, a background worker) or no time: nothing to replay
        }
        long micros = at.getEpochSecond() * 1_000_000 + at.getNano() / 1000;
        String message = entry.message();
        Matcher m;
        if ((m = AUTHORIZED.matcher(message)).matches()) {
            flush(session);
            connections++;
            userAndDatabase.put(session, new String[] {m.group(1), m.group(2)});
            sink.accept(CaptureEvent.connect(session, micros, m.group(1), m.group(2)));
        } else if (message.startsWith("disconnection:")) {
            flush(session);
            disconnections++;
            userAndDatabase.remove(session);
            sink.accept(CaptureEvent.disconnect(session, micros));
        } else if ((m = DURATION.matcher(message)).matches()) {
            double ms = Double.parseDouble(m.group(1));
            if (m.group(2) == null) {
                CaptureEvent logged = waiting.get(session);
                if (logged != null && logged.ms() < 0) { // log_statement's line, then log_duration's
                    timed++;
                    waiting.put(session, withTiming(logged, ms));
                }
            } else if (!m.group(2).startsWith("parse") && !m.group(2).startsWith("bind")) {
                flush(session);
                timed++;
                statement(session, micros - (long) (ms * 1000), entry, m.group(3), ms, true);
            }
        } else if ((m = LOGGED.matcher(message)).matches() && "LOG".equals(entry.severity())) {
            flush(session);
            statement(session, micros, entry, m.group(2), -1, false);
        } else if ("ERROR".equals(entry.severity())) {
            failed(session, micros, entry);
        }
    }

    /** An ERROR: the statement logged before it ran failed, or (with durations only) one never logged did. */
    private void failed(String session, long micros, LogEntry entry) throws IOException {
        String text = entry.field("statement");
        CaptureEvent logged = waiting.get(session);
        if (logged != null && logged.error() == null && (text == null || text.equals(logged.sql()))) {
            waiting.put(session, new CaptureEvent(logged.kind(), session, logged.atMicros(), logged.user(), logged.database(), logged.sql(),
                    logged.params(), logged.ms(), entry.code(), entry.message()));
        } else if (text != null) {
            flush(session);
            statements++;
            String[] who = userAndDatabase.getOrDefault(session, new String[] {entry.field("user"), entry.field("database")});
            sink.accept(new CaptureEvent(CaptureEvent.Kind.STATEMENT, session, micros, who[0], who[1], text, null, -1, entry.code(),
                    entry.message()));
        }
    }

    private void statement(String session, long micros, LogEntry entry, String sql, double ms, boolean done) throws IOException {
        statements++;
        String[] who = userAndDatabase.getOrDefault(session, new String[] {entry.field("user"), entry.field("database")});
        CaptureEvent event = new CaptureEvent(CaptureEvent.Kind.STATEMENT, session, micros, who[0], who[1], sql,
                parameters(entry.field("detail")), ms, null, null);
        if (done) {
            sink.accept(event);
        } else {
            waiting.put(session, event);
        }
    }

    private static CaptureEvent withTiming(CaptureEvent e, double ms) {
        return new CaptureEvent(e.kind(), e.session(), e.atMicros(), e.user(), e.database(), e.sql(), e.params(), ms, e.error(), e.message());
    }

    /** The values of a {@code parameters: $1 = '...', $2 = NULL} DETAIL, in order; null when there is none. */
    static List<String> parameters(String detail) {
        if (detail == null || !detail.startsWith("parameters: ")) {
            return null;
        }
        List<String> values = new ArrayList<>();
        Matcher m = PARAMETER.matcher(detail);
        while (m.find()) {
            int index = Integer.parseInt(m.group(1));
            while (values.size() < index) {
                values.add(null);
            }
            values.set(index - 1, m.group(2) == null ? null : m.group(2).replace("''", "'"));
        }
        return values;
    }

    private void flush(String session) throws IOException {
        CaptureEvent logged = waiting.remove(session);
        if (logged != null) {
            sink.accept(logged);
        }
    }

    /** Writes the statements still waiting for a duration, at the end of the log. */
    void finish() throws IOException {
        for (String session : List.copyOf(waiting.keySet())) {
            flush(session);
        }
    }

    /**
     * The logging setting the capture lacks, as one line, or null when it has what a replay needs: statements,
     * their durations, and the sessions' connection lines.
     */
    String missingSetting() {
        if (statements == 0) {
            return "no statements in the log: set log_min_duration_statement = 0 (or log_statement = 'all')";
        }
        if (connections == 0) {
            return "no connection lines in the log: set log_connections = on";
        }
        if (timed == 0) {
            return "no statement durations in the log: set log_min_duration_statement = 0 (or log_duration = on)";
        }
        return null;
    }

    long connections() {
        return connections;
    }

    long disconnections() {
        return disconnections;
    }

    long statements() {
        return statements;
    }
}
