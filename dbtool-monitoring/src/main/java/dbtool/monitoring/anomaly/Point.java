package dbtool.monitoring.anomaly;

import java.time.Instant;

/** One value of a metric's history. */
public record Point(Instant at, double value) {
}
