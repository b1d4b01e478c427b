package dbtool.testkit;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.LongPredicate;

/**
 * Waiting for a staged incident to be in place on a real server (a session blocked, the others
 * gone) before a check looks at it: the server gets there a few milliseconds after the test's
 * statement returns, so a test that does not wait would race it. The same for anything else that lands a little
 * after the call that caused it (an access log line written once the response has gone).
 */
public final class Poll {

    private static final Duration INTERVAL = Duration.ofMillis(25);

    private Poll() {
    }

    /**
     * Asks {@code sql} on {@code connection} until the first column of its first row (0 without a
     * row) satisfies {@code done}; fails with {@code failure} once {@code timeout} has passed.
     */
    public static void untilCount(Connection connection, String sql, LongPredicate done, Duration timeout, String failure)
            throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Statement statement = connection.createStatement()) {
            while (true) {
                long count;
                try (ResultSet rows = statement.executeQuery(sql)) {
                    count = rows.next() ? rows.getLong(1) : 0;
                }
                if (done.test(count)) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(failure + " (last count " + count + " after " + timeout.toMillis() + " ms)");
                }
                Thread.sleep(INTERVAL);
            }
        }
    }

    /**
     * Asks {@code done} until it is true; fails with {@code failure} once {@code timeout} has passed.
     *
     * @param done    the condition, asked every 25 ms
     * @param timeout how long to wait at most
     * @param failure the assertion message when it never became true
     * @throws InterruptedException when interrupted while waiting
     */
    public static void until(BooleanSupplier done, Duration timeout, String failure) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(failure + " (after " + timeout.toMillis() + " ms)");
            }
            Thread.sleep(INTERVAL);
        }
    }
}
