package dbtool.serve.schedule;

import dbtool.core.DbtoolException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32;

/**
 * {@code --shard i/N}: this replica serves the targets whose name hashes to {@code i} of {@code N}
 * (0-based, like Prometheus's hashmod and StatefulSet ordinals). CRC-32 of the UTF-8 name: the same
 * on every replica, JVM and version, so N replicas with 0..N-1 cover every target exactly once.
 */
public record Shard(int index, int count) {

    public static final Shard ALL = new Shard(0, 1);

    public Shard {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException(index + "/" + count);
        }
    }

    public static Shard parse(String value) {
        String[] parts = value.strip().split("/", -1);
        try {
            if (parts.length == 2) {
                int index = Integer.parseInt(parts[0].strip());
                int count = Integer.parseInt(parts[1].strip());
                if (count >= 1 && count <= 1024 && index >= 0 && index < count) {
                    return new Shard(index, count);
                }
            }
        } catch (NumberFormatException e) {
            // message below
        }
        throw DbtoolException.usage("--shard " + value + ": expected I/N with 0 <= I < N <= 1024, e.g. 0/3, 1/3 and 2/3 for three replicas");
    }

    public boolean owns(String target) {
        CRC32 crc = new CRC32();
        crc.update(target.getBytes(StandardCharsets.UTF_8));
        return crc.getValue() % count == index;
    }

    public List<String> select(List<String> targets) {
        return targets.stream().filter(this::owns).toList();
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
