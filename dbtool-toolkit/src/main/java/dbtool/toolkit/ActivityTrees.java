package dbtool.toolkit;

import dbtool.spi.ActiveSession;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts the sessions of a {@code dbtool top} snapshot in the order of their blocking trees, with the
 * {@link BlockingForest} every locks check uses: each head blocker, then its waiters depth first
 * ({@link ActiveSession#depth()}), then the sessions in no tree in the order the engine gave them.
 * One reading of "who blocks whom" for the report and the live view.
 */
public final class ActivityTrees {

    private ActivityTrees() {
    }

    /**
     * The sessions in tree order, each with its depth.
     *
     * @param sessions a snapshot's sessions, with their {@code blockedBy}, in the engine's order
     * @return the same sessions: each head blocker followed by its waiters (depth 1, 2, ...), then the rest at depth 0
     */
    public static List<ActiveSession> fold(List<ActiveSession> sessions) {
        Map<String, ActiveSession> byId = new LinkedHashMap<>();
        List<Map.Entry<String, String>> edges = new ArrayList<>();
        for (ActiveSession session : sessions) {
            byId.put(session.id(), session);
            session.blockedBy().forEach(blocker -> edges.add(BlockingForest.edge(session.id(), blocker)));
        }
        BlockingForest<String> forest = BlockingForest.of(edges);
        List<ActiveSession> ordered = new ArrayList<>();
        // No caps: the view scrolls, and every waiter must appear somewhere.
        BlockingForest.Trees trees = forest.trees(place -> Map.of("id", place.session()), Integer.MAX_VALUE, Integer.MAX_VALUE);
        for (Map<String, Object> node : trees.nodes()) {
            place(node, -1, byId, ordered);
        }
        byId.values().forEach(session -> ordered.add(at(session, 0)));
        return ordered;
    }

    /** Adds the node's session (when the snapshot lists it) and its waiters; a blocker not listed adds no level. */
    @SuppressWarnings("unchecked")
    private static void place(Map<String, Object> node, int parentDepth, Map<String, ActiveSession> byId, List<ActiveSession> ordered) {
        ActiveSession session = byId.remove((String) node.get("id"));
        int depth = parentDepth;
        if (session != null) {
            depth = parentDepth + 1;
            ordered.add(at(session, depth));
        }
        for (Map<String, Object> waiter : (List<Map<String, Object>>) node.get("blocked")) {
            place(waiter, depth, byId, ordered);
        }
    }

    private static ActiveSession at(ActiveSession s, int depth) {
        return s.depth() == depth ? s : s.atDepth(depth);
    }
}
