package dbtool.core.run;

import dbtool.spi.Credentials;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Credentials whose release (e.g. revoking a Vault lease, so that a dynamic database role
 * disappears) has not run yet. The runner releases them when the command ends; when the process
 * is ended by SIGINT or SIGTERM instead, the shutdown hook ({@link #installShutdownHook}) releases
 * what is left, within a time limit so that a hanging Vault cannot keep the process alive.
 */
public final class PendingReleases {

    /** How long the shutdown hook waits for the releases: enough for a few HTTP calls, short enough for a SIGTERM. */
    public static final Duration SHUTDOWN_LIMIT = Duration.ofSeconds(3);

    private static final Set<Credentials> PENDING = ConcurrentHashMap.newKeySet();
    private static volatile boolean hookInstalled;

    private PendingReleases() {
    }

    /** Records credentials to release at the latest when the process ends. */
    public static Credentials register(Credentials credentials) {
        PENDING.add(credentials);
        return credentials;
    }

    /** The credentials were released (or their release was attempted): nothing left for the shutdown hook. */
    public static void done(Credentials credentials) {
        PENDING.remove(credentials);
    }

    /** How many credentials are still to be released. */
    public static int size() {
        return PENDING.size();
    }

    /**
     * Releases everything still pending, each on its own thread, waiting at most {@code limit} in all.
     *
     * @return how many releases did not finish in time
     */
    public static int releaseAll(Duration limit) {
        List<Thread> threads = new ArrayList<>();
        for (Credentials credentials : List.copyOf(PENDING)) {
            PENDING.remove(credentials);
            threads.add(Thread.ofPlatform().daemon().name("dbtool-release").start(() -> {
                try {
                    credentials.release();
                } catch (RuntimeException e) {
                    System.err.println("dbtool: " + TroubleshootRunner.reason(e));
                } finally {
                    credentials.close();
                }
            }));
        }
        long end = System.nanoTime() + limit.toNanos();
        int unfinished = 0;
        for (Thread thread : threads) {
            try {
                long left = end - System.nanoTime();
                if (left <= 0 ? thread.isAlive() : !thread.join(Duration.ofNanos(left))) {
                    unfinished++;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                unfinished++;
            }
        }
        return unfinished;
    }

    /**
     * Installs, once per process, the hook that releases pending credentials when the JVM is ended
     * by a signal (SIGINT, SIGTERM) or System.exit before the runner could do it.
     */
    public static synchronized void installShutdownHook() {
        if (hookInstalled) {
            return;
        }
        hookInstalled = true;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> releaseAll(SHUTDOWN_LIMIT), "dbtool-shutdown-release"));
    }
}
