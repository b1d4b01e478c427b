package dbtool.plugin.postgres.checks;

import dbtool.plugin.postgres.PostgresSession;
import dbtool.spi.Category;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.toolkit.Values;
import java.util.Map;

/** Client connections by state, as metrics (the headroom check judges them). */
final class ConnectionStatesCheck extends PostgresCheck {

    // PostgreSQL 12-17.
    private static final String STATES = """
            SELECT count(*) AS total,
                   count(*) FILTER (WHERE state = 'active') AS active,
                   count(*) FILTER (WHERE state = 'idle') AS idle,
                   count(*) FILTER (WHERE state LIKE 'idle in transaction%') AS idle_in_transaction,
                   count(*) FILTER (WHERE wait_event_type = 'Lock') AS waiting_on_locks
            FROM pg_stat_activity
            WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()
            """;

    ConnectionStatesCheck() {
        super("connections", Category.RESOURCES, "client connections by state: active, idle, idle in transaction, waiting on locks");
    }

    @Override
    protected CheckResult check(PostgresSession session, CheckContext context) throws Exception {
        Map<String, Object> row = session.queryOne(STATES, context);
        return interpret(row, context);
    }

    /** What the rows say, apart from the server: fixture rows in the tests take the query's place. */
    static CheckResult interpret(Map<String, Object> row, CheckContext context) {
        CheckResult.Builder result = CheckResult.builder();
        for (String key : row.keySet()) {
            result.metric(key, Values.longValue(row, key));
        }
        return result.build();
    }
}
