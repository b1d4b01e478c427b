package dbtool.serve.schedule;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** The last samples in memory, sorted by target name (so /metrics and /health list targets in a stable order). */
public final class MemoryServeState implements ServeState {

    private final ConcurrentSkipListMap<String, Sample> samples = new ConcurrentSkipListMap<>();

    @Override
    public void record(Sample sample) {
        samples.put(sample.target(), sample);
    }

    @Override
    public Optional<Sample> last(String target) {
        return Optional.ofNullable(samples.get(target));
    }

    @Override
    public Collection<Sample> all() {
        return List.copyOf(samples.values());
    }

    @Override
    public void retain(Collection<String> targets) {
        samples.keySet().retainAll(targets);
    }
}
