package dbtool.plugin.mongo.checks;

import dbtool.plugin.mongo.CurrentOp;
import dbtool.plugin.mongo.Docs;
import dbtool.toolkit.BlockingForest;
import dbtool.toolkit.Format;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.Document;

/**
 * Who waits for whom, from currentOp's {@code locks} and {@code waitingForLock}. MongoDB does
 * not name the holder of a lock, so it is inferred the way a DBA reads currentOp by hand:
 *
 * <ul>
 * <li>A waiting operation waits for the deepest lock it lists (locks are taken Global, then
 *     Database, then Collection, and the one not yet granted is the last).
 * <li>Its blockers are the operations that hold a conflicting mode on the same resource
 *     (same database, same collection). If none does, it queues behind an earlier waiter with a
 *     conflicting request (the lock manager grants in order, so a pending exclusive request
 *     blocks later shared ones). If still none, an idle transaction holding a conflicting mode
 *     on an unknown namespace is the likely blocker, marked uncertain.
 * </ul>
 *
 * Modes as currentOp prints them: r (intent shared), w (intent exclusive), R (shared), W (exclusive).
 */
public final class LockGraph {

    private static final List<String> LEVELS = List.of("Global", "Database", "Collection");

    /** One lock an operation holds or waits for. */
    record Request(String level, String resource, char mode, boolean granted) {
    }

    /** A blocking edge; {@code certain} is false when the blocker's namespace is unknown. */
    record Edge(Document blocker, Document waiter, boolean certain) {
    }

    private final List<Document> operations;
    private final Map<Document, List<Request>> requests = new IdentityHashMap<>();
    private final List<Edge> edges = new ArrayList<>();
    private final Set<Document> unexplained = Collections.newSetFromMap(new IdentityHashMap<>());

    private LockGraph(List<Document> operations) {
        this.operations = operations;
        for (Document op : operations) {
            requests.put(op, requests(op));
        }
        for (Document op : operations) {
            if (waiting(op)) {
                List<Edge> found = blockersOf(op);
                if (found.isEmpty()) {
                    unexplained.add(op);
                }
                edges.addAll(found);
            }
        }
    }

    static LockGraph of(List<Document> operations) {
        return new LockGraph(operations);
    }

    /**
     * Each waiting operation's blockers as this graph infers them, for dbtool top's tree (keys and
     * values are the given documents, compared by identity).
     */
    public static Map<Document, List<Document>> blockers(List<Document> operations) {
        Map<Document, List<Document>> blockers = new IdentityHashMap<>();
        for (Edge edge : of(operations).edges) {
            blockers.computeIfAbsent(edge.waiter(), waiter -> new ArrayList<>()).add(edge.blocker());
        }
        return blockers;
    }

    static boolean waiting(Document op) {
        return Docs.bool(op, "waitingForLock");
    }

    List<Document> waiters() {
        return operations.stream().filter(LockGraph::waiting).toList();
    }

    /** Waiters whose blocker could not be found (e.g. an internal lock holder, or fsyncLock). */
    List<Document> unexplained() {
        return operations.stream().filter(unexplained::contains).toList();
    }

    /** Who waits for whom, by each operation's position in the currentOp list (documents compare by content, operations by identity). */
    private BlockingForest<Integer> forest() {
        List<Map.Entry<Integer, Integer>> pairs = new ArrayList<>();
        for (Edge edge : edges) {
            pairs.add(BlockingForest.edge(position(edge.waiter()), position(edge.blocker())));
        }
        return BlockingForest.of(pairs);
    }

    private int position(Document op) {
        for (int i = 0; i < operations.size(); i++) {
            if (operations.get(i) == op) {
                return i;
            }
        }
        throw new IllegalArgumentException("not an operation of this graph");
    }

    /** Operations at the root of a blocking tree: they block others and wait for nobody visible (the toolkit's rule, cycles included). */
    List<Document> heads() {
        return forest().headBlockers().stream().map(operations::get).toList();
    }

    /** The opids of operations waiting for each other in a ring. */
    List<List<Object>> deadlocks() {
        return forest().deadlocks().stream().map(ring -> ring.stream().map(i -> CurrentOp.opid(operations.get(i))).toList()).toList();
    }

    boolean certain(Document head) {
        return edges.stream().filter(e -> e.blocker() == head).allMatch(Edge::certain);
    }

    /** The forest below the heads, as evidence nodes with a "label" and a "blocked" list. */
    BlockingForest.Trees trees() {
        return forest().trees(place -> {
            Document op = operations.get(place.session());
            boolean certain = place.blockedBy() == null || edges.stream()
                    .filter(e -> e.blocker() == operations.get(place.blockedBy()) && e.waiter() == op).allMatch(Edge::certain);
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("opid", CurrentOp.opid(op));
            node.put("label", label(op, certain));
            node.putAll(CurrentOp.row(op));
            node.put("locks", Docs.plain(Docs.doc(op, "locks")));
            return node;
        });
    }

