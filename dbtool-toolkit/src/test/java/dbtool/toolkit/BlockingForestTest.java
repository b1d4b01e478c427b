package dbtool.toolkit;

import static dbtool.toolkit.BlockingForest.edge;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BlockingForestTest {

    private static Map<String, Object> describe(BlockingForest.Place<Long> place) {
        return Map.of("id", place.session());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> blocked(Map<String, Object> node) {
        return (List<Map<String, Object>>) node.get("blocked");
    }

    @Test
    void aHeadBlockerBlocksOthersAndWaitsForNobody() {
        // 1 blocks 2 and 3; 3 blocks 4.
        BlockingForest<Long> forest = BlockingForest.of(List.of(edge(2L, 1L), edge(3L, 1L), edge(4L, 3L)));
        assertEquals(List.of(1L), forest.headBlockers());
        assertEquals(List.of(2L, 3L, 4L), List.copyOf(forest.waiters()));
        assertEquals(List.of(), forest.deadlocks());
        BlockingForest.Trees trees = forest.trees(BlockingForestTest::describe);
        assertEquals(0, trees.notShown());
        Map<String, Object> root = trees.nodes().getFirst();
        assertEquals(1L, root.get("id"));
        assertEquals(List.of(2L, 3L), blocked(root).stream().map(n -> n.get("id")).toList());
        assertEquals(4L, blocked(blocked(root).get(1)).getFirst().get("id"));
    }

    @Test
    void aBlockerThatAlsoWaitsIsNoHead() {
        // 2 blocks 3 but waits for 1: 1 is the head, 2 sits in its tree with 3 below.
        BlockingForest<Long> forest = BlockingForest.of(List.of(edge(3L, 2L), edge(2L, 1L)));
        assertEquals(List.of(1L), forest.headBlockers());
        Map<String, Object> root = forest.trees(BlockingForestTest::describe).nodes().getFirst();
        assertEquals(2L, blocked(root).getFirst().get("id"));
        assertEquals(3L, blocked(blocked(root).getFirst()).getFirst().get("id"));
    }

    @Test
    void theHeadsAboveASessionAreFoundThroughEveryBlocker() {
        // 3 waits for 2 and for 5; 2 waits for 1; 1 and 5 wait for nobody; 7 waits in a ring with 8.
        BlockingForest<Long> forest = BlockingForest.of(List.of(edge(3L, 2L), edge(3L, 5L), edge(2L, 1L), edge(7L, 8L), edge(8L, 7L)));
        assertEquals(List.of(5L, 1L), forest.headBlockersOf(3L), "in the order the blockers first appear");
        assertEquals(List.of(1L), forest.headBlockersOf(1L));
        assertEquals(List.of(8L), forest.headBlockersOf(7L));
        assertEquals(List.of(), forest.headBlockersOf(42L));
    }

    @Test
    void aSessionWaitingForItselfIsNoBlocking() {
        BlockingForest<Long> forest = BlockingForest.of(List.of(edge(7L, 7L)));
        assertTrue(forest.isEmpty());
        assertEquals(List.of(), forest.headBlockers());
        assertEquals(List.of(), forest.deadlocks());
        assertEquals(List.of(), forest.trees(BlockingForestTest::describe).nodes());
    }

    @Test
    void aRingWithNoHeadIsADeadlockAndItsFirstBlockerStandsAsHead() {
        // 1 waits for 2, 2 for 3, 3 for 1; 4 waits for 3.
        BlockingForest<Long> forest = BlockingForest.of(List.of(edge(1L, 2L), edge(2L, 3L), edge(3L, 1L), edge(4L, 3L)));
        assertEquals(List.of(List.of(2L, 3L, 1L)), forest.deadlocks());
        assertEquals(List.of(2L), forest.headBlockers());
        BlockingForest.Trees trees = forest.trees(BlockingForestTest::describe);
        assertEquals(1, trees.nodes().size());
        assertEquals(0, trees.notShown(), "every member of the ring and its waiter are drawn");
    }

    @Test
    void aRingBelowARealHeadAddsNoSecondHead() {
        // 1 waits for 9 (the head) and for 2; 2 waits for 1.
        BlockingForest<Long> forest = BlockingForest.of(List.of(edge(1L, 9L), edge(1L, 2L), edge(2L, 1L)));
        assertEquals(List.of(9L), forest.headBlockers());
        assertEquals(1, forest.deadlocks().size());
        assertEquals(0, forest.trees(BlockingForestTest::describe).notShown());
    }

    @Test
    void aHeadAndASeparateRingBothHaveTrees() {
        BlockingForest<Long> forest = BlockingForest.of(List.of(edge(2L, 1L), edge(5L, 6L), edge(6L, 5L)));
        assertEquals(List.of(1L, 6L), forest.headBlockers());
        assertEquals(2, forest.trees(BlockingForestTest::describe).nodes().size());
    }

    @Test
    void thousandsOfWaitersAreCappedAndCounted() {
        List<Map.Entry<Long, Long>> edges = new ArrayList<>();
        for (long waiter = 2; waiter <= 5001; waiter++) {
            edges.add(edge(waiter, 1L));
        }
        BlockingForest<Long> forest = BlockingForest.of(edges);
        assertEquals(List.of(1L), forest.headBlockers());
        assertEquals(5000, forest.waiters().size());
        BlockingForest.Trees trees = forest.trees(BlockingForestTest::describe);
        assertEquals(BlockingForest.MAX_NODES - 1, blocked(trees.nodes().getFirst()).size());
        assertEquals(5001 - BlockingForest.MAX_NODES, trees.notShown());
    }

    @Test
    void aLongChainIsCutAtTheDepthCapWithoutAStackOverflow() {
        List<Map.Entry<Long, Long>> edges = new ArrayList<>();
        for (long waiter = 1; waiter <= 20_000; waiter++) {
            edges.add(edge(waiter, waiter - 1));
        }
        edges.add(edge(0L, 20_000L)); // and it closes into one long ring
        BlockingForest<Long> forest = BlockingForest.of(edges);
        assertEquals(1, forest.deadlocks().size());
        assertEquals(20_001, forest.deadlocks().getFirst().size());
        BlockingForest.Trees trees = forest.trees(BlockingForestTest::describe);
        int depth = 0;
        for (Map<String, Object> node = trees.nodes().getFirst(); !blocked(node).isEmpty(); node = blocked(node).getFirst()) {
            depth++;
        }
        assertEquals(BlockingForest.MAX_DEPTH, depth);
        assertEquals(20_001 - BlockingForest.MAX_DEPTH - 1, trees.notShown());
    }

    @Test
    void theDescriptionSeesWhoEachSessionWaitsFor() {
        BlockingForest<String> forest = BlockingForest.of(List.of(edge("b", "a")));
        List<String> seen = new ArrayList<>();
        forest.trees(place -> {
            seen.add(place.session() + "<" + place.blockedBy() + "@" + place.depth());
            return Map.of();
        });
        assertEquals(List.of("a<null@0", "b<a@1"), seen);
    }
}
