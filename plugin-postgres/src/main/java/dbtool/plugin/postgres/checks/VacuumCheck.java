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
import java.util.stream.Collectors;

/**
 * Autovacuum capacity and the tables of this database most overdue for vacuum. Overdue is the
 * ratio of dead rows to the autovacuum trigger (threshold + scale factor x rows, server-wide
 * settings; per-table storage parameters are not read).
 */
final class VacuumCheck extends PostgresCheck {

    static final Threshold OVERDUE_FACTOR = Threshold.number("vacuum_overdue_factor", 2, "factor",
            "a table is overdue when its dead rows reach this multiple of its autovacuum trigger");

    static final Threshold OVERDUE_MIN_DEAD = Threshold.number("vacuum_overdue_min_dead_rows", 10_000, "rows",
            "and has at least this many dead rows");

    @Override
    public List<Threshold> thresholds() {
        return List.of(OVERDUE_FACTOR, OVERDUE_MIN_DEAD);
    }

    // PostgreSQL 12-17.
    private static final String WORKERS = """
            SELECT (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker') AS workers,
                   current_setting('autovacuum_max_workers')::int AS max_workers,
                   current_setting('autovacuum') AS autovacuum
            """;

    // Statistics views and pg_class only: no lock is taken on the tables themselves.
    private static final String OVERDUE = """
            SELECT s.schemaname || '.' || s.relname AS table, s.n_dead_tup AS dead_rows, s.n_live_tup AS live_rows,
                   round((current_setting('autovacuum_vacuum_threshold')::float8
                     + current_setting('autovacuum_vacuum_scale_factor')::float8 * greatest(c.reltuples, 0))::numeric)::bigint AS trigger_rows,
                   greatest(s.last_autovacuum, s.last_vacuum)::text AS last_vacuum
            FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
            WHERE s.n_dead_tup > 0
            ORDER BY s.n_dead_tup / (current_setting('autovacuum_vacuum_threshold')::float8
                     + current_setting('autovacuum_vacuum_scale_factor')::float8 * greatest(c.reltuples, 0)) DESC
            LIMIT 5
            """;

    VacuumCheck() {
        super("vacuum", Category.RESOURCES, "autovacuum workers busy, and the tables most overdue for vacuum");
    }

    @Override
    public Set<String> findingCodes() {
        return Set.of("PG_AUTOVACUUM_OFF", "PG_AUTOVACUUM_WORKERS_BUSY", "PG_VACUUM_OVERDUE");
    }

    @Override
    protected CheckResult check(PostgresSession session, CheckContext context) throws Exception {
        Map<String, Object> workers = session.queryOne(WORKERS, context);
        List<Map<String, Object>> tables = session.query(OVERDUE, context);
        return interpret(workers, tables, context);
    }

    /** What the rows of {@link #WORKERS} and {@link #OVERDUE} say, apart from the server: fixture rows in the tests take the queries' place. */
    static CheckResult interpret(Map<String, Object> workers, List<Map<String, Object>> tables, CheckContext context) {
        long busy = Values.longValue(workers, "workers");
        long max = Values.longValue(workers, "max_workers");
        CheckResult.Builder result = CheckResult.builder().metric("autovacuum_workers", busy).metric("autovacuum_max_workers", max);
        if (!"on".equals(Values.text(workers, "autovacuum"))) {
            result.add(Finding.of("PG_AUTOVACUUM_OFF", Severity.WARNING, "autovacuum is off")
                    .detail("Without autovacuum dead rows pile up and transaction IDs are not frozen.")
                    .recommendation("ALTER SYSTEM SET autovacuum = on; SELECT pg_reload_conf();")
                    .playbook(playbook("pg-vacuum")).build());
        }
        if (max > 0 && busy >= max) {
            result.add(Finding.of("PG_AUTOVACUUM_WORKERS_BUSY", Severity.WARNING, "All " + max + " autovacuum workers are busy")
                    .detail("Tables that need vacuum wait for a free worker; with big tables this can last hours.")
                    .recommendation("See which tables they work on (SELECT * FROM pg_stat_progress_vacuum;); consider raising "
                            + "autovacuum_max_workers (restart) or autovacuum_vacuum_cost_limit.")
                    .playbook(playbook("pg-vacuum")).build());
        }
        double factor = OVERDUE_FACTOR.value(context);
        double minimumDead = OVERDUE_MIN_DEAD.value(context);
        List<Map<String, Object>> overdue = tables.stream()
                .filter(r -> Values.longValue(r, "dead_rows") >= minimumDead)
                .filter(r -> Values.longValue(r, "dead_rows") >= factor * Math.max(1, Values.longValue(r, "trigger_rows")))
                .toList();
        result.metric("tables_overdue", overdue.size());
        if (!overdue.isEmpty()) {
            Map<String, Object> first = overdue.getFirst();
            result.add(Finding.of("PG_VACUUM_OVERDUE", Severity.WARNING,
                            overdue.size() + (overdue.size() == 1 ? " table is" : " tables are") + " overdue for vacuum; "
                                    + Values.text(first, "table") + " has " + Values.longValue(first, "dead_rows") + " dead rows (trigger "
                                    + Values.longValue(first, "trigger_rows") + ")")
                    .detail("Autovacuum has not caught up with these tables: it is busy elsewhere, blocked by locks or a long transaction, "
                            + "or disabled for the table.")
                    .evidence("tables", overdue)
                    .recommendation(overdue.stream().map(r -> "VACUUM (VERBOSE, ANALYZE) " + Values.text(r, "table") + ";")
                            .collect(Collectors.joining(" ")) + "  -- after removing what holds the xmin horizon")
                    .playbook(playbook("pg-vacuum")).build());
        }
        return result.build();
    }
}
