package dbtool.spi;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One snapshot for {@code dbtool top}.
 *
 * @param takenAt    when the server was read
 * @param statements how many statements the snapshot sent (what a refresh costs the server)
 * @param load       the header's figures as the engine words them, in order, e.g.
 *                   {@code connections -> "12 of 100"}, {@code replication lag -> "0 s"}
 * @param counters   totals that only grow (commits, rows read, ...): the view shows their rate per
 *                   second between two snapshots, never the total since the server started
 * @param sessions   the sessions doing something (running, waiting or holding a transaction), in the
 *                   order of their blocking trees: a head blocker, then its waiters (see
 *                   {@link ActiveSession#depth()})
 */
public record Activity(Instant takenAt, int statements, Map<String, String> load, Map<String, Double> counters,
                       List<ActiveSession> sessions) {

    /** Copies the figures, counters and sessions; the maps keep the plugin's order. */
    public Activity {
        Objects.requireNonNull(takenAt, "takenAt");
        // Copies that keep the engine's order: the header shows the figures as the plugin listed them.
        load = Collections.unmodifiableMap(new LinkedHashMap<>(load));
        counters = Collections.unmodifiableMap(new LinkedHashMap<>(counters));
        sessions = List.copyOf(sessions);
    }
}
