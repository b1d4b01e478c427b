package dbtool.serve.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Checks every served target on an interval. Each target has a loop of its own on a virtual
 * thread, so it runs at most once at a time (one connection per target) and a slow or dead target
 * only delays itself: the others keep their rhythm. At most {@code parallel} runs are in progress
 * at once, across targets; each run is bounded by its deadline, so a slot is never held for long.
 *
 * <p>Runs start at a fixed rate (the interval counts from the start of the previous run, so a slow
 * run does not make the schedule drift), each moved by up to 10% either way, and the first ones are
 * spread over the first interval's first seconds: a fleet of targets is not sampled in lockstep.
 */
public final class Scheduler {

    /** One run of one target: plans and troubleshoots it, and never throws. */
    @FunctionalInterface
    public interface Probe {
        Sample run(String target) throws InterruptedException;
    }

    static final Duration FIRST_RUN_SPREAD = Duration.ofSeconds(2);

    private final ServeState state;
    private final Duration interval;
    private final Semaphore slots;
    private final Consumer<String> log;
    private volatile Probe probe;
    private final Map<String, TargetLoop> loops = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> runs = new ConcurrentHashMap<>();
    private final AtomicBoolean stopping = new AtomicBoolean();

    public Scheduler(ServeState state, Duration interval, int parallel, Probe probe, Consumer<String> log) {
        this.state = state;
        this.interval = interval;
        this.slots = new Semaphore(parallel);
        this.probe = probe;
        this.log = log;
    }

    /**
     * Serves exactly these targets from now on: loops start for new ones, stop for removed ones
     * (after their run in progress), and continue for the rest with the new probe (a reloaded
     * configuration) from their next run.
     */
    public synchronized void serve(Collection<String> targets, Probe newProbe) {
        if (stopping.get()) {
            return;
        }
        this.probe = newProbe;
        for (Map.Entry<String, TargetLoop> entry : loops.entrySet()) {
            if (!targets.contains(entry.getKey())) {
                entry.getValue().stop();
                loops.remove(entry.getKey());
            }
        }
        for (String target : targets) {
            loops.computeIfAbsent(target, TargetLoop::new);
        }
        state.retain(targets);
        runs.keySet().retainAll(targets);
    }

    /** As {@link #serve(Collection, Probe)}, with the probe in use. */
    public void serve(Collection<String> targets) {
        serve(targets, probe);
    }

    /** The targets served now. */
    public List<String> targets() {
        return loops.keySet().stream().sorted().toList();
    }

    /** Completed runs per target since start (a counter for /metrics). */
    public Map<String, Long> runs() {
        Map<String, Long> copy = new TreeMap<>();
        runs.forEach((target, count) -> copy.put(target, count.sum()));
        return copy;
    }

    /** Runs in progress now. */
    public int inProgress() {
        return (int) loops.values().stream().filter(TargetLoop::running).count();
    }

    /**
     * The SIGTERM drain: no run starts any more, runs in progress get up to {@code drain} to finish (and
     * release their credentials, which revokes their leases), then they are interrupted.
     *
     * @return how many runs were still in progress when the drain ended
     */
    public int stop(Duration drain) throws InterruptedException {
        stopping.set(true);
        List<TargetLoop> all;
        synchronized (this) {
            all = List.copyOf(loops.values());
        }
        all.forEach(TargetLoop::stop);
        long end = System.nanoTime() + drain.toNanos();
        int unfinished = 0;
        for (TargetLoop loop : all) {
            long left = end - System.nanoTime();
            if (!loop.thread.join(Duration.ofNanos(Math.max(1, left)))) {
                loop.thread.interrupt();
                unfinished++;
            }
        }
        return unfinished;
    }

    private final class TargetLoop {
        private final String target;
        private final Thread thread;
        private final AtomicBoolean stopped = new AtomicBoolean();
        private volatile boolean running;

        TargetLoop(String target) {
            this.target = target;
            this.thread = Thread.ofVirtual().name("dbtool-serve-" + target).start(this::loop);
        }

        boolean running() {
            return running;
        }

        /** Ends the loop: a sleeping loop wakes at once, a running one ends after its run. */
        void stop() {
            stopped.set(true);
            if (!running) {
                thread.interrupt();
            }
        }

        private void loop() {
            long next = System.nanoTime() + randomNanos(Math.min(interval.toNanos(), FIRST_RUN_SPREAD.toNanos()));
            try {
                while (!stopped.get()) {
                    sleepUntil(next);
                    long start = System.nanoTime();
                    runOnce();
                    long jitter = interval.toNanos() / 10;
                    next = start + interval.toNanos() + (jitter == 0 ? 0 : ThreadLocalRandom.current().nextLong(-jitter, jitter + 1));
                    if (next < System.nanoTime()) {
                        next = System.nanoTime(); // the run took longer than the interval: the next one starts now
                    }
                }
            } catch (InterruptedException e) {
                // stopped while waiting: nothing in progress
            }
        }

        private void runOnce() throws InterruptedException {
            slots.acquire();
            // Checked after the wait for a slot: a stop or removal during it must not start a run.
            if (stopped.get()) {
                slots.release();
                return;
            }
            running = true;
            try {
                Sample sample;
                try {
                    sample = probe.run(target);
                } catch (RuntimeException e) {
                    // A bug in a check or plugin must not end the loop: the target shows UNKNOWN with the reason.
                    sample = Sample.failed(target, e.getClass().getSimpleName() + ": " + e.getMessage(), Instant.now());
                    log.accept(target + ": run failed: " + sample.error());
                }
                if (loops.get(target) == this) { // a target removed by a reload while it ran stays removed
                    state.record(sample);
                }
                runs.computeIfAbsent(target, t -> new LongAdder()).increment();
            } finally {
                running = false;
                slots.release();
            }
        }

        private void sleepUntil(long nanoTime) throws InterruptedException {
            long left = nanoTime - System.nanoTime();
            if (left > 0) {
                TimeUnit.NANOSECONDS.sleep(left);
            }
        }
    }

    private static long randomNanos(long bound) {
        return bound <= 0 ? 0 : ThreadLocalRandom.current().nextLong(bound);
    }
}
