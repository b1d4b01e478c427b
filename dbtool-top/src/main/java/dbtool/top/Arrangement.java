package dbtool.top;

import dbtool.spi.ActiveSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The rows shown, in order: the snapshot's blocking trees kept whole (a head blocker, then its
 * waiters), the trees and the lone sessions sorted by the chosen key, and only those with a member
 * that matches the filter. A waiter is never shown away from the session it waits for.
 */
public final class Arrangement {

    private Arrangement() {
    }

    public static List<ActiveSession> rows(Frame frame, ViewState state) {
        List<List<ActiveSession>> groups = new ArrayList<>();
        for (ActiveSession session : frame.activity().sessions()) {
            if (session.depth() == 0 || groups.isEmpty()) {
                groups.add(new ArrayList<>());
            }
            groups.getLast().add(session);
        }
        ViewState.Filter filter = state.filter();
        if (filter != null) {
            groups.removeIf(group -> group.stream().noneMatch(filter::matches));
        }
        groups.sort(order(frame, state.sort()));
        return groups.stream().flatMap(List::stream).toList();
    }

    /** Largest first; a tree counts by its largest member, so a long-waiting chain rises with its head. */
    private static Comparator<List<ActiveSession>> order(Frame frame, ViewState.Sort sort) {
        Comparator<List<ActiveSession>> byKey = switch (sort) {
            case DURATION -> Comparator.comparingDouble(group -> max(group, s -> millis(s.running())));
            case CPU -> Comparator.comparingDouble(group -> max(group, s -> frame.cpuRates().getOrDefault(s.id(), -1.0)));
            case IO -> Comparator.comparingDouble(group -> max(group, s -> frame.ioRates().getOrDefault(s.id(), -1.0)));
            // Trees with the most waiters first, then lone sessions that wait, then the longest waits.
            case WAITS -> Comparator.<List<ActiveSession>>comparingInt(List::size)
                    .thenComparingLong(group -> group.stream().filter(s -> s.waitType() != null).count())
                    .thenComparingDouble(group -> max(group, s -> s.waitType() == null ? -1 : millis(s.running())));
        };
        return byKey.reversed();
    }

    private static double max(List<ActiveSession> group, ToDoubleFunction<ActiveSession> key) {
        return group.stream().mapToDouble(key).max().orElse(-1);
    }

    private static double millis(Duration duration) {
        return duration == null ? -1 : duration.toMillis();
    }
}
