package dbtool.plugin.mariadb.checks;

import dbtool.spi.Check;
import java.util.List;

/** The plugin's checks, in run order within each category. */
public final class MariaDbChecks {

    private MariaDbChecks() {
    }

    public static List<Check> all() {
        return List.of(
                new ConnectionCheck(),
                new RowLockWaitsCheck(),
                new MetadataLocksCheck(),
                new ConnectionHeadroomCheck(),
                new BufferPoolCheck(),
                new ReplicationCheck(),
                new LongQueriesCheck());
    }
}
