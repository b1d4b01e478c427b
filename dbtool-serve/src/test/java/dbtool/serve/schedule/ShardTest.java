package dbtool.serve.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.DbtoolException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ShardTest {

    @Test
    void nReplicasServeEveryTargetExactlyOnceAndEvenly() {
        List<String> fleet = IntStream.range(0, 300).mapToObj(i -> "pg-" + i).toList();
        List<String> served = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            List<String> mine = Shard.parse(i + "/3").select(fleet);
            assertTrue(mine.size() > 70 && mine.size() < 130, "shard " + i + " has " + mine.size());
            served.addAll(mine);
        }
        assertEquals(fleet.size(), served.size());
        assertEquals(new HashSet<>(fleet), new HashSet<>(served));
    }

    @Test
    void theHashIsStableAcrossVersionsAndMachines() {
        // CRC-32 of "orders" is 0xE52FFDEE = 3845127662, which is 2 modulo 4. Replicas of different versions
        // must agree, or a target is checked twice or never during a rolling upgrade.
        assertTrue(new Shard(2, 4).owns("orders"));
    }

    @Test
    void aBadShardNamesTheFlagAndTheForm() {
        for (String bad : List.of("3/3", "1", "-1/2", "a/b", "0/0")) {
            DbtoolException e = assertThrows(DbtoolException.class, () -> Shard.parse(bad));
            assertEquals(64, e.exitCode());
            assertTrue(e.getMessage().startsWith("--shard " + bad + ": expected I/N"), e.getMessage());
        }
    }
}
