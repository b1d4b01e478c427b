package dbtool.spi;

/**
 * An optional capability of an {@link EngineSession}: reading the tail of the server's own log over
 * the session, so that {@code dbtool logs TARGET} and {@code troubleshoot} need no file access on the
 * database host. A plugin offers it by letting its session class implement this interface; sessions
 * that do not are simply not asked (SPI 1.0 plugins keep working unchanged).
 *
 * <p>Reading stays within the session's rules: read-only, server-side timeouts no longer than
 * {@link CheckContext#remaining()}, and no more than {@code maxBytes} of log text.
 */
public interface LogSource {

    /**
     * Reads the most recent part of the server's log, at most {@code maxBytes} bytes, oldest line first.
     *
     * @param maxBytes the most log text to return
     * @param context the run's context: its deadline ({@link CheckContext#remaining()}) bounds the reading
     * @return the log text with where it came from and how to read it
     * @throws Unreadable when this role or this server's configuration does not allow it; its message is
     *                    one line naming what is missing (a grant, a setting), with no secret
     * @throws Exception  when the server fails otherwise (becomes a one-line error)
     */
    ServerLog readLog(long maxBytes, CheckContext context) throws Exception;

    /**
     * The log text read from the server.
     *
     * @param name   where it came from, for the report (e.g. {@code log/postgresql-2026-12-07.log})
     * @param layout how to read it: {@code postgres}, {@code postgres-csv}, {@code postgres-json},
     *               {@code sqlserver}, {@code mongodb}, {@code snowflake} (failed logins and queries as JSON events) or
     *               {@code message} (the {@code --layout} values)
     * @param prefix the server's line prefix where the layout has one (PostgreSQL's
     *               {@code log_line_prefix}), else null
     * @param text   the lines; a first line cut by the size bound is already dropped
     */
    record ServerLog(String name, String layout, String prefix, String text) {
    }

    /** The log cannot be read by this session: the message says why, in one line (e.g. the missing grant). */
    final class Unreadable extends Exception {
        /**
         * The log cannot be read, for the reason given.
         *
         * @param message one line naming what is missing (a grant, a setting), with no secret
         */
        public Unreadable(String message) {
            super(message, null, false, false);
        }
    }
}
