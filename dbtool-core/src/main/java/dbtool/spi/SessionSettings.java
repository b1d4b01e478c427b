package dbtool.spi;

import java.time.Duration;

/**
 * The safety settings every session must apply (DESIGN.md section 5).
 *
 * @param applicationName  how the session identifies itself on the server ({@code dbtool})
 * @param connectTimeout   the longest a connection attempt may take
 * @param statementTimeout server-side limit for each statement
 * @param lockTimeout      server-side limit for waiting on a lock; short, so that dbtool never
 *                         queues behind the locks it is diagnosing
 */
public record SessionSettings(String applicationName, Duration connectTimeout,
                              Duration statementTimeout, Duration lockTimeout) {

    /** The defaults: 5 s to connect, 5 s per statement, 500 ms for a lock. */
    public static SessionSettings defaults() {
        return new SessionSettings("dbtool", Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMillis(500));
    }
}
