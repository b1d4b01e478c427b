package dbtool.spi;

import java.util.Optional;

/**
 * One read-only session with one target; checks run against it one after another.
 *
 * <p>Plugins define their own session type and cast to it in their checks. Opening should be
 * cheap and should not fail because the server is unreachable: connection problems are for the
 * plugin's connectivity checks to diagnose, with stages and timings. {@link #close()} releases
 * the one connection and must not throw for a connection that was never made.
 */
public interface EngineSession extends AutoCloseable {

    /**
     * Asks the statement running now (if any) to stop, from another thread. Called when a check
     * overruns the deadline or the user presses Ctrl-C. The default does nothing.
     */
    default void cancel() {
    }

    /**
     * Where the session is right now, in one line, for the report when the deadline ends a check:
     * the connection stage that has not answered ("TCP connected in 1 ms; the server did not answer
     * the startup message in 4 s: the server process is hung or overloaded") or the statement that
     * is running. Called from another thread, before {@link #cancel()}. The default knows nothing.
     *
     * @return one line without secrets, or empty when the session cannot tell
     */
    default Optional<String> activity() {
        return Optional.empty();
    }

    @Override
    void close();
}
