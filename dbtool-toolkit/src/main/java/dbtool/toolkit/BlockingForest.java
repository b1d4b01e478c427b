package dbtool.toolkit;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Who waits for whom, as trees: the one reading of a lock graph that every engine's locks check
 * uses, so that every locks finding carries {@code headBlockers} and draws its trees the same way.
 *
 * <ul>
 * <li>An edge is (waiter, blocker). A session that waits for itself (SQL Server reports that for
 *     the workers of one parallel query) is no blocking: self-loops are dropped.
 * <li>A <b>head blocker</b> blocks others and waits for nobody. Ending it releases its whole tree.
 * <li>A <b>deadlock</b> is a group of sessions that wait for each other in a ring (a strongly
 *     connected component of two or more). When nothing outside the ring reaches it from a head,
 *     its first member to appear as a blocker stands as the head of its tree, so that no waiter goes
 *     unshown; {@link #deadlocks()} lists every ring, which is a finding of its own (the server
 *     breaks it by cancelling one member, or it waits for a lock timeout).
 * <li>Trees are drawn depth first from each head, in edge order, each session once; at most
 *     {@code maxDepth} levels and {@code maxNodes} sessions; {@link Trees#notShown()} counts the
 *     sessions the caps left out.
 * </ul>
 *
 * @param <K> a session's key (PostgreSQL pid, SQL Server session_id, MongoDB opid, Snowflake transaction id)
 */
public final class BlockingForest<K> {

    /** The deepest level every engine draws its trees to. */
    public static final int MAX_DEPTH = 12;
    /** The most sessions every engine draws in its trees; {@code notShown} counts the rest. */
    public static final int MAX_NODES = 60;

    /**
     * Where a session stands in a tree, for the caller's description of it.
     *
     * @param session the session's key
     * @param blockedBy the key of the session it waits for in this tree, or null for a head
     * @param depth its level, 0 for a head
     * @param <K> a session's key
     */
    public record Place<K>(K session, K blockedBy, int depth) {
    }

    /**
     * Drawn trees, as evidence nodes (the caller's description plus {@code blocked}: the nodes of its
     * waiters), and how many sessions the caps left out.
     *
     * @param nodes    the heads' nodes, each with its waiters under {@code blocked}
     * @param notShown how many waiting sessions the caps left out
     */
    public record Trees(List<Map<String, Object>> nodes, int notShown) {
    }

    private final Map<K, List<K>> waitersOf = new LinkedHashMap<>();
    private final Map<K, List<K>> blockersOf = new LinkedHashMap<>();
    private final List<K> heads;
    private final List<List<K>> deadlocks;

    private BlockingForest(Collection<? extends Map.Entry<K, K>> edges) {
        for (Map.Entry<K, K> edge : edges) {
            K waiter = edge.getKey();
            K blocker = edge.getValue();
            if (waiter.equals(blocker)) {
                continue;
            }
            List<K> waiters = waitersOf.computeIfAbsent(blocker, k -> new ArrayList<>());
            if (!waiters.contains(waiter)) {
                waiters.add(waiter);
                blockersOf.computeIfAbsent(waiter, k -> new ArrayList<>()).add(blocker);
            }
        }
        deadlocks = rings();
        heads = heads();
    }

    /**
     * The forest of these (waiter, blocker) edges; duplicates and self-loops are ignored.
     *
     * @param <K> a session's key
     * @param edges (waiter, blocker) pairs, e.g. from {@link #edge}
     * @return the forest
     */
    public static <K> BlockingForest<K> of(Collection<? extends Map.Entry<K, K>> edges) {
        return new BlockingForest<>(edges);
    }

    /**
     * One (waiter, blocker) edge.
     *
     * @param <K> a session's key
     * @param waiter the session that waits
     * @param blocker the session it waits for
     * @return the edge
     */
    public static <K> Map.Entry<K, K> edge(K waiter, K blocker) {
        return Map.entry(waiter, blocker);
    }

    /**
     * Every session that waits for another, in edge order.
     *
     * @return the waiting sessions' keys
     */
    public Set<K> waiters() {
        return blockersOf.keySet();
    }

    /**
     * Whether anyone waits.
     *
     * @return true when there are no edges
     */
    public boolean isEmpty() {
        return blockersOf.isEmpty();
    }

    /**
     * The sessions this one waits for.
     *
     * @param session a session's key
     * @return their keys, in edge order; empty when it waits for nobody
     */
    public List<K> blockersOf(K session) {
        return blockersOf.getOrDefault(session, List.of());
    }

    /**
     * The sessions waiting for this one.
     *
     * @param session a session's key
     * @return their keys, in edge order; empty when nobody waits for it
     */
    public List<K> waitersOf(K session) {
        return waitersOf.getOrDefault(session, List.of());
    }

    /**
     * The roots of the trees, in edge order: blockers that wait for nobody, then, for each deadlock
     * that no such blocker reaches, its first member.
     *
     * @return the head blockers' keys
     */
    public List<K> headBlockers() {
        return heads;
    }

    /**
     * The head blockers whose trees hold this session (itself, when it is a head).
     *
     * @param session a session's key
     * @return their keys; empty when it is in no tree
     */
    public List<K> headBlockersOf(K session) {
        Set<K> above = new HashSet<>();
        Deque<K> todo = new ArrayDeque<>(List.of(session));
        above.add(session);
        while (!todo.isEmpty()) {
            for (K blocker : blockersOf(todo.pop())) {
                if (above.add(blocker)) {
                    todo.push(blocker);
                }
            }
        }
        return heads.stream().filter(above::contains).toList();
    }

    /**
     * The rings of sessions waiting for each other, each in edge order.
     *
     * @return the rings; empty when there is none
     */
    public List<List<K>> deadlocks() {
        return deadlocks;
    }

    /**
     * The trees below the heads with the default caps ({@link #MAX_DEPTH}, {@link #MAX_NODES}).
     *
     * @param describe a session's node from its place: the fields the engine shows for it
     * @return the drawn trees
     */
    public Trees trees(Function<Place<K>, Map<String, Object>> describe) {
        return trees(describe, MAX_DEPTH, MAX_NODES);
    }

    /**
     * The trees below the heads: {@code describe} gives a session's node, the forest adds its {@code blocked} list.
     *
     * @param describe a session's node from its place
     * @param maxDepth the deepest level drawn
     * @param maxNodes the most sessions drawn
     * @return the drawn trees
     */
    public Trees trees(Function<Place<K>, Map<String, Object>> describe, int maxDepth, int maxNodes) {
        Set<K> placed = new HashSet<>();
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (K head : heads) {
            if (placed.size() < maxNodes && !placed.contains(head)) {
                nodes.add(node(new Place<>(head, null, 0), describe, placed, maxDepth, maxNodes));
            }
        }
        Set<K> everyone = new HashSet<>(waitersOf.keySet());
        everyone.addAll(blockersOf.keySet());
        everyone.removeAll(placed);
        return new Trees(nodes, everyone.size());
    }

    /**
     * The evidence every locks finding adds after its {@code blockingTree}: {@code notShown}, the
     * number of sessions the caps left out, and {@code deadlocks}, the rings; each only when there is any.
     *
     * @param trees     the drawn trees
     * @param deadlocks the rings, as the engine names their sessions
     * @return the evidence fields to add; empty when there is nothing to say
     */
    public static Map<String, Object> cutAndRings(Trees trees, List<? extends List<?>> deadlocks) {
        Map<String, Object> evidence = new LinkedHashMap<>();
        if (trees.notShown() > 0) {
            evidence.put("notShown", trees.notShown());
        }
        if (!deadlocks.isEmpty()) {
            evidence.put("deadlocks", deadlocks);
        }
        return evidence;
    }

    private Map<String, Object> node(Place<K> place, Function<Place<K>, Map<String, Object>> describe, Set<K> placed,
                                     int maxDepth, int maxNodes) {
        placed.add(place.session());
        Map<String, Object> node = new LinkedHashMap<>(describe.apply(place));
        List<Map<String, Object>> children = new ArrayList<>();
        for (K waiter : waitersOf(place.session())) {
            if (!placed.contains(waiter) && place.depth() < maxDepth && placed.size() < maxNodes) {
                children.add(node(new Place<>(waiter, place.session(), place.depth() + 1), describe, placed, maxDepth, maxNodes));
            }
        }
        node.put("blocked", children);
        return node;
    }

    private List<K> heads() {
        List<K> found = new ArrayList<>();
        for (K blocker : waitersOf.keySet()) {
            if (!blockersOf.containsKey(blocker)) {
                found.add(blocker);
            }
        }
        Set<K> reached = reachableFrom(found);
        for (List<K> ring : deadlocks) {
            if (ring.stream().noneMatch(reached::contains)) {
                found.add(ring.getFirst());
                reached.addAll(reachableFrom(List.of(ring.getFirst())));
            }
        }
        return List.copyOf(found);
    }

    private Set<K> reachableFrom(List<K> roots) {
        Set<K> seen = new HashSet<>(roots);
        Deque<K> todo = new ArrayDeque<>(roots);
        while (!todo.isEmpty()) {
            for (K waiter : waitersOf(todo.pop())) {
                if (seen.add(waiter)) {
                    todo.push(waiter);
                }
            }
        }
        return seen;
    }

    /** A session being visited, and how many of its blockers have been looked at. */
    private static final class Frame<K> {
        final K session;
        int next;

        Frame(K session) {
            this.session = session;
        }
    }

    /**
     * Strongly connected components of two or more sessions: Tarjan's algorithm, with its own stack
     * so that a chain of thousands of waiters needs no deep call stack.
     */
    private List<List<K>> rings() {
        Map<K, Integer> index = new HashMap<>();
        Map<K, Integer> low = new HashMap<>();
        Deque<K> stack = new ArrayDeque<>();
        Set<K> onStack = new HashSet<>();
        List<List<K>> rings = new ArrayList<>();
        Set<K> nodes = new LinkedHashSet<>(blockersOf.keySet());
        nodes.addAll(waitersOf.keySet());
        for (K start : nodes) {
            if (index.containsKey(start)) {
                continue;
            }
            Deque<Frame<K>> calls = new ArrayDeque<>();
            calls.push(visit(start, index, low, stack, onStack));
            while (!calls.isEmpty()) {
                Frame<K> frame = calls.peek();
                List<K> blockers = blockersOf(frame.session);
                if (frame.next < blockers.size()) {
                    K blocker = blockers.get(frame.next++);
                    if (!index.containsKey(blocker)) {
                        calls.push(visit(blocker, index, low, stack, onStack));
                    } else if (onStack.contains(blocker)) {
                        low.put(frame.session, Math.min(low.get(frame.session), index.get(blocker)));
                    }
                    continue;
                }
                calls.pop();
                if (low.get(frame.session).equals(index.get(frame.session))) {
                    List<K> component = new ArrayList<>();
                    K member;
                    do {
                        member = stack.pop();
                        onStack.remove(member);
                        component.add(member);
                    } while (!member.equals(frame.session));
                    if (component.size() > 1) {
                        rings.add(inEdgeOrder(component, waitersOf.keySet()));
                    }
                }
                if (!calls.isEmpty()) {
                    K parent = calls.peek().session;
                    low.put(parent, Math.min(low.get(parent), low.get(frame.session)));
                }
            }
        }
        return List.copyOf(rings);
    }

    private static <K> Frame<K> visit(K session, Map<K, Integer> index, Map<K, Integer> low, Deque<K> stack, Set<K> onStack) {
        index.put(session, index.size());
        low.put(session, index.get(session));
        stack.push(session);
        onStack.add(session);
        return new Frame<>(session);
    }

    private static <K> List<K> inEdgeOrder(List<K> component, Set<K> order) {
        Set<K> members = new HashSet<>(component);
        return order.stream().filter(members::contains).toList();
    }
}
