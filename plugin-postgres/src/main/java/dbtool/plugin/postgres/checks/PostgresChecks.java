package dbtool.plugin.postgres.checks;

import dbtool.spi.Check;
import java.util.List;

/** The PostgreSQL checks, in the order they run within each category. */
public final class PostgresChecks {

    private PostgresChecks() {
    }

    public static List<Check> all() {
        return List.of();
    }
}
