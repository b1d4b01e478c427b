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
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The last samples in memory, each report also kept in the state store: a restarted {@code dbtool
 * serve}, or a sibling replica sharing a PostgreSQL store, starts from the reports last seen
 * instead of nothing.
 *
 * <p>{@link #last} also shows what siblings stored since: when a replica's own sample of a target is
 * older than the report a sibling saved for it (two replicas checking the same targets), /health and
 * the API answer with the sibling's, marked restored. The store is looked at on such a read at most
 * once per {@code refreshEvery} (a cheap query of save times; bodies are read only for reports newer
 * than what this replica has), so probes hitting /health often cost the store one small query every
 * few seconds. {@link #all}, which /metrics reads, stays this process's own: a scrape never reaches
 * the store, and a sibling's numbers are its own to export.
 *
 * <p>A run that could not start (no report) stays in memory only: the store keeps the last report,
 * and a restarted process says PENDING for such a target until its first run, not an old error.
 */
public final class StoredServeState implements ServeState {

    /** How stale a replica's view of its siblings' reports may get. */
    public static final Duration SIBLING_REFRESH = Duration.ofSeconds(5);
    /** How far apart the kept history values of one target are at least. */
    public static final Duration HISTORY_STEP = Duration.ofMinutes(5);
    /** How long metric history is kept: four weeks of hour-of-week profile, and a margin. */
    public static final Duration HISTORY_KEPT = Duration.ofDays(35);

    private final MemoryServeState cache = new MemoryServeState();
    private final StateStore store;
    private final Consumer<String> log;
    private final long refreshNanos;
    private final Map<String, Instant> savedHere = new ConcurrentHashMap<>();
    private final Map<String, Sample> siblings = new ConcurrentHashMap<>();
    private final Map<String, Instant> unreadable = new ConcurrentHashMap<>();
    private volatile Set<String> served;
    private final Object refreshing = new Object();
    private long refreshedAt;
    private boolean refreshedOnce;
    private volatile boolean refreshFailing;
    private final Map<String, Long> lastBucket = new ConcurrentHashMap<>();
    private volatile long lastPrune;

    private StoredServeState(StateStore store, Collection<String> targets, Consumer<String> log, Duration refreshEvery) {
        this.store = store;
        this.log = log;
        this.refreshNanos = refreshEvery.toNanos();
        this.served = Set.copyOf(targets);
    }

    /** Starts from the reports the store has for {@code targets}, each marked as restored with the time it was saved. */
    public static StoredServeState load(StateStore store, Collection<String> targets, Consumer<String> log) {
        return load(store, targets, log, SIBLING_REFRESH);
    }

    /** As {@link #load(StateStore, Collection, Consumer)}, looking for siblings' reports at most once per {@code refreshEvery}. */
    public static StoredServeState load(StateStore store, Collection<String> targets, Consumer<String> log, Duration refreshEvery) {
        StoredServeState state = new StoredServeState(store, targets, log, refreshEvery);
        // The anomaly check of this process's runs reads the history through this store, not a second H2 engine.
        StateStore.serving(store);
        if (targets.isEmpty()) {
            return state;
        }
        for (StateStore.LastReport kept : store.lastReports(targets)) {
            Sample restored = state.read(kept);
            if (restored != null) {
                state.cache.record(restored);
            }
        }
        return state;
    }

    @Override
    public void record(Sample sample) {
        cache.record(sample);
        siblings.remove(sample.target()); // this run is newer than anything seen from a sibling
        if (sample.report() == null) {
            return;
        }
        try {
            savedHere.put(sample.target(), store.saveLastReport(sample.target(), JsonReportWriter.toJson(sample.report())));
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

    /** This replica's last sample of the target, or a sibling's report when the sibling stored a newer one. */
    @Override
    public Optional<Sample> last(String target) {
        refreshIfDue();
        Sample sibling = siblings.get(target);
        return sibling != null ? Optional.of(sibling) : cache.last(target);
    }

    @Override
    public boolean sampledHere(String target) {
        return cache.last(target).filter(sample -> !sample.restored()).isPresent();
    }

    @Override
    public Collection<Sample> all() {
        return cache.all();
    }

    @Override
    public void retain(Collection<String> targets) {
        cache.retain(targets);
        siblings.keySet().retainAll(targets);
        unreadable.keySet().retainAll(targets);
        savedHere.keySet().retainAll(targets);
        served = Set.copyOf(targets);
    }

    private void refreshIfDue() {
        synchronized (refreshing) {
            long now = System.nanoTime();
            if (refreshedOnce && now - refreshedAt < refreshNanos) {
                return;
            }
            refreshedOnce = true;
            refreshedAt = now;
            Set<String> targets = served;
            if (targets.isEmpty()) {
                return;
            }
            try {
                List<String> newer = new ArrayList<>();
                store.savedTimes(targets).forEach((target, savedAt) -> {
                    if (savedAt.isAfter(seen(target))) {
                        newer.add(target);
                    }
                });
                if (!newer.isEmpty()) {
                    for (StateStore.LastReport kept : store.lastReports(newer)) {
                        Sample sibling = read(kept);
                        if (sibling != null && kept.savedAt().isAfter(seen(kept.target())) && targets.contains(kept.target())) {
                            siblings.put(kept.target(), sibling);
                        }
                    }
                }
                if (refreshFailing) {
                    refreshFailing = false;
                    log.accept("the state store answers again: sibling replicas' reports are shown");
                }
            } catch (DbtoolException e) {
                if (!refreshFailing) {
                    refreshFailing = true; // said once, not at every probe while the store is away
                    log.accept(e.getMessage() + "; /health shows this replica's own samples meanwhile");
                }
            }
        }
    }

    /** The newest save time of the target this replica knows of: its own save, its own sample, or a sibling's report. */
    private Instant seen(String target) {
        Instant seen = Instant.MIN;
        Instant own = savedHere.get(target);
        if (own != null) {
            seen = own;
        }
        Optional<Sample> sample = cache.last(target);
        if (sample.isPresent() && sample.get().at().isAfter(seen)) {
            seen = sample.get().at();
        }
        Sample sibling = siblings.get(target);
        if (sibling != null && sibling.at().isAfter(seen)) {
            seen = sibling.at();
        }
        Instant skipped = unreadable.get(target);
        if (skipped != null && skipped.isAfter(seen)) {
            seen = skipped; // said once; read again only when a newer report is saved
        }
        return seen;
    }

    private Sample read(StateStore.LastReport kept) {
        try {
            return Sample.restored(kept.target(), JsonReportReader.fromJson(kept.body()), kept.savedAt());
        } catch (IllegalArgumentException e) {
            // written by another dbtool version: this replica's next run replaces it
            unreadable.put(kept.target(), kept.savedAt());
            log.accept(kept.target() + ": the kept report cannot be read (" + e.getMessage() + "); waiting for the next run");
            return null;
        }
    }
}
