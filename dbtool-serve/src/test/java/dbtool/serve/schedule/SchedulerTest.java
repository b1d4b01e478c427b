package dbtool.serve.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.serve.Reports;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The scheduler's promises, with probes that take as long as a real run may: no database needed for timing. */
class SchedulerTest {

    private final ServeState state = new MemoryServeState();

    private static Sample sample(String target) {
        return Sample.of(target, Reports.healthy(target), Instant.now());
    }

    @Test
    void aDeadTargetDoesNotDelayTheOthers() throws Exception {
        Scheduler scheduler = new Scheduler(state, Duration.ofMillis(100), 2, target -> {
            if (target.equals("dead")) {
                Thread.sleep(3_000); // a frozen server: the run lasts until its deadline
            }
            return sample(target);
        }, message -> { });
        scheduler.serve(List.of("dead", "fast"));
        Thread.sleep(3_000);
        Map<String, Long> runs = scheduler.runs();
        scheduler.stop(Duration.ZERO);
        assertTrue(runs.getOrDefault("fast", 0L) >= 10, "fast target runs while the dead one hangs: " + runs);
        assertTrue(runs.getOrDefault("dead", 0L) <= 1, runs.toString());
    }

    @Test
    void eachTargetRunsOnceAtATimeAndAtMostParallelRunAtOnce() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        Map<String, AtomicInteger> perTarget = new ConcurrentHashMap<>();
        Map<String, Integer> mostPerTarget = new ConcurrentHashMap<>();
        Scheduler scheduler = new Scheduler(state, Duration.ofMillis(10), 3, target -> {
            int now = running.incrementAndGet();
            mostAtOnce.accumulateAndGet(now, Math::max);
            int mine = perTarget.computeIfAbsent(target, t -> new AtomicInteger()).incrementAndGet();
            mostPerTarget.merge(target, mine, Math::max);
            try {
                Thread.sleep(50); // longer than the interval: the next run of this target must wait for it
                return sample(target);
            } finally {
                perTarget.get(target).decrementAndGet();
                running.decrementAndGet();
            }
        }, message -> { });
        scheduler.serve(List.of("a", "b", "c", "d", "e", "f", "g", "h"));
        Thread.sleep(1_500);
        scheduler.stop(Duration.ofSeconds(2));
        assertEquals(3, mostAtOnce.get(), "the --parallel bound is reached and never passed");
        mostPerTarget.forEach((target, most) -> assertEquals(1, most, target + " ran twice at once"));
        assertEquals(8, state.all().size());
    }

    @Test
    void aReloadStartsNewTargetsAndForgetsRemovedOnes() throws Exception {
        Scheduler scheduler = new Scheduler(state, Duration.ofMillis(50), 4, SchedulerTest::sample, message -> { });
        scheduler.serve(List.of("a", "b"));
        Thread.sleep(Scheduler.FIRST_RUN_SPREAD.toMillis() / 20 + 300);
        scheduler.serve(List.of("b", "c"));
        Thread.sleep(400);
        scheduler.stop(Duration.ofSeconds(1));
        assertEquals(List.of("b", "c"), state.all().stream().map(Sample::target).toList());
        assertEquals(List.of("b", "c"), scheduler.targets());
    }

    @Test
    void stoppingLetsARunInProgressFinishAndRecordItsSample() throws Exception {
        AtomicInteger started = new AtomicInteger();
        Scheduler scheduler = new Scheduler(state, Duration.ofMillis(10), 1, target -> {
            started.incrementAndGet();
            Thread.sleep(500);
            return sample(target);
        }, message -> { });
        scheduler.serve(List.of("only"));
        while (started.get() == 0 || scheduler.inProgress() == 0) {
            Thread.sleep(5);
        }
        assertEquals(0, scheduler.stop(Duration.ofSeconds(5)), "the run finished within the drain");
        assertTrue(state.last("only").isPresent(), "the drained run's sample is kept");
        assertEquals(1, started.get(), "no run starts once stopping");
    }
}
