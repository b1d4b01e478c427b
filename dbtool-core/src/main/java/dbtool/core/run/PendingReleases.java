package dbtool.core.run;

import dbtool.spi.Credentials;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Credentials whose release (e.g. revoking a Vault lease, so that a dynamic database role
 * disappears) has not run yet. The runner releases them when the command ends; when the process
 * is ended by SIGINT or SIGTERM instead, the shutdown hook ({@link #installShutdownHook}) releases
 * what is left, within a time limit so that a hanging Vault cannot keep the process alive.
 * The process has one ({@link #process()}); tests make their own.
 */
public final class PendingReleases {

    /** How long the shutdown hook waits for the releases: enough for a few HTTP calls, short enough for a SIGTERM. */
    public static final Duration SHUTDOWN_LIMIT = Duration.ofSeconds(3);

    private static final PendingReleases PROCESS = new PendingReleases();

    private final Set<Credentials> pending = ConcurrentHashMap.newKeySet();
    private boolean hookInstalled;

    /** The process's pending releases, which its shutdown hook releases. */
    public static PendingReleases process() {
        return PROCESS;
    }

    /** Records credentials to release at the latest when the process ends. */
    public Credentials register(Credentials credentials) {
        pending.add(credentials);
        return credentials;
    }

    /** The credentials were released (or their release was attempted): nothing left for the shutdown hook. */
    public void done(Credentials credentials) {
        pending.remove(credentials);
    }

    /** How many credentials are still to be released. */
    public int size() {
        return pending.size();
    }

    /**
     * Releases everything still pending, each on its own thread, waiting at most {@code limit} in all.
     *
     * @return how many releases did not finish in time
     */
    public int releaseAll(Duration limit) {
        List<Thread> threads = new ArrayList<>();
        for (Credentials credentials : List.copyOf(pending)) {
            pending.remove(credentials);
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
     * Releases what is left within the limit and says how many were not: their leases stay until
     * they expire (their TTL), and whoever reads stderr or the run log should know.
     *
     * @return how many releases did not finish in time
     */
    public int releaseAtExit(Duration limit, Consumer<String> report) {
        int unfinished = releaseAll(limit);
        if (unfinished > 0) {
            String message = unfinished + " credential lease" + (unfinished == 1 ? " was" : "s were") + " not revoked within "
                    + limit.toSeconds() + " s of the shutdown; " + (unfinished == 1 ? "it stays" : "they stay")
                    + " until " + (unfinished == 1 ? "its" : "their") + " TTL ends";
            System.err.println("dbtool: " + message);
            report.accept(message);
        }
        return unfinished;
    }

    /**
     * Installs, once per process, the hook that releases pending credentials when the JVM is ended
     * by a signal (SIGINT, SIGTERM) or System.exit before the runner could do it.
     *
     * @param runLog where the hook also reports leases it could not revoke (the run log, if still open)
     */
    public static void installShutdownHook(Consumer<String> runLog) {
        synchronized (PROCESS) {
            if (PROCESS.hookInstalled) {
                return;
            }
            PROCESS.hookInstalled = true;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> PROCESS.releaseAtExit(SHUTDOWN_LIMIT, runLog),
                "dbtool-shutdown-release"));
    }
}
