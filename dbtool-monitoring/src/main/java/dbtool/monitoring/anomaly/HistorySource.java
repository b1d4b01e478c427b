package dbtool.monitoring.anomaly;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Where a target's metric history comes from: dbtool serve's state store, or Prometheus. */
public interface HistorySource extends AutoCloseable {

    /** The history of the given families of a target since {@code since}, by family. */
    Map<String, List<Point>> history(String target, Set<String> families, Instant since) throws Exception;

    /** Where it reads, for messages (no password). */
    String description();

    @Override
    default void close() {
    }
}
