package dbtool.core.run;

import dbtool.spi.CheckContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The one deadline of a troubleshoot ({@code --timeout}), started before anything goes on the
 * network: fetching credentials (Vault, Kerberos, DNS), opening the session and the checks all
 * happen before {@link #at()}. After it, the run still waits on the network only to cancel the
 * running statement, close the session and revoke a lease, and only within {@link #GRACE}: the run
 * ends at most {@code timeout + GRACE} after it started, whatever the servers do (docs/safety.md).
 */
public final class Deadline {

    /**
     * How long after the deadline the run may still wait on the network (cancel, close, lease
     * revocation), all together. A wait that is still going on then is abandoned on a thread of its
     * own; a server that answers at all answers these in milliseconds.
     */
    public static final Duration GRACE = Duration.ofSeconds(1);

    private final Instant startedAt;
    private final long startNanos;
    private final Duration timeout;

    private Deadline(Duration timeout) {
        this.startedAt = Instant.now();
        this.startNanos = System.nanoTime();
        this.timeout = timeout;
    }

    /** A deadline {@code timeout} from now. */
    public static Deadline start(Duration timeout) {
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout: expected a positive duration, got " + timeout);
        }
        return new Deadline(timeout);
    }

    /** The {@code --timeout} this deadline was started with. */
    public Duration timeout() {
        return timeout;
    }

    /** When the run started (the report's {@code startedAt}). */
    public Instant startedAt() {
        return startedAt;
    }

    /** The deadline on the wall clock, as checks see it ({@link dbtool.spi.CheckContext#deadline()}). */
    public Instant at() {
        return startedAt.plus(timeout);
    }

    /**
     * What a plugin's reading outside a troubleshoot sees ({@code top}'s refresh, {@code diff}'s catalog):
     * this deadline and no threshold overrides.
     */
    public CheckContext context() {
        Instant deadline = at();
        return new CheckContext() {
            @Override
            public Instant deadline() {
                return deadline;
            }

            @Override
            public Map<String, String> settings() {
                return Map.of();
            }
        };
    }

    /** Time left until the deadline, never negative. */
    public Duration remaining() {
        return Duration.ofNanos(Math.max(0, nanosLeft()));
    }

    /** Whether the deadline has passed. */
    public boolean passed() {
        return nanosLeft() <= 0;
    }

    /** Milliseconds since the run started. */
    public long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** {@link System#nanoTime()} at the deadline: waits are measured on the monotonic clock. */
    long endNanos() {
        return startNanos + timeout.toNanos();
    }

    /** {@link System#nanoTime()} at the end of the grace: nothing waits past it. */
    long graceEndNanos() {
        return endNanos() + GRACE.toNanos();
    }

    private long nanosLeft() {
        return endNanos() - System.nanoTime();
    }

    @Override
    public String toString() {
        return "Deadline[" + timeout + " from " + startedAt + "]";
    }
}
