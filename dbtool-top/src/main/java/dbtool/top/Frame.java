package dbtool.top;

import dbtool.spi.Activity;
import dbtool.spi.ActiveSession;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What one refresh shows: the snapshot and the rates since the one before it. Rates are per second
 * over the time between the two snapshots (commits/s, rows/s; CPU ms/s and I/O per second for each
 * session where the engine reports them, over how much longer its statement ran by the server's clock when
 * that is known), never totals since the server started; the first
 * snapshot has none yet, and a counter that went down (a stats reset) has none either.
 *
 * @param refreshMillis how long the refresh took, client side
 */
public record Frame(Activity activity, Map<String, Double> rates, Map<String, Double> cpuRates, Map<String, Double> ioRates,
                    long refreshMillis) {

    public static Frame first(Activity activity, long refreshMillis) {
        return new Frame(activity, Map.of(), Map.of(), Map.of(), refreshMillis);
    }

    /** This snapshot, with rates from the previous frame's snapshot (null for none). */
    public static Frame after(Frame previous, Activity activity, long refreshMillis) {
        if (previous == null) {
            return first(activity, refreshMillis);
        }
        Activity before = previous.activity();
        double seconds = (activity.takenAt().toEpochMilli() - before.takenAt().toEpochMilli()) / 1000.0;
        if (seconds <= 0) {
            return first(activity, refreshMillis);
        }
        Map<String, Double> rates = new LinkedHashMap<>();
        activity.counters().forEach((name, total) -> {
            Double earlier = before.counters().get(name);
            if (earlier != null && total >= earlier) {
                rates.put(name, (total - earlier) / seconds);
            }
        });
        Map<String, ActiveSession> earlier = new HashMap<>();
        before.sessions().forEach(s -> earlier.put(s.id(), s));
        Map<String, Double> cpu = new HashMap<>();
        Map<String, Double> io = new HashMap<>();
        for (ActiveSession now : activity.sessions()) {
            ActiveSession then = earlier.get(now.id());
            if (then != null) {
                double over = sessionSeconds(then, now, seconds);
                rate(then.cpuMillis(), now.cpuMillis(), over).ifPresent(r -> cpu.put(now.id(), r));
                rate(then.ioCount(), now.ioCount(), over).ifPresent(r -> io.put(now.id(), r));
            }
        }
        return new Frame(activity, rates, cpu, io, refreshMillis);
    }

    /**
     * The time a session's counters grew over: how much longer its statement has run by the server's clock, when
     * both snapshots saw the same statement running, else the time between the snapshots. The server's clock is
     * the one its counters were read by; the client's gap between two snapshots also holds the round trips, which
     * on a loaded jump host or a remote account can be a good part of a short refresh.
     */
    private static double sessionSeconds(ActiveSession then, ActiveSession now, double snapshotSeconds) {
        if (then.running() == null || now.running() == null) {
            return snapshotSeconds;
        }
        long millis = now.running().toMillis() - then.running().toMillis();
        return millis > 0 ? millis / 1000.0 : snapshotSeconds;
    }

    private static Optional<Double> rate(Double then, Double now, double seconds) {
        if (then == null || now == null || now < then) {
            return Optional.empty();
        }
        return Optional.of((now - then) / seconds);
    }
}
