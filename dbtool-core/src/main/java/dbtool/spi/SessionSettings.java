package dbtool.spi;

import java.time.Duration;

/**
 * The safety settings every session must apply, because dbtool runs against databases that are
 * already in trouble: the session is read-only on the server side, names itself with
 * {@code applicationName} (so a DBA can tell it apart), gives up connecting after
 * {@code connectTimeout}, sets {@code statementTimeout} as a server-side limit on every statement,
 * and waits at most {@code lockTimeout} for a lock, so that it never queues behind the locks it is
 * diagnosing. On top of these, each statement's client-side timeout is no longer than what is left
 * of the run's deadline ({@link CheckContext#remaining()}).
 *
 * @param applicationName  how the session identifies itself on the server ({@code dbtool})
 * @param connectTimeout   the longest a connection attempt may take
 * @param statementTimeout server-side limit for each statement
 * @param lockTimeout      server-side limit for waiting on a lock; short, so that dbtool never
 *                         queues behind the locks it is diagnosing
 */
public record SessionSettings(String applicationName, Duration connectTimeout,
                              Duration statementTimeout, Duration lockTimeout) {

    /**
     * The defaults: 5 s to connect, 5 s per statement, 500 ms for a lock.
     *
     * @return the default settings with {@code application_name} {@code dbtool}
     */
    public static SessionSettings defaults() {
        return new SessionSettings("dbtool", Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMillis(500));
    }
}
