package dbtool.plugin.postgres.checks;

import dbtool.spi.Check;
import java.util.List;

/** The PostgreSQL checks, in the order they run within each category. */
public final class PostgresChecks {

    private static final List<Check> ALL = List.of(
            new ConnectionCheck(),
            new ConnectionHeadroomCheck(),
            new BlockingChainCheck(),
            new IdleInTransactionCheck(),
            new LockWaitsCheck(),
            new ExclusiveLocksCheck(),
            new PreparedTransactionsCheck(),
            new ConnectionStatesCheck(),
            new LongTransactionsCheck(),
            new WraparoundCheck(),
            new CacheHitCheck(),
            new TempFilesCheck(),
            new DatabaseStatsCheck(),
            new CheckpointsCheck(),
            new ReplicationCheck(),
            new VacuumCheck(),
            new SizesCheck(),
            new LongQueriesCheck(),
            new TopStatementsCheck());

    private PostgresChecks() {
    }

    public static List<Check> all() {
        return ALL;
    }
}
