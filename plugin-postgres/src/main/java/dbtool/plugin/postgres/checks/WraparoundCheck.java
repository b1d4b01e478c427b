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

/**
 * Transaction ID and multixact age per database. At about 2^31 (2.1 billion) the server stops
 * accepting writes to protect itself; the defaults warn at about half of that.
 */
final class WraparoundCheck extends PostgresCheck {

    static final Threshold WARNING_AGE = Threshold.number("xid_age_warning", 1_000_000_000, "transactions",
            "WARNING from this XID or multixact age");

    static final Threshold CRITICAL_AGE = Threshold.number("xid_age_critical", 1_500_000_000, "transactions",
            "CRITICAL from this XID or multixact age");

    @Override
    public List<Threshold> thresholds() {
        return List.of(WARNING_AGE, CRITICAL_AGE);
    }

    // mxid_age exists since 9.5. PostgreSQL 12-17.
    private static final String AGES = """
            SELECT datname AS database, age(datfrozenxid)::bigint AS xid_age, mxid_age(datminmxid)::bigint AS mxid_age
            FROM pg_database
            ORDER BY 2 DESC
            """;

    WraparoundCheck() {
        super("wraparound", Category.RESOURCES, "transaction ID and multixact wraparound age per database");
    }

    @Override
    public Set<String> findingCodes() {
        return Set.of("PG_XID_WRAPAROUND");
    }

    @Override
    protected CheckResult check(PostgresSession session, CheckContext context) throws Exception {
        List<Map<String, Object>> ages = session.query(AGES, context);
        return interpret(ages, context);
    }

    /** What the rows say, apart from the server: fixture rows in the tests take the query's place. */
    static CheckResult interpret(List<Map<String, Object>> ages, CheckContext context) {
        long maxXid = ages.stream().mapToLong(r -> Values.longValue(r, "xid_age")).max().orElse(0);
        long maxMxid = ages.stream().mapToLong(r -> Values.longValue(r, "mxid_age")).max().orElse(0);
        CheckResult.Builder result = CheckResult.builder().metric("max_xid_age", maxXid).metric("max_mxid_age", maxMxid);
        double warning = WARNING_AGE.value(context);
        double critical = CRITICAL_AGE.value(context);
        long worst = Math.max(maxXid, maxMxid);
        if (worst < warning) {
            return result.build();
        }
        Map<String, Object> first = ages.getFirst();
        String database = Values.text(first, "database");
        return result.add(Finding.of("PG_XID_WRAPAROUND", worst >= critical ? Severity.CRITICAL : Severity.WARNING,
                        "Database " + database + " is " + worst + " transactions from its last freeze ("
                                + Math.round(worst * 100.0 / 2_147_483_648L) + "% of the way to wraparound)")
                .detail("At 2^31 the server refuses writes until the database is vacuumed. Something keeps autovacuum from freezing: "
                        + "long transactions, xmin holders, or too few or too slow autovacuum workers.")
                .evidence("databases", ages.stream().limit(5).toList())
                .recommendation("Remove what holds the xmin horizon (long-transactions check), then in " + database
                        + ": VACUUM (FREEZE, VERBOSE) on the tables with the oldest relfrozenxid "
                        + "(SELECT oid::regclass, age(relfrozenxid) FROM pg_class WHERE relkind IN ('r','m','t') ORDER BY 2 DESC LIMIT 10;).")
                .playbook(playbook("pg-wraparound")).build()).build();
    }
}
