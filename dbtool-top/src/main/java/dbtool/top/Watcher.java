package dbtool.top;

import dbtool.core.run.Deadline;
import dbtool.core.run.TroubleshootRunner;
import dbtool.spi.Activity;
import dbtool.spi.ActiveSession;
import dbtool.spi.ActivityView;
import dbtool.spi.CheckContext;
import dbtool.spi.EngineSession;
import dbtool.spi.QueryPlan;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the one session and reads snapshots and plans on one worker thread, so that the screen never
 * waits for the server and the server never sees two statements from dbtool at once.
 *
 * <ul>
 * <li>A refresh is started only when the one before it has finished: a slow server makes refreshes
 *     late (the status says for how long), never stacked.
 * <li>Each refresh and plan has a budget (its deadline); the session's statement timeout and lock
 *     timeout bound it on the server as well.
 * <li>A failure other than a timeout drops the session (the connection is gone or unusable); the
 *     next attempt opens a new one after a backoff of 1, 2, 4 ... 30 s, and the status says so.
 * </ul>
 */
final class Watcher implements AutoCloseable {

    /** Opens a new session on the target (not connected yet: connecting happens on first use). */
    interface Opener {
        EngineSession open() throws Exception;
    }

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final Opener opener;
    private final Duration budget;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().name("dbtool-top").unstarted(r));
    private EngineSession session; // touched by the worker only, and by close()
    private volatile Frame frame;
    private volatile String problem;
    private volatile Runnable changed = () -> { };
    private Future<?> refreshing;
    private long refreshStartedNanos;
    private int failures;
    private long retryAtNanos;
    private volatile String planFor;
    private volatile QueryPlan plan;

    Watcher(Opener opener, Duration budget) {
        this.opener = opener;
        this.budget = budget;
    }

    /** Called after every refresh or plan, from the worker: the screen redraws. */
    void onChange(Runnable listener) {
        this.changed = listener;
    }

    /** Starts a refresh unless one is still running (then it is late) or a reconnect waits for its backoff. Returns whether it started. */
    synchronized boolean refresh() {
        if (refreshing != null && !refreshing.isDone()) {
            return false;
        }
        if (System.nanoTime() < retryAtNanos) {
            return false;
        }
        refreshStartedNanos = System.nanoTime();
        refreshing = worker.submit(this::readSnapshot);
        return true;
    }

    /** Reads one snapshot on the calling thread (for --once); throws what the engine threw. */
    Frame readNow() throws Exception {
        Future<Frame> read = worker.submit(() -> {
            long start = System.nanoTime();
            Activity activity = view().activity(context());
            Frame next = Frame.after(frame, activity, (System.nanoTime() - start) / 1_000_000);
            frame = next;
            return next;
        });
        try {
            return read.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    Frame frame() {
        return frame;
    }

    /** One line for the title: the refresh running late, the connection lost, or null when all is well. */
    synchronized String status() {
        if (refreshing != null && !refreshing.isDone()) {
            long running = (System.nanoTime() - refreshStartedNanos) / 1_000_000;
            if (running > budget.toMillis()) {
                return "LATE: the refresh has run " + Units.seconds(Duration.ofMillis(running / 100 * 100)) + " (budget "
                        + Units.seconds(budget) + "); no other starts before it ends";
            }
        }
        String why = problem;
        if (why == null) {
            return null;
        }
        long wait = retryAtNanos - System.nanoTime();
        return wait > 0 ? why + "; reconnecting in " + (TimeUnit.NANOSECONDS.toSeconds(wait) + 1) + " s" : why;
    }

    /** Asks for the plan of this session's statement; {@link #plan(String)} is null until it arrives. */
    void requestPlan(ActiveSession watched) {
        planFor = watched.id();
        plan = null;
        worker.submit(() -> {
            QueryPlan found;
            try {
                found = view().plan(watched, context());
            } catch (Exception e) {
                found = QueryPlan.unavailable(TroubleshootRunner.reason(e));
            }
            if (watched.id().equals(planFor)) {
                plan = found;
            }
            changed.run();
        });
    }

    QueryPlan plan(String sessionId) {
        return sessionId.equals(planFor) ? plan : null;
    }

    private void readSnapshot() {
        long start = System.nanoTime();
        try {
            Activity activity = view().activity(context());
            frame = Frame.after(frame, activity, (System.nanoTime() - start) / 1_000_000);
            synchronized (this) {
                problem = null;
                failures = 0;
            }
        } catch (Exception e) {
            failed(e);
        }
        changed.run();
    }

    private void failed(Exception e) {
        String reason = TroubleshootRunner.reason(e);
        synchronized (this) {
            if (timeout(e)) {
                // The server is slow, not gone: keep the session, the next refresh tries again.
                problem = "the last refresh was cancelled after its budget of " + Units.seconds(budget) + ": " + reason;
                return;
            }
            failures++;
            long backoff = Math.min(MAX_BACKOFF.toMillis(), 1000L << Math.min(5, failures - 1));
            retryAtNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoff);
            problem = (frame == null ? "cannot read the server: " : "connection lost: ") + reason;
        }
        closeSession();
    }

    private static boolean timeout(Exception e) {
        return e instanceof SQLTimeoutException || e instanceof SQLException sql && "57014".equals(sql.getSQLState());
    }

    private ActivityView view() throws Exception {
        if (session == null) {
            session = opener.open();
        }
        return (ActivityView) session;
    }

    private CheckContext context() {
        return Deadline.start(budget).context();
    }

    private void closeSession() {
        EngineSession current = session;
        session = null;
        if (current != null) {
            current.close();
        }
    }

    /** Stops the statement running, if any, and closes the session without waiting on a frozen server for long. */
    @Override
    public void close() {
        EngineSession current = session;
        if (current != null) {
            current.cancel();
        }
        worker.shutdownNow();
        try {
            worker.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (session != null) {
            Thread.ofPlatform().daemon().start(this::closeSession);
        }
    }
}
