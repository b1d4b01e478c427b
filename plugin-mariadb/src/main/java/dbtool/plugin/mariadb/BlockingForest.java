package dbtool.plugin.mariadb;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Who waits for whom, as trees rooted at the head blockers: sessions that block others and wait
 * for nobody. Ending a head blocker releases its whole tree; ending a waiter does not. Trees are
 * capped in depth and size, since a report is read in the middle of an incident. (Kept apart so
 * that the shared plugin toolkit's blocking forest can replace it.)
 */
public final class BlockingForest {

    static final int MAX_DEPTH = 12;
    static final int MAX_NODES = 60;

    private final Map<Long, Set<Long>> waitersOf = new LinkedHashMap<>();
    private final Set<Long> waiting = new LinkedHashSet<>();

    /** Records that {@code waiter} waits for {@code blocker}; a session never blocks itself. */
    public BlockingForest edge(long waiter, long blocker) {
        if (waiter != blocker) {
            waitersOf.computeIfAbsent(blocker, k -> new LinkedHashSet<>()).add(waiter);
            waiting.add(waiter);
        }
        return this;
    }

    public boolean isEmpty() {
        return waiting.isEmpty();
    }

    /** The sessions that wait for another. */
    public Set<Long> waiters() {
        return waiting;
    }

    /** The sessions that {@code session} waits for. */
    public List<Long> blockersOf(long session) {
        List<Long> blockers = new ArrayList<>();
        waitersOf.forEach((blocker, waiters) -> {
            if (waiters.contains(session)) {
                blockers.add(blocker);
            }
        });
        return blockers;
    }

    /**
     * Roots of the trees: blockers that wait for nobody. When everyone waits (a deadlock the
     * server is about to break), one member of the cycle stands for it.
     */
    public List<Long> headBlockers() {
        List<Long> heads = waitersOf.keySet().stream().filter(id -> !waiting.contains(id)).toList();
        if (heads.isEmpty() && !waitersOf.isEmpty()) {
            return List.of(waitersOf.keySet().iterator().next());
        }
        return heads;
    }

    /** The trees, each node described by {@code describe} and given its waiters under {@code blocked}. */
    public List<Map<String, Object>> trees(Function<Long, Map<String, Object>> describe) {
        Set<Long> placed = new HashSet<>();
        List<Map<String, Object>> forest = new ArrayList<>();
        for (long head : headBlockers()) {
            forest.add(node(head, describe, placed, 0));
        }
        return forest;
    }

    private Map<String, Object> node(long id, Function<Long, Map<String, Object>> describe, Set<Long> placed, int depth) {
        placed.add(id);
        Map<String, Object> node = new LinkedHashMap<>(describe.apply(id));
        List<Map<String, Object>> children = new ArrayList<>();
        for (long waiter : waitersOf.getOrDefault(id, Set.of())) {
            if (!placed.contains(waiter) && depth < MAX_DEPTH && placed.size() < MAX_NODES) {
                children.add(node(waiter, describe, placed, depth + 1));
            }
        }
        node.put("blocked", children);
        return node;
    }
}
