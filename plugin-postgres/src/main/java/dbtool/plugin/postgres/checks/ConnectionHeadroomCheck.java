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

/** How many connection slots are left, server-wide and against role and database limits. */
final class ConnectionHeadroomCheck extends PostgresCheck {

    static final Threshold WARNING_RATIO = Threshold.number("connections_warning_ratio", 0.8, "ratio",
            "used share of usable connection slots for WARNING");

    static final Threshold CRITICAL_RATIO = Threshold.number("connections_critical_ratio", 0.95, "ratio",
            "used share of usable connection slots for CRITICAL");

    @Override
    public List<Threshold> thresholds() {
        return List.of(WARNING_RATIO, CRITICAL_RATIO);
    }

    // dbtool's own session is not counted anywhere: it ends with the run, and an operator who counts
    // the sessions of pg_stat_activity by hand after it would not find it.
    // reserved_connections exists from PostgreSQL 16 on; before that only superuser_reserved_connections.
    private static final String SLOTS = """
            SELECT (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()) AS connections,
                   current_setting('max_connections')::int AS max_connections,
                   current_setting('superuser_reserved_connections')::int
                     + %s AS reserved
            """;

    private static final String BY_USER = """
            SELECT coalesce(usename, '-') AS user, count(*) AS connections
            FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()
            GROUP BY 1 ORDER BY 2 DESC LIMIT 5
            """;

    private static final String BY_DATABASE = """
            SELECT coalesce(datname, '-') AS database, count(*) AS connections
            FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()
            GROUP BY 1 ORDER BY 2 DESC LIMIT 5
            """;

    private static final String ROLE_LIMITS = """
            SELECT r.rolname AS role, r.rolconnlimit AS limit, count(a.pid) AS connections
            FROM pg_roles r JOIN pg_stat_activity a ON a.usename = r.rolname AND a.pid <> pg_backend_pid()
            WHERE r.rolconnlimit >= 0
            GROUP BY 1, 2
            HAVING count(a.pid) >= 0.8 * r.rolconnlimit
            ORDER BY 3 DESC LIMIT 10
            """;

    private static final String DATABASE_LIMITS = """
            SELECT d.datname AS database, d.datconnlimit AS limit, count(a.pid) AS connections
            FROM pg_database d JOIN pg_stat_activity a ON a.datid = d.oid AND a.pid <> pg_backend_pid()
            WHERE d.datconnlimit >= 0
            GROUP BY 1, 2
            HAVING count(a.pid) >= 0.8 * d.datconnlimit
            ORDER BY 3 DESC LIMIT 10
            """;

    ConnectionHeadroomCheck() {
        super("connection-headroom", Category.CONNECTIVITY, "connections used against max_connections, role and database connection limits");
    }

    @Override
    public Set<String> findingCodes() {
        return Set.of("PG_CONNECTIONS_NEAR_LIMIT", "PG_DATABASE_CONNECTION_LIMIT", "PG_ROLE_CONNECTION_LIMIT");
    }

    @Override
    protected CheckResult check(PostgresSession session, CheckContext context) throws Exception {
        boolean reservedRole = session.serverVersion() >= 160000;
        Map<String, Object> slots = session.queryOne(SLOTS.formatted(reservedRole ? "current_setting('reserved_connections')::int" : "0"), context);
        // Who holds the connections is asked only when they run short.
        boolean runningShort = usedRatio(slots) >= WARNING_RATIO.value(context);
        List<Map<String, Object>> byUser = runningShort ? session.query(BY_USER, context) : List.of();
        List<Map<String, Object>> byDatabase = runningShort ? session.query(BY_DATABASE, context) : List.of();
        return interpret(new Rows(slots, byUser, byDatabase, session.query(ROLE_LIMITS, context), session.query(DATABASE_LIMITS, context)),
                reservedRole, context);
    }

