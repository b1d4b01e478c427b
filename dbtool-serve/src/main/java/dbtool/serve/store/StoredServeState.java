package dbtool.serve.store;

import dbtool.core.DbtoolException;
import dbtool.core.report.JsonReportReader;
import dbtool.core.report.JsonReportWriter;
import dbtool.serve.schedule.MemoryServeState;
import dbtool.serve.schedule.Sample;
import dbtool.serve.schedule.ServeState;
import java.util.Collection;
import java.util.Optional;
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

    private final MemoryServeState cache = new MemoryServeState();
    private final StateStore store;
    private final Consumer<String> log;

    private StoredServeState(StateStore store, Consumer<String> log) {
        this.store = store;
        this.log = log;
    }

    /** Starts from the reports the store has for {@code targets}, each marked as restored with the time it was saved. */
    public static StoredServeState load(StateStore store, Collection<String> targets, Consumer<String> log) {
        StoredServeState state = new StoredServeState(store, log);
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
        } catch (DbtoolException e) {
            // The shared database may be away for a while: serving what was sampled matters more than keeping it.
            log.accept(e.getMessage());
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
