package dbtool.plugin.postgres.checks;

import dbtool.plugin.postgres.PostgresSession;
import dbtool.spi.Category;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.spi.Threshold;
import dbtool.toolkit.Format;
import dbtool.toolkit.Values;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replication from this server's point of view: lag of each standby (on a primary), replay delay
 * (on a standby), and replication slots, where an inactive slot keeps WAL until the disk fills.
 */
final class ReplicationCheck extends PostgresCheck {

    static final Threshold LAG_WARNING = Threshold.number("replication_lag_warning_seconds", 60, "s",
            "WARNING from this replay lag (primary) or replay delay (standby)");

    static final Threshold LAG_CRITICAL = Threshold.number("replication_lag_critical_seconds", 600, "s",
            "CRITICAL from this replay lag or delay");

    static final Threshold SLOT_RETAINED_CRITICAL = Threshold.number("slot_retained_critical_bytes", 10L * 1024 * 1024 * 1024, "bytes",
            "an inactive slot retaining this much WAL is CRITICAL (WARNING below)");

    @Override
    public List<Threshold> thresholds() {
        return List.of(LAG_WARNING, LAG_CRITICAL, SLOT_RETAINED_CRITICAL);
    }

    // PostgreSQL 12-17. On a standby pg_current_wal_lsn() fails, hence the CASE.
    private static final String STANDBYS = """
            SELECT application_name AS standby, client_addr::text AS client, state, sync_state,
                   EXTRACT(EPOCH FROM replay_lag)::float8 AS replay_lag_seconds,
                   pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint AS replay_lag_bytes
            FROM pg_stat_replication
            ORDER BY replay_lag DESC NULLS LAST
            """;

    private static final String SLOTS = """
            SELECT slot_name AS slot, slot_type AS type, active, %s AS wal_status,
                   pg_wal_lsn_diff(CASE WHEN pg_is_in_recovery() THEN pg_last_wal_receive_lsn() ELSE pg_current_wal_lsn() END,
                                   restart_lsn)::bigint AS retained_bytes
            FROM pg_replication_slots
            ORDER BY active, retained_bytes DESC NULLS LAST
            """;

    private static final String REPLAY_DELAY = """
            SELECT EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())::bigint AS replay_delay_seconds
            """;

    ReplicationCheck() {
        super("replication", Category.RESOURCES, "standby lag, replay delay on a standby, and slots retaining WAL");
    }

    @Override
    public Set<String> findingCodes() {
        return Set.of("PG_INACTIVE_SLOT", "PG_REPLICATION_LAG");
    }

    @Override
    protected CheckResult check(PostgresSession session, CheckContext context) throws Exception {
        boolean standby = Values.bool(session.queryOne("SELECT pg_is_in_recovery() AS r", context), "r");
        Map<String, Object> replayDelay = standby ? session.queryOne(REPLAY_DELAY, context) : null;
        List<Map<String, Object>> standbys = standby ? List.of() : session.query(STANDBYS, context);
        // wal_status (lost, unreserved...) exists from PostgreSQL 13 on; before, the column is NULL.
        String walStatus = session.serverVersion() >= 130000 ? "wal_status" : "NULL::text";
        List<Map<String, Object>> slots = session.query(SLOTS.formatted(walStatus), context);
        return standby ? interpretStandby(replayDelay, slots, context) : interpretPrimary(standbys, slots, context);
    }

    /** On a standby: the row of {@link #REPLAY_DELAY} and the slots; fixture rows in the tests take the queries' place. */
    static CheckResult interpretStandby(Map<String, Object> replayDelay, List<Map<String, Object>> slots, CheckContext context) {
        CheckResult.Builder result = CheckResult.builder();
        long delay = Values.longValue(replayDelay, "replay_delay_seconds");
        result.metric("replay_delay_seconds", delay);
        if (delay >= LAG_WARNING.value(context)) {
            result.add(Finding.of("PG_REPLICATION_LAG", delay >= LAG_CRITICAL.value(context) ? Severity.CRITICAL : Severity.WARNING,
                            "This standby last replayed a transaction " + Format.duration(delay) + " ago")
                    .detail("Either the primary has been idle (then this is harmless) or replay is behind: long queries here "
                            + "conflicting with replay, slow I/O, or a broken WAL stream.")
                    .evidence("replayDelaySeconds", delay)
                    .recommendation("Compare pg_last_wal_receive_lsn() with pg_last_wal_replay_lsn(); check pg_stat_wal_receiver and the log.")
                    .playbook(playbook("pg-replication")).build());
        }
        return slots(result, slots, context);
    }

    /** On a primary: the rows of {@link #STANDBYS} and the slots; fixture rows in the tests take the queries' place. */
    static CheckResult interpretPrimary(List<Map<String, Object>> standbys, List<Map<String, Object>> slots, CheckContext context) {
        CheckResult.Builder result = CheckResult.builder();
        result.metric("standbys", standbys.size());
        double worstLag = standbys.stream().mapToDouble(r -> Values.doubleValue(r, "replay_lag_seconds")).max().orElse(0);
        result.metric("max_replay_lag_seconds", worstLag);
        if (worstLag >= LAG_WARNING.value(context)) {
            result.add(Finding.of("PG_REPLICATION_LAG", worstLag >= LAG_CRITICAL.value(context) ? Severity.CRITICAL : Severity.WARNING,
                            "A standby replays " + Format.duration((long) worstLag) + " behind this primary")
                    .evidence("standbys", standbys)
                    .recommendation("Check the standby's I/O and the network; a failover now would lose or wait for this much.")
                    .playbook(playbook("pg-replication")).build());
        }
        return slots(result, slots, context);
    }

    private static CheckResult slots(CheckResult.Builder result, List<Map<String, Object>> slots, CheckContext context) {
        List<Map<String, Object>> inactive = slots.stream().filter(r -> !Values.bool(r, "active")).toList();
        long retained = inactive.stream().mapToLong(r -> Values.longValue(r, "retained_bytes")).max().orElse(0);
        result.metric("replication_slots", slots.size()).metric("inactive_slots", inactive.size()).metric("max_inactive_retained_bytes", retained);
        if (!inactive.isEmpty()) {
            boolean lost = inactive.stream().anyMatch(r -> "lost".equals(r.get("wal_status")) || "unreserved".equals(r.get("wal_status")));
            Map<String, Object> first = inactive.getFirst();
            Severity severity = lost || retained >= SLOT_RETAINED_CRITICAL.value(context)
                    ? Severity.CRITICAL : Severity.WARNING;
            result.add(Finding.of("PG_INACTIVE_SLOT", severity,
                            inactive.size() + " inactive replication " + (inactive.size() == 1 ? "slot retains" : "slots retain")
                                    + " WAL, up to " + Format.bytes(retained) + " (" + Values.text(first, "slot") + ")")
                    .detail("A slot keeps every WAL segment its consumer has not confirmed. With no consumer connected, pg_wal grows "
                            + "until the disk is full and the server stops.")
                    .evidence("slots", inactive)
                    .recommendation("Reconnect the consumer, or if nobody needs it: SELECT pg_drop_replication_slot('"
                            + Values.text(first, "slot").replace("'", "''") + "');  -- and cap the damage with max_slot_wal_keep_size (13+)")
                    .playbook(playbook("pg-replication")).build());
        }
        return result.build();
    }
}
