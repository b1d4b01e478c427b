package dbtool.plugin.postgres.checks;

import dbtool.plugin.postgres.PostgresSession;
import dbtool.spi.Category;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.spi.Threshold;
import dbtool.toolkit.Values;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checkpoints forced by WAL volume rather than by checkpoint_timeout: a sign max_wal_size is too small. */
final class CheckpointsCheck extends PostgresCheck {

    static final Threshold MINIMUM_COUNT = Threshold.number("checkpoints_min_count", 10, "checkpoints",
            "judge only after this many checkpoints");

    static final Threshold REQUESTED_RATIO = Threshold.number("checkpoints_requested_ratio", 0.5, "ratio",
            "WARNING when this share of checkpoints was requested rather than timed");

    /** Counted by the server since its start or a statistics reset. */
    @Override
    public Set<String> counters() {
        return Set.of("checkpoints_timed", "checkpoints_requested");
    }

    @Override
    public List<Threshold> thresholds() {
        return List.of(MINIMUM_COUNT, REQUESTED_RATIO);
    }

    // PostgreSQL 17 moved these counters from pg_stat_bgwriter to pg_stat_checkpointer.
    private static final String BEFORE_17 = """
            SELECT checkpoints_timed AS timed, checkpoints_req AS requested, current_setting('max_wal_size') AS max_wal_size
            FROM pg_stat_bgwriter
            """;
    private static final String SINCE_17 = """
            SELECT num_timed AS timed, num_requested AS requested, current_setting('max_wal_size') AS max_wal_size
            FROM pg_stat_checkpointer
            """;

    CheckpointsCheck() {
        super("checkpoints", Category.RESOURCES, "share of checkpoints requested by WAL volume instead of timed");
    }

    @Override
    public Set<String> findingCodes() {
        return Set.of("PG_CHECKPOINTS_REQUESTED");
    }

    @Override
    protected CheckResult check(PostgresSession session, CheckContext context) throws Exception {
        Map<String, Object> row = session.queryOne(session.serverVersion() >= 170000 ? SINCE_17 : BEFORE_17, context);
        return interpret(row, context);
    }

    /** What the rows say, apart from the server: fixture rows in the tests take the query's place. */
    static CheckResult interpret(Map<String, Object> row, CheckContext context) {
        long timed = Values.longValue(row, "timed");
        long requested = Values.longValue(row, "requested");
        long total = timed + requested;
        double share = total == 0 ? 0 : (double) requested / total;
        CheckResult.Builder result = CheckResult.builder()
                .metric("checkpoints_timed", timed).metric("checkpoints_requested", requested);
        if (total < MINIMUM_COUNT.value(context) || share < REQUESTED_RATIO.value(context)) {
            return result.build();
        }
        return result.add(Finding.of("PG_CHECKPOINTS_REQUESTED", Severity.WARNING,
                        Math.round(share * 100) + "% of checkpoints were forced by WAL volume (" + requested + " of " + total + ")")
                .detail("Forced checkpoints come faster than checkpoint_timeout and write more full-page images, which adds I/O and WAL.")
                .evidence("timed", timed).evidence("requested", requested).evidence("maxWalSize", Values.text(row, "max_wal_size"))
                .recommendation("Raise max_wal_size (ALTER SYSTEM SET max_wal_size = '...'; SELECT pg_reload_conf();) so that most checkpoints are timed.")
                .playbook(playbook("pg-checkpoints")).build()).build();
    }
}