    /**
     * The answers to the queries above: {@code slots} one row of {@link #SLOTS}; {@code byUser} and
     * {@code byDatabase} empty unless the slots run short.
     */
    record Rows(Map<String, Object> slots, List<Map<String, Object>> byUser, List<Map<String, Object>> byDatabase,
                List<Map<String, Object>> roleLimits, List<Map<String, Object>> databaseLimits) {
    }

    private static long usable(Map<String, Object> slots) {
        return Math.max(1, Values.longValue(slots, "max_connections") - Values.longValue(slots, "reserved"));
    }

    private static double usedRatio(Map<String, Object> slots) {
        return (double) Values.longValue(slots, "connections") / usable(slots);
    }

    /**
     * What the rows say, apart from the server: fixture rows in the tests take the queries' place.
     * {@code reservedRole}: the server has pg_use_reserved_connections (PostgreSQL 16 and later).
     */
    static CheckResult interpret(Rows rows, boolean reservedRole, CheckContext context) {
        Map<String, Object> slots = rows.slots();
        long connections = Values.longValue(slots, "connections");
        long max = Values.longValue(slots, "max_connections");
        long usable = usable(slots);
        double ratio = usedRatio(slots);
        CheckResult.Builder result = CheckResult.builder()
                .metric("connections", connections).metric("max_connections", max).metric("usable_connections", usable)
                .metric("used_ratio", Math.round(ratio * 1000) / 1000.0);

        double warning = WARNING_RATIO.value(context);
        double critical = CRITICAL_RATIO.value(context);
        if (ratio >= warning) {
            result.add(Finding.of("PG_CONNECTIONS_NEAR_LIMIT", ratio >= critical ? Severity.CRITICAL : Severity.WARNING,
                            connections + " of " + usable + " usable connection slots are taken (" + Math.round(ratio * 100) + "%)")
                    .detail("max_connections is " + max + "; " + (max - usable) + " slots are reserved for superusers"
                            + (reservedRole ? " and pg_use_reserved_connections" : "")
                            + ". New clients get 'too many clients' once the rest are gone.")
                    .evidence("connections", connections)
                    .evidence("usableSlots", usable)
                    .evidence("byUser", rows.byUser())
                    .evidence("byDatabase", rows.byDatabase())
                    .recommendation("Find the pool or job that grew (byUser, byDatabase; 'dbtool troubleshoot TARGET --check connections' "
                            + "shows states), close idle sessions at the pooler, and put a pooler such as PgBouncer in front before raising max_connections.")
                    .playbook(playbook("pg-connection-headroom")).build());
        }
        for (Map<String, Object> row : rows.roleLimits()) {
            result.add(limitFinding("PG_ROLE_CONNECTION_LIMIT", "role", Values.text(row, "role"), row));
        }
        for (Map<String, Object> row : rows.databaseLimits()) {
            result.add(limitFinding("PG_DATABASE_CONNECTION_LIMIT", "database", Values.text(row, "database"), row));
        }
        return result.build();
    }

    private static Finding limitFinding(String code, String kind, String name, Map<String, Object> row) {
        long connections = Values.longValue(row, "connections");
        long limit = Values.longValue(row, "limit");
        boolean full = connections >= limit;
        // A double quote inside a quoted identifier is doubled, or the printed statement would not run as written.
        String identifier = "\"" + name.replace("\"", "\"\"") + "\"";
        String alter = (kind.equals("role") ? "ALTER ROLE " : "ALTER DATABASE ") + identifier + " CONNECTION LIMIT ";
        return Finding.of(code, full ? Severity.CRITICAL : Severity.WARNING,
                        "The " + kind + " " + name + " uses " + connections + " of its " + limit + " connections")
                .detail(full ? "New connections for this " + kind + " are refused." : "Few connections are left for this " + kind + ".")
                .evidence(kind, name).evidence("connections", connections).evidence("limit", limit)
                .recommendation("Find which clients hold them, or raise the limit: " + alter + (limit * 2) + ";")
                .playbook(playbook("pg-connection-headroom")).build();
    }
}
