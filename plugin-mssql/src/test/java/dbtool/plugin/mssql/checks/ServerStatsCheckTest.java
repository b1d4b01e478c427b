package dbtool.plugin.mssql.checks;

import static dbtool.testkit.CheckFixtures.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.spi.CheckResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rows shaped like sys.dm_os_performance_counters: running totals, despite the /sec in their names. */
class ServerStatsCheckTest {

    @Test
    void theSixCountersBecomeMetricsTheServeExportsAsCounters() {
        CheckResult result = ServerStatsCheck.interpret(List.of(
                row("counter_name", "Batch Requests/sec", "cntr_value", 912_345_678L),
                row("counter_name", "Transactions/sec", "cntr_value", 402_000_117L),
                row("counter_name", "Number of Deadlocks/sec", "cntr_value", 17L),
                row("counter_name", "Lock Waits/sec", "cntr_value", 88_120L),
                row("counter_name", "Logins/sec", "cntr_value", 1_250_004L),
                row("counter_name", "Errors/sec", "cntr_value", 3_071L)));
        assertEquals(Map.of("batch_requests", 912_345_678L, "transactions", 402_000_117L, "deadlocks", 17L,
                "lock_requests_waited", 88_120L, "logins", 1_250_004L, "errors", 3_071L), result.metrics());
        assertEquals(result.metrics().keySet(), new ServerStatsCheck().counters());
        assertTrue(result.findings().isEmpty(), "one reading of a running total judges nothing; its rate does, in Prometheus");
    }

    @Test
    void aCounterTheServerDoesNotListIsLeftOutNotReportedAsZero() {
        // a zero would read as a counter reset to rate(); an absent series is only a gap
        CheckResult result = ServerStatsCheck.interpret(List.of(row("counter_name", "Batch Requests/sec", "cntr_value", 5L),
                row("counter_name", "Page life expectancy", "cntr_value", 300L)));
        assertEquals(Map.of("batch_requests", 5L), result.metrics());
    }
}
