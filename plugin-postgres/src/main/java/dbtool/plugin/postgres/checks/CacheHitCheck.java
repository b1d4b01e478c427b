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

/** Shared buffer hit ratio per database since the statistics were last reset. */
final class CacheHitCheck extends PostgresCheck {

    static final Threshold MINIMUM_RATIO = Threshold.number("cache_hit_ratio_warning", 0.90, "ratio",
            "WARNING below this buffer cache hit ratio");

    static final Threshold MINIMUM_BLOCKS = Threshold.number("cache_hit_min_blocks", 100_000, "blocks",
            "databases with fewer block accesses than this are not judged");

    @Override
    public List<Threshold> thresholds() {
        return List.of(MINIMUM_RATIO, MINIMUM_BLOCKS);
    }

    // PostgreSQL 12-17.
    private static final String RATIOS = """
            SELECT datname AS database, blks_hit, blks_read,
                   round(blks_hit::numeric / nullif(blks_hit + blks_read, 0), 4)::float8 AS hit_ratio
            FROM pg_stat_database
            WHERE datname IS NOT NULL
            ORDER BY blks_read DESC
            """;

    CacheHitCheck() {
        super("cache-hit", Category.RESOURCES, "shared buffer cache hit ratio per database");
    }

    @Override
    public Set<String> findingCodes() {
        return Set.of("PG_CACHE_HIT_RATIO");
    }

    @Override
    protected CheckResult check(PostgresSession session, CheckContext context) throws Exception {
        List<Map<String, Object>> rows = session.query(RATIOS, context);
        return interpret(rows, context);
    }

    /** What the rows say, apart from the server: fixture rows in the tests take the query's place. */
    static CheckResult interpret(List<Map<String, Object>> rows, CheckContext context) {
        double minimum = MINIMUM_RATIO.value(context);
        double sample = MINIMUM_BLOCKS.value(context);
        long hits = rows.stream().mapToLong(r -> Values.longValue(r, "blks_hit")).sum();
        long reads = rows.stream().mapToLong(r -> Values.longValue(r, "blks_read")).sum();
        CheckResult.Builder result = CheckResult.builder()
                .metric("hit_ratio", hits + reads == 0 ? null : Math.round(hits * 10000.0 / (hits + reads)) / 10000.0);
        List<Map<String, Object>> low = rows.stream()
                .filter(r -> Values.longValue(r, "blks_hit") + Values.longValue(r, "blks_read") >= sample)
                .filter(r -> r.get("hit_ratio") != null && Values.doubleValue(r, "hit_ratio") < minimum)
                .toList();
        if (low.isEmpty()) {
            return result.build();
        }
        Map<String, Object> worst = low.getFirst();
        return result.add(Finding.of("PG_CACHE_HIT_RATIO", Severity.WARNING,
                        "Cache hit ratio of " + Values.text(worst, "database") + " is " + Math.round(Values.doubleValue(worst, "hit_ratio") * 1000) / 10.0
                                + "% (below " + Math.round(minimum * 100) + "%)")
                .detail("Reads that miss shared_buffers go to the OS cache or disk. A drop often comes with a new query doing large scans.")
                .evidence("databases", low)
                .recommendation("Look at top statements by shared_blks_read (top-statements check) for missing indexes before sizing shared_buffers up.")
                .playbook(playbook("pg-cache-hit-ratio")).build()).build();
    }
}
