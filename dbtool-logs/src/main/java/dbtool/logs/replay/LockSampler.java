package dbtool.logs.replay;

import dbtool.core.run.TroubleshootRunner;
import dbtool.spi.ActiveSession;
import dbtool.spi.Activity;
import dbtool.spi.ActivityView;
import dbtool.spi.CheckContext;
import dbtool.spi.EngineSession;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Samples the replay target's blocking forest while the replay runs, through the plugin's own
 * {@link ActivityView} (the query {@code dbtool top} and the blocking-chain check read): every
 * {@link #INTERVAL}, each session waiting on another's lock is one sample. Keeps the first
 * {@link #KEPT} samples, counts them all.
 */
final class LockSampler implements AutoCloseable {

    static final Duration INTERVAL = Duration.ofMillis(500);
    private static final int KEPT = 500;
    private static final Duration BUDGET = Duration.ofSeconds(5);

    /** Opens a session on the replay target for the sampling. */
    interface Opener {
        EngineSession open() throws Exception;
    }

    private final Opener opener;
    private final long startNanos = System.nanoTime();
    private final List<Map<String, Object>> kept = new ArrayList<>();
    private final Thread thread;
    private volatile boolean stopped;
    private long samples;
    private String problem;

    LockSampler(Opener opener) {
        this.opener = opener;
        this.thread = Thread.ofPlatform().daemon().name("dbtool-replay-locks").start(this::loop);
    }

    private void loop() {
        try (EngineSession session = opener.open()) {
            if (!(session instanceof ActivityView view)) {
                problem = "the plugin offers no view of the sessions: lock waits were not sampled";
                return;
            }
            while (!stopped) {
                sample(view.activity(context()));
                TimeUnit.MILLISECONDS.sleep(INTERVAL.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            synchronized (this) {
                problem = "lock waits were sampled until this failed: " + TroubleshootRunner.reason(e);
            }
        }
    }

    private synchronized void sample(Activity activity) {
        long at = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        for (ActiveSession session : activity.sessions()) {
            if (session.blockedBy().isEmpty()) {
                continue;
            }
            samples++;
            if (kept.size() < KEPT) {
                Map<String, Object> wait = new LinkedHashMap<>();
                wait.put("atMs", at);
                wait.put("session", session.id());
                wait.put("application", String.valueOf(session.application()));
                wait.put("blockedBy", String.join(",", session.blockedBy()));
                wait.put("waitEvent", String.valueOf(session.waitEvent()));
                wait.put("waitingMs", session.running() == null ? -1 : session.running().toMillis());
                wait.put("template", session.query() == null ? "" : Templates.of(session.query()));
                kept.add(wait);
            }
        }
    }

    private static CheckContext context() {
        Instant deadline = Instant.now().plus(BUDGET);
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

    synchronized List<Map<String, Object>> waits() {
        return List.copyOf(kept);
    }

    synchronized long samples() {
        return samples;
    }

    synchronized String problem() {
        return problem;
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
