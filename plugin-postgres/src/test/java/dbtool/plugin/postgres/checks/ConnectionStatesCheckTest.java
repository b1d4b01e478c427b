package dbtool.plugin.postgres.checks;

import static dbtool.testkit.CheckFixtures.context;
import static dbtool.testkit.CheckFixtures.row;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dbtool.spi.CheckResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The connections check's one row of count(*) FILTER (...) columns (bigint), the same on PostgreSQL 12 and 17. */
class ConnectionStatesCheckTest {

    @Test
    void everyStateIsAWholeNumberMetricAndNoFinding() {
        // An Integer where a driver hands one over still reports as a whole number, as on every engine.
        CheckResult result = ConnectionStatesCheck.interpret(
                row("total", 12L, "active", 3L, "idle", 7, "idle_in_transaction", 1L, "waiting_on_locks", 1L), context());
        assertEquals(Map.of("total", 12L, "active", 3L, "idle", 7L, "idle_in_transaction", 1L, "waiting_on_locks", 1L), result.metrics());
        assertEquals(List.of(), result.findings(), "the connection-headroom check judges the numbers");
    }
}
