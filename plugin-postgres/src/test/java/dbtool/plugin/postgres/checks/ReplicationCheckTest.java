package dbtool.plugin.postgres.checks;

import static dbtool.testkit.CheckFixtures.context;
import static dbtool.testkit.CheckFixtures.only;
import static dbtool.testkit.CheckFixtures.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The replication check's reading of pg_stat_replication, pg_replication_slots and the replay
 * delay of a standby. Where PostgreSQL 12 and 17 differ: wal_status is NULL before 13 (the query
 * selects NULL::text), and replay_lag is NULL on every version once a standby has caught up and
 * the primary is idle.
 */
class ReplicationCheckTest {

    static Map<String, Object> slot(String name, boolean active, String walStatus, long retainedBytes) {
        return row("slot", name, "type", "logical", "active", active, "wal_status", walStatus, "retained_bytes", retainedBytes);
    }

    static Map<String, Object> standby(String name, Double lagSeconds) {
        return row("standby", name, "client", "10.0.0.8", "state", "streaming", "sync_state", "async",
                "replay_lag_seconds", lagSeconds, "replay_lag_bytes", 4096L);
    }

    @Test
    void onAPostgres12PrimaryAnInactiveSlotIsJudgedByItsSizeAlone() {
        CheckResult result = ReplicationCheck.interpretPrimary(List.of(standby("replica1", null)),
                List.of(slot("cdc", true, null, 1024L), slot("old's_consumer", false, null, 2L * 1024 * 1024 * 1024)), context());
        Finding finding = only(result);
        assertEquals("PG_INACTIVE_SLOT", finding.code());
        assertEquals(Severity.WARNING, finding.severity(), "2 GB is under slot_retained_critical_bytes (10 GB)");
        assertEquals("1 inactive replication slot retains WAL, up to 2.0 GB (old's_consumer)", finding.title());
        assertTrue(finding.recommendation().startsWith("Reconnect the consumer, or if nobody needs it: SELECT pg_drop_replication_slot('old''s_consumer');"),
                finding.recommendation());
        assertEquals(1, result.metrics().get("standbys"));
        assertEquals(0.0, result.metrics().get("max_replay_lag_seconds"), "a NULL replay_lag is no lag");
        assertEquals(2, result.metrics().get("replication_slots"));
        assertEquals(1, result.metrics().get("inactive_slots"));
    }

    @Test
    void onAPostgres17PrimaryASlotThatLostItsWalIsCriticalWhateverItsSize() {
        Finding finding = only(ReplicationCheck.interpretPrimary(List.of(),
                List.of(slot("cdc", false, "lost", 0L)), context()));
        assertEquals(Severity.CRITICAL, finding.severity(), "wal_status lost: the consumer can never catch up");
        assertEquals(Severity.CRITICAL, only(ReplicationCheck.interpretPrimary(List.of(),
                List.of(slot("cdc", false, "extended", 11L * 1024 * 1024 * 1024)), context())).severity());
    }

    @Test
    void aLaggingStandbyIsSeenFromThePrimary() {
        CheckResult result = ReplicationCheck.interpretPrimary(List.of(standby("replica2", 650.5), standby("replica1", 2.0)), List.of(), context());
        Finding finding = only(result);
        assertEquals("PG_REPLICATION_LAG", finding.code());
        assertEquals(Severity.CRITICAL, finding.severity(), "past replication_lag_critical_seconds (600)");
        assertEquals("A standby replays 10 min 50 s behind this primary", finding.title());
        assertEquals(650.5, result.metrics().get("max_replay_lag_seconds"));
        assertEquals(Severity.WARNING, only(ReplicationCheck.interpretPrimary(List.of(standby("replica2", 650.5)), List.of(),
                context("replication_lag_critical_seconds", "900"))).severity());
    }

    @Test
    void aStandbyReportsItsOwnReplayDelay() {
        CheckResult result = ReplicationCheck.interpretStandby(row("replay_delay_seconds", 90L), List.of(), context());
        Finding finding = only(result);
        assertEquals(Severity.WARNING, finding.severity());
        assertEquals("This standby last replayed a transaction 1 min 30 s ago", finding.title());
        assertEquals(90L, result.metrics().get("replay_delay_seconds"));
        assertEquals(List.of(), ReplicationCheck.interpretStandby(row("replay_delay_seconds", 5L), List.of(), context()).findings());
    }
}
