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
import java.util.stream.Collectors;

/** Two-phase-commit transactions left prepared: they hold locks and xmin with no session attached. */
final class PreparedTransactionsCheck extends PostgresCheck {

    static final Threshold WARNING_AGE = Threshold.number("prepared_xact_warning_seconds", 300, "s",
            "a prepared transaction this old is WARNING (INFO below)");

    static final Threshold CRITICAL_AGE = Threshold.number("prepared_xact_critical_seconds", 3600, "s",
            "a prepared transaction this old is CRITICAL");

    @Override
    public List<Threshold> thresholds() {
        return List.of(WARNING_AGE, CRITICAL_AGE);
    }

    /*
     * A prepared transaction's locks have no pid and keep the virtual transaction id they were
     * taken under; that id is found through the lock on the transaction's own xid. PostgreSQL 12-17.
     */
    private static final String PREPARED = """
            SELECT p.gid, p.owner, p.database, p.transaction::text AS xid,
                   EXTRACT(EPOCH FROM now() - p.prepared)::bigint AS age_seconds,
                   (SELECT count(*) FROM pg_locks l
                    WHERE l.pid IS NULL
                      AND l.virtualtransaction = (SELECT x.virtualtransaction FROM pg_locks x
                                                  WHERE x.locktype = 'transactionid' AND x.transactionid = p.transaction
                                                  LIMIT 1)) AS locks_held
            FROM pg_prepared_xacts p
            ORDER BY p.prepared
            LIMIT 20
            """;

    PreparedTransactionsCheck() {
        super("prepared-transactions", Category.LOCKS, "prepared (two-phase) transactions still open, with their age and locks");
    }

    @Override
    public Set<String> findingCodes() {
        return Set.of("PG_PREPARED_XACT");
    }

    @Override
    protected CheckResult check(PostgresSession session, CheckContext context) throws Exception {
        List<Map<String, Object>> prepared = session.query(PREPARED, context);
        return interpret(prepared, context);
    }

    /** What the rows say, apart from the server: fixture rows in the tests take the query's place. */
    static CheckResult interpret(List<Map<String, Object>> prepared, CheckContext context) {
        CheckResult.Builder result = CheckResult.builder().metric("prepared_transactions", prepared.size());
        if (prepared.isEmpty()) {
            return result.build();
        }
        long oldest = Values.longValue(prepared.getFirst(), "age_seconds");
        Severity severity = oldest >= CRITICAL_AGE.value(context) ? Severity.CRITICAL
                : oldest >= WARNING_AGE.value(context) ? Severity.WARNING : Severity.INFO;
        return result.add(Finding.of("PG_PREPARED_XACT", severity,
                        prepared.size() + " prepared " + (prepared.size() == 1 ? "transaction" : "transactions")
                                + " open, the oldest for " + Format.duration(oldest))
                .detail("A prepared transaction survives restarts and belongs to no session: it keeps its locks and holds back "
                        + "vacuum until its transaction manager commits or rolls it back.")
                // No backend holds these locks: headBlockers stays empty and the gids name the culprits.
                .evidence("headBlockers", List.of())
                .evidence("gids", prepared.stream().map(r -> Values.text(r, "gid")).toList())
                .evidence("transactions", prepared)
                .recommendation("Ask the transaction manager (XA coordinator) which outcome is right, then in the named database: "
                        + prepared.stream().map(r -> "COMMIT PREPARED '" + Values.text(r, "gid").replace("'", "''") + "'; or ROLLBACK PREPARED '"
                        + Values.text(r, "gid").replace("'", "''") + "';").collect(Collectors.joining(" ")))
                .playbook(playbook("pg-prepared-transactions")).build()).build();
    }
}
