package dbtool.plugin.mongo.checks;

import dbtool.spi.Check;
import java.util.List;

/** The MongoDB checks, in the order they run within each category. */
public final class MongoChecks {

    private static final List<Check> ALL = List.of(
            new ConnectionCheck(),
            new ConnectionsCheck(),
            new LockWaitsCheck(),
            new TransactionsCheck(),
            new WiredTigerCacheCheck(),
            new TicketsCheck(),
            new ActivityCheck(),
            new StorageCheck(),
            new SlowOperationsCheck(),
            new ProfilerCheck(),
            new ReplicationCheck(),
            new OplogWindowCheck());

    private MongoChecks() {
    }

    public static List<Check> all() {
        return ALL;
    }
}
