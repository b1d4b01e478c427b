package dbtool.logs.replay;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One thing a captured session did, in the order the log wrote it: it connected, ran a statement, or
 * disconnected.
 *
 * @param kind     what happened
 * @param session  the session's key: PostgreSQL's session id (start time and pid), else the pid
 * @param atMicros when it started, microseconds since the epoch (a statement's start: its log time less its duration)
 * @param user     the session's user, or null
 * @param database the session's database, or null
 * @param sql      the statement's text (a statement only)
 * @param params   the bind parameters of an extended-protocol statement, null elements for SQL NULL; null when none were logged
 * @param ms       the statement's duration in milliseconds, or -1 when the log did not say
 * @param error    the SQLSTATE it failed with, or null
 * @param message  the error's message, or null
 */
record CaptureEvent(Kind kind, String session, long atMicros, String user, String database, String sql, List<String> params,
                    double ms, String error, String message) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\d");

    enum Kind {
        CONNECT, STATEMENT, DISCONNECT
    }

    static CaptureEvent connect(String session, long atMicros, String user, String database) {
        return new CaptureEvent(Kind.CONNECT, session, atMicros, user, database, null, null, -1, null, null);
    }

    static CaptureEvent disconnect(String session, long atMicros) {
        return new CaptureEvent(Kind.DISCONNECT, session, atMicros, null, null, null, null, -1, null, null);
    }

    /** A statement with placeholders whose values the log did not keep (a failed extended-protocol one): it cannot be replayed. */
    boolean lacksParameters() {
        return params == null && PLACEHOLDER.matcher(sql).find();
    }
}