    static String label(Document op, boolean certain) {
        Object opid = CurrentOp.opid(op);
        StringBuilder label = new StringBuilder(opid != null ? "opid " + opid : "session " + Docs.sessionId(op));
        if (waiting(op)) {
            label.append(" waiting");
            Request pending = pending(op);
            if (pending != null) {
                label.append(" for ").append(pending.level()).append(' ').append(pending.mode())
                        .append(pending.resource().isEmpty() ? "" : " on " + pending.resource());
            }
            label.append(", running ").append(Format.duration(CurrentOp.seconds(op)));
        } else if (CurrentOp.idleSession(op)) {
            label.append(" idle in a transaction open ").append(Format.duration(CurrentOp.transactionSeconds(op)));
        } else {
            label.append(" holding ").append(held(op)).append(", running ").append(Format.duration(CurrentOp.seconds(op)));
        }
        if (!certain) {
            label.append(" (likely blocker: its namespace is not shown)");
        }
        label.append(", ").append(CurrentOp.who(op));
        String what = CurrentOp.what(op, 80);
        if (!what.isBlank()) {
            label.append(": ").append(what);
        }
        return label.toString();
    }

    /** The strongest lock it holds, e.g. "Collection W on shop.orders". */
    private static String held(Document op) {
        List<Request> list = requests(op);
        Request strongest = null;
        for (Request request : list) {
            if (request.granted() && (strongest == null || strength(request.mode()) >= strength(strongest.mode()))) {
                strongest = request;
            }
        }
        return strongest == null ? "no lock" : strongest.level() + " " + strongest.mode()
                + (strongest.resource().isEmpty() ? "" : " on " + strongest.resource());
    }

    private List<Edge> blockersOf(Document waiter) {
        Request wanted = pending(waiter);
        List<Edge> found = new ArrayList<>();
        if (wanted == null) {
            return found;
        }
        // 1. Holders of a conflicting mode on the same resource.
        for (Document other : operations) {
            if (other != waiter && holds(other, wanted, true)) {
                found.add(new Edge(other, waiter, true));
            }
        }
        if (!found.isEmpty()) {
            return found;
        }
        // 2. An earlier waiter with a conflicting request on the same resource: this one queues behind it.
        Document ahead = null;
        for (Document other : operations) {
            Request theirs = other == waiter || !waiting(other) ? null : pending(other);
            if (theirs != null && theirs.resource().equals(wanted.resource()) && theirs.level().equals(wanted.level())
                    && conflicts(theirs.mode(), wanted.mode()) && CurrentOp.seconds(other) >= CurrentOp.seconds(waiter)
                    && (ahead == null || CurrentOp.seconds(other) < CurrentOp.seconds(ahead))) {
                ahead = other;
            }
        }
        if (ahead != null) {
            found.add(new Edge(ahead, waiter, true));
            return found;
        }
        // 3. Holders of a conflicting mode at that level whose namespace currentOp does not show (idle transactions).
        for (Document other : operations) {
            if (other != waiter && holds(other, wanted, false)) {
                found.add(new Edge(other, waiter, false));
            }
        }
        return found;
    }

    /** Whether the operation holds a mode conflicting with the wanted one; {@code sameResource} or, if false, an unknown one. */
    private boolean holds(Document op, Request wanted, boolean sameResource) {
        for (Request held : requests.get(op)) {
            if (!held.granted() || !held.level().equals(wanted.level()) || !conflicts(held.mode(), wanted.mode())) {
                continue;
            }
            boolean same = held.resource().equals(wanted.resource());
            boolean unknown = held.resource().isEmpty() && !wanted.level().equals("Global");
            if (sameResource ? same : unknown) {
                return true;
            }
        }
        return false;
    }

    private static Request pending(Document op) {
        List<Request> list = requests(op);
        for (int i = list.size() - 1; i >= 0; i--) {
            if (!list.get(i).granted()) {
                return list.get(i);
            }
        }
        return null;
    }

    /** The Global, Database and Collection locks of an operation; when waiting, the deepest is the one not granted. */
    static List<Request> requests(Document op) {
        Document locks = Docs.doc(op, "locks");
        String ns = CurrentOp.namespace(op);
        String database = ns.contains(".") ? ns.substring(0, ns.indexOf('.')) : ns;
        List<Request> list = new ArrayList<>();
        for (String level : LEVELS) {
            Object mode = locks.get(level);
            if (mode instanceof String text && text.length() == 1 && "rwRW".contains(text)) {
                String resource = switch (level) {
                    case "Global" -> "";
                    case "Database" -> database;
                    default -> ns;
                };
                list.add(new Request(level, resource, text.charAt(0), true));
            }
        }
        if (waiting(op) && !list.isEmpty()) {
            Request last = list.removeLast();
            list.add(new Request(last.level(), last.resource(), last.mode(), false));
        }
        return list;
    }

    /** MongoDB's lock compatibility: IS/IX are compatible with each other, S with S and IS, X with nothing. */
    static boolean conflicts(char a, char b) {
        return switch (a) {
            case 'r' -> b == 'W';
            case 'w' -> b == 'R' || b == 'W';
            case 'R' -> b == 'w' || b == 'W';
            default -> true;
        };
    }

    private static int strength(char mode) {
        return "rwRW".indexOf(mode);
    }
}
