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
 * Long transactions, and whatever holds back the xmin horizon (sessions, replication slots,
 * prepared transactions, standbys with hot_standby_feedback): vacuum cannot remove rows newer
 * than the oldest of them, so tables bloat while it lasts.
 */
final class LongTransactionsCheck extends PostgresCheck {

    static final Threshold WARNING_AGE = Threshold.number("long_transaction_seconds", 300, "s",
            "WARNING from this transaction age");

    static final Threshold CRITICAL_AGE = Threshold.number("long_transaction_critical_seconds", 3600, "s",
            "CRITICAL from this transaction age");

    static final Threshold XMIN_AGE_WARNING = Threshold.number("xmin_age_warning", 50_000_000, "transactions",
            "WARNING when the xmin horizon a session holds is this many transactions old");

    @Override
    public List<Threshold> thresholds() {
        return List.of(SESSION_SCOPE, WARNING_AGE, CRITICAL_AGE, XMIN_AGE_WARNING);
    }

    /** Client backends in scope with a transaction open, the oldest first, at most 5, from the run's pg_stat_activity snapshot. */
    static List<Map<String, Object>> oldest(ActivitySnapshot snapshot, boolean clusterWide) {
        List<Map<String, Object>> open = snapshot.inScope(clusterWide, row -> ActivitySnapshot.clientBackend(row) && row.get("xact_age") != null);
        return ActivitySnapshot.oldestFirst(open, "xact_age", 5).stream()
                .map(row -> ActivitySnapshot.project(row, 120, "pid", "pid", "user", "user", "application", "application",
                        "state", "state", "xact_seconds", "xact_seconds", "query", "query"))
                .toList();
    }

    // PostgreSQL 12-17.
    private static final String XMIN_HOLDERS = """
            SELECT * FROM (
              SELECT 'session' AS kind, pid::text AS holder, age(backend_xmin)::bigint AS xmin_age,
                     EXTRACT(EPOCH FROM now() - xact_start)::bigint AS seconds
              FROM pg_stat_activity WHERE backend_xmin IS NOT NULL AND pid <> pg_backend_pid()
              UNION ALL
              SELECT 'replication slot', slot_name::text, greatest(age(xmin), age(catalog_xmin))::bigint, NULL
              FROM pg_replication_slots WHERE xmin IS NOT NULL OR catalog_xmin IS NOT NULL
              UNION ALL
              SELECT 'prepared transaction', gid, age(transaction)::bigint, EXTRACT(EPOCH FROM now() - prepared)::bigint
              FROM pg_prepared_xacts
              UNION ALL
              SELECT 'standby feedback', coalesce(application_name, client_addr::text), age(backend_xmin)::bigint, NULL
              FROM pg_stat_replication WHERE backend_xmin IS NOT NULL
            ) h
            ORDER BY xmin_age DESC NULLS LAST
            LIMIT 5
            """;

    LongTransactionsCheck() {
        super("long-transactions", Category.RESOURCES, "the oldest transactions and the oldest xmin holders (sessions, slots, prepared transactions, standbys)");
    }

    @Override
    public Set<String> findingCodes() {
        return Set.of("PG_LONG_TRANSACTION", "PG_XMIN_HORIZON");
    }

    @Override
    protected CheckResult check(PostgresSession session, CheckContext context) throws Exception {
        List<Map<String, Object>> oldest = oldest(ActivitySnapshot.of(session, context), clusterWide(session, context));
        List<Map<String, Object>> holders = session.query(XMIN_HOLDERS, context);
        return interpret(oldest, holders, context);
    }

    /**
     * What the rows say, apart from the server: fixture rows in the tests take the queries' place.
     *
     * @param oldest  the {@link #oldest} rows, oldest transaction first
     * @param holders the XMIN_HOLDERS rows, oldest xmin first (sessions, prepared transactions, slots, standbys)
     */
    static CheckResult interpret(List<Map<String, Object>> oldest, List<Map<String, Object>> holders, CheckContext context) {
        long longest = oldest.isEmpty() ? 0 : Values.longValue(oldest.getFirst(), "xact_seconds");
        long xminAge = holders.isEmpty() ? 0 : Values.longValue(holders.getFirst(), "xmin_age");
        CheckResult.Builder result = CheckResult.builder()
                .metric("longest_transaction_seconds", longest).metric("oldest_xmin_age", xminAge);

        double warning = WARNING_AGE.value(context);
        double critical = CRITICAL_AGE.value(context);
        if (longest >= warning) {
            List<Map<String, Object>> over = oldest.stream().filter(r -> Values.longValue(r, "xact_seconds") >= warning).toList();
            Map<String, Object> first = over.getFirst();
            result.add(Finding.of("PG_LONG_TRANSACTION", longest >= critical ? Severity.CRITICAL : Severity.WARNING,
                            "A transaction has been open for " + Format.duration(longest) + " (pid " + Values.longValue(first, "pid") + ", "
                                    + Values.text(first, "state") + ")")
                    .detail("Long transactions hold locks and keep vacuum from removing dead rows, everywhere in the cluster.")
                    .evidence("pids", over.stream().map(r -> Values.longValue(r, "pid")).toList())
                    .evidence("transactions", over)
                    .recommendation("Find out from its application why it runs so long; to end it: SELECT pg_terminate_backend("
                            + Values.longValue(first, "pid") + ");")
                    .playbook(playbook("pg-long-transaction")).build());
        }
        if (!holders.isEmpty() && xminAge >= XMIN_AGE_WARNING.value(context)) {
            Map<String, Object> first = holders.getFirst();
            result.add(Finding.of("PG_XMIN_HORIZON", Severity.WARNING,
                            "The xmin horizon is " + xminAge + " transactions old, held by " + Values.text(first, "kind") + " "
                                    + Values.text(first, "holder"))
                    .detail("Vacuum cannot remove rows deleted after this point; bloat grows and freezing falls behind until it moves.")
                    .evidence("holders", holders)
                    .recommendation(switch (Values.text(first, "kind")) {
                        case "replication slot" -> "Check the slot's consumer; drop a slot nobody uses: SELECT pg_drop_replication_slot('"
                                + Values.text(first, "holder") + "');";
                        case "prepared transaction" -> "COMMIT PREPARED or ROLLBACK PREPARED '" + Values.text(first, "holder").replace("'", "''")
                                + "' after asking its transaction manager.";
                        case "standby feedback" -> "A long query on standby " + Values.text(first, "holder") + " holds it through hot_standby_feedback.";
                        default -> "End the session if its owner agrees: SELECT pg_terminate_backend(" + Values.text(first, "holder") + ");";
                    })
                    .playbook(playbook("pg-long-transaction")).build());
        }
        return result.build();
    }
}
