package dbtool.plugin.mariadb.checks;

import dbtool.plugin.mariadb.MariaDbSession;
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

/** Connections in use against max_connections, not counting dbtool's own session, and who holds them. */
final class ConnectionHeadroomCheck extends MariaDbCheck {

    @Override
    public List<Threshold> thresholds() {
        return List.of(MariaDbThresholds.CONNECTIONS_WARNING, MariaDbThresholds.CONNECTIONS_CRITICAL);
    }

    static final String VARIABLES = "SHOW GLOBAL VARIABLES WHERE Variable_name IN ('max_connections', 'max_user_connections')";
    static final String STATUS = """
            SHOW GLOBAL STATUS WHERE Variable_name IN ('Threads_connected', 'Threads_running', 'Max_used_connections',
                                                       'Connection_errors_max_connections')
            """;
    // Who holds the connections: the top accounts, idle or not (dbtool's own session left out).
    static final String BY_USER = """
            SELECT USER AS user, COUNT(*) AS connections, SUM(COMMAND = 'Sleep') AS idle
            FROM information_schema.PROCESSLIST
            WHERE ID <> CONNECTION_ID() AND USER NOT IN ('system user', 'event_scheduler')
            GROUP BY USER
            ORDER BY connections DESC
            LIMIT 5
            """;

    ConnectionHeadroomCheck() {
        super("connections", Category.RESOURCES, "connections in use against max_connections, and the accounts holding them");
    }

    @Override
    public Set<String> findingCodes() {
        return Set.of("MARIADB_CONNECTIONS_NEAR_LIMIT", "MARIADB_CONNECTIONS_REFUSED_BEFORE");
    }

    @Override
    protected CheckResult check(MariaDbSession session, CheckContext context) throws Exception {
        Map<String, String> variables = session.nameValues(VARIABLES, context);
        Map<String, String> status = session.nameValues(STATUS, context);
        List<Map<String, Object>> byUser = session.query(BY_USER, context);
        return interpret(variables, status, byUser, MariaDbThresholds.CONNECTIONS_WARNING.value(context),
                MariaDbThresholds.CONNECTIONS_CRITICAL.value(context)).build();
    }

    static CheckResult.Builder interpret(Map<String, String> variables, Map<String, String> status, List<Map<String, Object>> byUser,
                                         double warning, double critical) {
        long max = number(variables.get("max_connections"));
        if (max <= 0) {
            throw new IllegalStateException("the server did not report max_connections");
        }
        // Threads_connected counts dbtool's own session: leave it out.
        long used = Math.max(0, number(status.get("Threads_connected")) - 1);
        long running = Math.max(0, number(status.get("Threads_running")) - 1);
        long peak = number(status.get("Max_used_connections"));
        long refused = number(status.get("Connection_errors_max_connections"));
        double ratio = (double) used / max;
        CheckResult.Builder result = CheckResult.builder()
                .metric("connections_used", used).metric("connections_max", max).metric("connections_ratio", ratio)
                .metric("threads_running", running).metric("max_used_connections", peak)
                .metric("connections_refused_total", refused);
        if (ratio < warning) {
            if (refused > 0 && peak >= max) {
                result.add(Finding.of("MARIADB_CONNECTIONS_REFUSED_BEFORE", Severity.INFO,
                                "All " + max + " connection slots were taken at some point since the server started; " + refused
                                        + " connections were refused")
                        .detail("Connection_errors_max_connections counts refusals since start; now " + used + " are in use.")
                        .evidence("maxUsedConnections", peak).evidence("refused", refused)
                        .playbook(playbook("mariadb-connection-headroom")).build());
            }
            return result;
        }
        List<Map<String, Object>> holders = byUser.stream().map(row -> Map.<String, Object>of(
                "user", Format.printable(row.get("user"), 80),
                "connections", Values.longValue(row, "connections"),
                "idle", Values.longValue(row, "idle"))).toList();
        return result.add(Finding.of("MARIADB_CONNECTIONS_NEAR_LIMIT", ratio >= critical ? Severity.CRITICAL : Severity.WARNING,
                        used + " of " + max + " connections in use (" + Format.percent(ratio) + ")")
                .detail("When every slot is taken, new logins fail with error 1040 (Too many connections); one extra slot is kept"
                        + " for an account with CONNECTION_ADMIN or SUPER. " + running + " of them are running a statement; the"
                        + " peak since start is " + peak + ".")
                .evidence("used", used).evidence("max", max).evidence("running", running)
                .evidence("maxUsedConnections", peak).evidence("refused", refused)
                .evidence("byUser", holders)
                .recommendation("Find idle connections held by a pool or a leak: SELECT user, host, command, COUNT(*) FROM"
                        + " information_schema.PROCESSLIST GROUP BY 1, 2, 3 ORDER BY 4 DESC; size the application pools below"
                        + " max_connections, or cap an account with ALTER USER ... WITH MAX_USER_CONNECTIONS n.")
                .playbook(playbook("mariadb-connection-headroom")).build());
    }

    static long number(String value) {
        try {
            return value == null || value.isBlank() ? 0 : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
