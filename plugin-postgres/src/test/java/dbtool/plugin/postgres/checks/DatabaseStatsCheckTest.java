package dbtool.plugin.postgres.checks;

import static dbtool.testkit.CheckFixtures.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.spi.CheckResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * pg_stat_database's row for the current database: bigint counters, and on PostgreSQL 14+ the
 * session counters with their times in milliseconds as double precision.
 */
class DatabaseStatsCheckTest {

    @Test
    void everyCounterOfPostgres14IsAWholeNumberMetricDeclaredAsACounter() {
        CheckResult result = DatabaseStatsCheck.interpret(row(
                "xact_commit", 1520L, "xact_rollback", 7L, "deadlocks", 1L, "conflicts", 0L, "temp_bytes", 8192L,
                "blks_hit", 90_000L, "blks_read", 1_200L, "sessions", 31L, "sessions_abandoned", 2L, "sessions_fatal", 1L,
                "sessions_killed", 0L, "session_time_ms", 65_432.125, "active_time_ms", 1_234.5, "idle_in_transaction_time_ms", 0.0));

        assertEquals(Map.ofEntries(Map.entry("xact_commit", 1520L), Map.entry("xact_rollback", 7L), Map.entry("deadlocks", 1L),
                Map.entry("conflicts", 0L), Map.entry("temp_bytes", 8192L), Map.entry("blks_hit", 90_000L), Map.entry("blks_read", 1_200L),
                Map.entry("sessions", 31L), Map.entry("sessions_abandoned", 2L), Map.entry("sessions_fatal", 1L),
                Map.entry("sessions_killed", 0L), Map.entry("session_time_ms", 65_432L), Map.entry("active_time_ms", 1_234L),
                Map.entry("idle_in_transaction_time_ms", 0L)), result.metrics());
        assertEquals(new DatabaseStatsCheck().counters(), result.metrics().keySet(), "serve exports every one as a counter");
        assertEquals(List.of(), result.findings(), "a counter since the last reset is judged by its rate, in Prometheus");
    }

    @Test
    void beforePostgres14TheSessionCountersAreLeftOutNotZero() {
        CheckResult result = DatabaseStatsCheck.interpret(row(
                "xact_commit", 10L, "xact_rollback", 0L, "deadlocks", 0L, "conflicts", 0L, "temp_bytes", 0L, "blks_hit", 5L, "blks_read", 1L));

        assertEquals(List.of("xact_commit", "xact_rollback", "deadlocks", "conflicts", "temp_bytes", "blks_hit", "blks_read"),
                List.copyOf(result.metrics().keySet()));
        assertTrue(new DatabaseStatsCheck().counters().containsAll(result.metrics().keySet()));
    }
}
