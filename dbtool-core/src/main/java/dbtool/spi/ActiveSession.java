package dbtool.spi;

import java.time.Duration;
import java.util.List;

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
 */
public record ActiveSession(String id, String user, String database, String application, String client, String state,
                            Duration running, String waitType, String waitEvent, List<String> blockedBy, int depth,
                            Double cpuMillis, Double ioCount, String query, List<String> locks,
                            String cancel, String terminate) {

    /** Null lists become empty ones; both lists are copied; a password literal in the query is masked ({@link Redaction#redactSql}). */
    public ActiveSession {
        query = Redaction.redactSql(query);
        blockedBy = blockedBy == null ? List.of() : List.copyOf(blockedBy);
        locks = locks == null ? List.of() : List.copyOf(locks);
    }
}
