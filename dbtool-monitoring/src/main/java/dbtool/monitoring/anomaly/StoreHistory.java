package dbtool.monitoring.anomaly;

import dbtool.serve.store.StateStore;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The metric history {@code dbtool serve} keeps in its state store (one row per 5 minutes and target). */
public final class StoreHistory implements HistorySource {

    private final StateStore store;

    public StoreHistory(StateStore store) {
        this.store = store;
    }

    @Override
    public Optional<Instant> oldest(String target) {
        return store.oldestMetrics(target);
    }

    @Override
    public Map<String, List<Point>> history(String target, Set<String> families, List<Period> periods) {
        Map<String, List<Point>> history = new LinkedHashMap<>();
        store.metricHistory(target, families, periods.stream().map(p -> new StateStore.Period(p.from(), p.to())).toList())
                .forEach((family, points) -> history.put(family, points.stream().map(p -> new Point(p.at(), p.value())).toList()));
        return history;
    }

    @Override
    public String description() {
        return "the state store " + store.description();
    }

    @Override
    public void close() {
        store.close();
    }
}
