package dbtool.plugin.mssql.checks;

import dbtool.spi.Check;
import java.util.List;

/** The SQL Server checks, in the order they run within each category. */
public final class SqlServerChecks {

    private static final List<Check> ALL = List.of(
            new ConnectionCheck(),
            new BlockingCheck(), new LockWaitsCheck(), new OpenTransactionsCheck(), new DeadlocksCheck(),
            new WaitStatsCheck(), new CpuCheck(), new MemoryCheck(), new WorkersCheck(), new TempdbCheck(), new LogSpaceCheck(), new ServerStatsCheck(),
            new LongRequestsCheck(), new TopStatementsCheck());

    private SqlServerChecks() {
    }

    public static List<Check> all() {
        return ALL;
    }
}
