package dbtool.plugin.snowflake.checks;

import dbtool.spi.Check;
import java.util.List;

/** The Snowflake checks, in the order they run within each category. */
public final class SnowflakeChecks {

    private static final List<Check> ALL = List.of(
            new ConnectionCheck(),
            new WarehouseCheck(),
            new BlockedTransactionsCheck(),
            new WarehouseLoadCheck(),
            new QueuedQueriesCheck(),
            new SpillingCheck(),
            new CreditsCheck(),
            new LongQueriesCheck(),
            new SlowestQueriesCheck(),
            new ActivityCheck());

    private SnowflakeChecks() {
    }

    public static List<Check> all() {
        return ALL;
    }
}
