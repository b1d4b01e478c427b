package dbtool.monitoring.anomaly;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Where a target's metric history comes from: dbtool serve's state store, or Prometheus. */
public interface HistorySource extends AutoCloseable {

    /** A stretch of time, {@code from} inclusive, {@code to} exclusive. */
    record Period(Instant from, Instant to) {
    }

    /** When the target's history starts; empty when there is none. */
    Optional<Instant> oldest(String target) throws Exception;

    /** The target's values of the given families within the periods, by family, oldest first. */
    Map<String, List<Point>> history(String target, Set<String> families, List<Period> periods) throws Exception;

    /** Where it reads, for messages (no password). */
    String description();

    @Override
    default void close() {
    }
}
