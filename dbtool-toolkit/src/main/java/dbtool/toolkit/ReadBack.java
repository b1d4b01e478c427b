package dbtool.toolkit;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * Reads a value back after a write until it has settled or the wait ends: how {@code dbtool config}
 * verifies a change on every engine. A server may install a change before it answers (SQL Server's
 * RECONFIGURE) or a moment later (PostgreSQL's reload signal); the caller decides what settled means.
 */
public final class ReadBack {

    private static final long PAUSE_MILLIS = 50;

    private ReadBack() {
    }

    /**
     * One read of the value.
     *
     * @param <T> what is read
     * @param <E> what a failed read throws (SQLException for a JDBC engine, the driver's own for others)
     */
    @FunctionalInterface
    public interface Read<T, E extends Exception> {

        /**
         * Reads the value once.
         *
         * @return the value as the server shows it now
         * @throws E when the server cannot be read
         */
        T read() throws E;
    }

    /**
     * Reads until {@code settled} holds, at least once, every 50 ms while {@code within} lasts.
     *
     * @param within  the longest wait
     * @param read    one read
     * @param settled whether a read is final
     * @param <T>     what is read
     * @param <E>     what a failed read throws
     * @return the last read: settled, or the last one when the wait ended or the thread was interrupted
     * @throws E when a read fails
     */
    public static <T, E extends Exception> T until(Duration within, Read<T, E> read, Predicate<T> settled) throws E {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            T now = read.read();
            if (settled.test(now) || System.nanoTime() > deadline) {
                return now;
            }
            try {
                Thread.sleep(PAUSE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return now;
            }
        }
    }
}
