package dbtool.serve.http;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Background work that a request starts and does not wait for (an alert's diagnosis): at most
 * {@code workers} tasks run at once, at most {@code capacity} wait, and past that
 * {@link #submit(Runnable)} answers 429 instead of growing threads or memory without bound.
 * Workers are virtual threads: a task waiting on a database holds no platform thread.
 */
public final class WorkQueue implements AutoCloseable {

    private final ThreadPoolExecutor executor;
    private final int capacity;

    public WorkQueue(String name, int workers, int capacity) {
        if (workers < 1 || capacity < 0) {
            throw new IllegalArgumentException("workers " + workers + ", capacity " + capacity);
        }
        this.capacity = capacity;
        this.executor = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.SECONDS,
                capacity == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(capacity),
                Thread.ofVirtual().name(name + "-", 0).factory(), new ThreadPoolExecutor.AbortPolicy());
    }

    /** Queues the task, or throws a 429 {@link HttpFailure} when the queue is full or closing. */
    public void submit(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            throw HttpFailure.tooManyRequests(executor.isShutdown() ? "shutting down: not accepting work"
                    : "busy: " + capacity + " requests already queued; retry later");
        }
    }

    /** Tasks waiting or running. */
    public int pending() {
        return executor.getQueue().size() + executor.getActiveCount();
    }

    /** Stops taking work and waits up to {@code seconds} for what was queued (the SIGTERM drain). */
    public boolean drain(long seconds) throws InterruptedException {
        executor.shutdown();
        return executor.awaitTermination(seconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
