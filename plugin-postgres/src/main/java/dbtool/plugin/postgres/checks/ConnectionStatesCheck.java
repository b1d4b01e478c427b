package dbtool.plugin.postgres.checks;

import dbtool.plugin.postgres.PostgresSession;
import dbtool.spi.Category;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.toolkit.Values;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Client connections by state, as metrics (the headroom check judges them). */
final class ConnectionStatesCheck extends PostgresCheck {

    /** Client backends by state, counted in the run's pg_stat_activity snapshot. */
    static Map<String, Object> states(ActivitySnapshot snapshot) {
        List<Map<String, Object>> clients = snapshot.inScope(true, ActivitySnapshot::clientBackend);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("total", (long) clients.size());
        row.put("active", clients.stream().filter(r -> "active".equals(r.get("state"))).count());
        row.put("idle", clients.stream().filter(r -> "idle".equals(r.get("state"))).count());
        row.put("idle_in_transaction", clients.stream().filter(ActivitySnapshot::idleInTransaction).count());
        row.put("waiting_on_locks", clients.stream().filter(ActivitySnapshot::waitsOnLock).count());
        return row;
    }

    ConnectionStatesCheck() {
        super("connections", Category.RESOURCES, "client connections by state: active, idle, idle in transaction, waiting on locks");
    }

    @Override
    protected CheckResult check(PostgresSession session, CheckContext context) throws Exception {
        Map<String, Object> row = states(ActivitySnapshot.of(session, context));
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
