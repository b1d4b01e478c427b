package dbtool.serve.store;

import dbtool.core.DbtoolException;
import dbtool.core.report.JsonReportReader;
import dbtool.core.report.JsonReportWriter;
import dbtool.serve.metrics.MetricValues;
import dbtool.serve.schedule.MemoryServeState;
import dbtool.serve.schedule.Sample;
import dbtool.serve.schedule.ServeState;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The last samples in memory, each report also kept in the state store: a restarted {@code dbtool
 * serve}, or a sibling replica sharing a PostgreSQL store, starts from the reports last seen
 * instead of nothing. Reads never reach the store (a scrape every few seconds would otherwise be a
 * query each); only {@link #load} reads it, once, at start.
 *
 * <p>A run that could not start (no report) stays in memory only: the store keeps the last report,
 * and a restarted process says PENDING for such a target until its first run, not an old error.
 */
public final class StoredServeState implements ServeState {

    /** How far apart the kept history values of one target are at least. */
    public static final Duration HISTORY_STEP = Duration.ofMinutes(5);
    /** How long metric history is kept: four weeks of hour-of-week profile, and a margin. */
    public static final Duration HISTORY_KEPT = Duration.ofDays(35);

    private final MemoryServeState cache = new MemoryServeState();
    private final StateStore store;
    private final Consumer<String> log;
    private final Map<String, Long> lastBucket = new ConcurrentHashMap<>();
    private volatile long lastPrune;


    private StoredServeState(StateStore store, Consumer<String> log) {
        this.store = store;
        this.log = log;
    }

    /** Starts from the reports the store has for {@code targets}, each marked as restored with the time it was saved. */
    public static StoredServeState load(StateStore store, Collection<String> targets, Consumer<String> log) {
        StoredServeState state = new StoredServeState(store, log);
        // The anomaly check of this process's runs reads the history through this store, not a second H2 engine.
        StateStore.serving(store);
        if (targets.isEmpty()) {
            return state;
        }
        for (StateStore.LastReport kept : store.lastReports(targets)) {
            try {
                state.cache.record(Sample.restored(kept.target(), JsonReportReader.fromJson(kept.body()), kept.savedAt()));
            } catch (IllegalArgumentException e) {
                // written by another dbtool version: the first run replaces it
                log.accept(kept.target() + ": the kept report cannot be read (" + e.getMessage() + "); waiting for the first run");
            }
        }
        return state;
    }

    @Override
    public void record(Sample sample) {
        cache.record(sample);
        if (sample.report() == null) {
            return;
        }
        try {
            store.saveLastReport(sample.target(), JsonReportWriter.toJson(sample.report()));
            keepHistory(sample);
        } catch (DbtoolException e) {
            // The shared database may be away for a while: serving what was sampled matters more than keeping it.
            log.accept(e.getMessage());
        }
    }

    /**
     * Keeps the run's gauges as metric history, one run per {@link #HISTORY_STEP} and target (the first run of
     * each step), so that a fleet checked every 30 s keeps a tenth of its samples; values older than
     * {@link #HISTORY_KEPT} are dropped once an hour. The anomaly check of dbtool.monitoring reads it.
     */
    private void keepHistory(Sample sample) {
        long step = HISTORY_STEP.toMillis();
        long bucket = sample.at().toEpochMilli() / step;
        Long previous = lastBucket.put(sample.target(), bucket);
        if (previous != null && previous == bucket) {
            return;
        }
        Map<String, Double> values = new LinkedHashMap<>();
        for (MetricValues.Gauge gauge : MetricValues.gauges(sample.report().checks())) {
            values.putIfAbsent(gauge.family(), gauge.value());
        }
        store.saveMetrics(sample.target(), Instant.ofEpochMilli(bucket * step), values);
        long now = sample.at().toEpochMilli();
        if (now - lastPrune >= Duration.ofHours(1).toMillis()) {
            lastPrune = now;
            store.pruneMetrics(sample.at().minus(HISTORY_KEPT));
        }
    }

    @Override
    public Optional<Sample> last(String target) {
        return cache.last(target);
    }

    @Override
    public Collection<Sample> all() {
        return cache.all();
    }

    @Override
    public void retain(Collection<String> targets) {
        cache.retain(targets);
    }
}
