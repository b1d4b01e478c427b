package dbtool.spi;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A session in an {@link Activity}. Text fields may be null where the engine does not say; they
 * are the server's own text, which the view escapes before it reaches a terminal.
 *
 * @param id          the engine's session id (PostgreSQL pid, SQL Server session_id, MongoDB opid,
 *                    Snowflake query id): what {@code blockedBy} names
 * @param user        the login
 * @param database    the database (or schema) it works in
 * @param application the name the client gave itself
 * @param client      the client's address
 * @param state       the engine's word for what it does (active, idle in transaction, suspended, ...)
 * @param running     how long the current statement (or the idle transaction) has lasted; null when unknown
 * @param waitType    the class of wait (Lock, IO, LWLock, ...), null when not waiting
 * @param waitEvent   the wait itself (transactionid, PAGEIOLATCH_SH, ...)
 * @param blockedBy   the sessions this one waits for
 * @param depth       0 for a session that waits for nobody listed before it; n for a waiter n levels
 *                    below its head blocker, listed after it
 * @param cpuMillis   CPU time used so far, where the engine reports it per session (null elsewhere): the
 *                    view shows ms/s between snapshots
 * @param ioCount     reads and writes so far (pages, blocks or documents, the engine's unit), or null
 * @param query       the statement's text as the server keeps it, password literals masked
 * @param locks       the locks it holds or waits for, one line each, at most a handful
 * @param cancel      the statement that would cancel its query (shown, never run), or null
 * @param terminate   the statement that would end the session (shown, never run), or null
 * @param details     further facts the engine reports for this session, label to value in the order
 *                    the expanded view lists them (Snowflake: warehouse, time queued, bytes scanned;
 *                    SQL Server: the waits of a parallel request's tasks; MongoDB: yields); empty when none
 */
public record ActiveSession(String id, String user, String database, String application, String client, String state,
                            Duration running, String waitType, String waitEvent, List<String> blockedBy, int depth,
                            Double cpuMillis, Double ioCount, String query, List<String> locks,
                            String cancel, String terminate, Map<String, String> details) {

    /**
     * Null lists and maps become empty ones; all are copied, the details in their order; a password literal in the
     * query or a detail is masked ({@link Redaction#redactSql}).
     */
    public ActiveSession {
        query = Redaction.redactSql(query);
        blockedBy = blockedBy == null ? List.of() : List.copyOf(blockedBy);
        locks = locks == null ? List.of() : List.copyOf(locks);
        if (details == null || details.isEmpty()) {
            details = Map.of();
        } else {
            Map<String, String> masked = new LinkedHashMap<>();
            details.forEach((name, value) -> masked.put(name, Redaction.redactSql(value)));
            details = Collections.unmodifiableMap(masked);
        }
    }

    /**
     * A session without further details: the constructor from before {@code details}, kept so that
     * plugins built against it still construct sessions.
     *
     * @param id          see the record's description
     * @param user        see the record's description
     * @param database    see the record's description
     * @param application see the record's description
     * @param client      see the record's description
     * @param state       see the record's description
     * @param running     see the record's description
     * @param waitType    see the record's description
     * @param waitEvent   see the record's description
     * @param blockedBy   see the record's description
     * @param depth       see the record's description
     * @param cpuMillis   see the record's description
     * @param ioCount     see the record's description
     * @param query       see the record's description
     * @param locks       see the record's description
     * @param cancel      see the record's description
     * @param terminate   see the record's description
     */
    public ActiveSession(String id, String user, String database, String application, String client, String state,
                         Duration running, String waitType, String waitEvent, List<String> blockedBy, int depth,
                         Double cpuMillis, Double ioCount, String query, List<String> locks, String cancel, String terminate) {
        this(id, user, database, application, client, state, running, waitType, waitEvent, blockedBy, depth, cpuMillis, ioCount, query,
                locks, cancel, terminate, Map.of());
    }

    /**
     * The application's trace context on this session ({@link TraceContext#find}): a sqlcommenter comment in its
     * query, a traceparent in its client name, or one in a detail (a Snowflake query tag, a MongoDB comment, SQL
     * Server's context_info), in that order. Read from the fields, so every engine's sessions carry it.
     *
     * @return the context, or empty when the session carries none
     */
    public Optional<TraceContext> trace() {
        return TraceContext.find(Stream.concat(Stream.of(query, application), details.values().stream()).toArray(String[]::new));
    }

    /**
     * This session at another depth of its blocking tree, everything else kept: what folding the
     * snapshot into trees changes.
     *
     * @param level its depth (0 for a head or a session in no tree)
     * @return the copy
     */
    public ActiveSession atDepth(int level) {
        return new ActiveSession(id, user, database, application, client, state, running, waitType, waitEvent, blockedBy, level, cpuMillis,
                ioCount, query, locks, cancel, terminate, details);
    }
}
