package dbtool.plugin.mongo.checks;

import dbtool.plugin.mongo.Docs;
import dbtool.plugin.mongo.MongoSession;
import dbtool.spi.Category;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.spi.Threshold;
import dbtool.toolkit.Format;
import java.util.List;
import java.util.Set;
import org.bson.Document;

/**
 * Incoming connections in use against the limit ({@code serverStatus.connections}): available is
 * what is left of net.maxIncomingConnections or the process's file descriptor limit, whichever is lower.
 */
final class ConnectionsCheck extends MongoCheck {

    static final Threshold WARNING_RATIO = Threshold.number("connections_warning_ratio", 0.8, "ratio",
            "used share of the connection limit for WARNING");

    static final Threshold CRITICAL_RATIO = Threshold.number("connections_critical_ratio", 0.95, "ratio",
            "used share of the connection limit for CRITICAL");

    @Override
    public List<Threshold> thresholds() {
        return List.of(WARNING_RATIO, CRITICAL_RATIO);
    }

    ConnectionsCheck() {
        super("connections", Category.CONNECTIVITY, "connections current versus available (serverStatus.connections)");
    }

    @Override
    public Set<String> findingCodes() {
        return Set.of("MONGO_CONNECTIONS_NEAR_LIMIT");
    }

    @Override
    protected CheckResult check(MongoSession session, CheckContext context) throws Exception {
        return interpret(session.serverStatus(context), context);
    }

    static CheckResult interpret(Document serverStatus, CheckContext context) {
        Document connections = Docs.doc(serverStatus, "connections");
        long current = Docs.longValue(connections, "current");
        long available = Docs.longValue(connections, "available");
        long limit = current + available;
        double ratio = limit == 0 ? 0 : (double) current / limit;
        CheckResult.Builder result = CheckResult.builder()
                .metric("connections", current).metric("available", available).metric("used_ratio", round(ratio))
                .metric("total_created", Docs.longValue(connections, "totalCreated"));
        // "active" exists from 4.0.7 on; "rejected" from 6.3 on (connections over maxIncomingConnections).
        Docs.number(connections, "active").ifPresent(active -> result.metric("active", active.longValue()));
        Docs.number(connections, "rejected").ifPresent(rejected -> result.metric("rejected", rejected.longValue()));
        double warning = WARNING_RATIO.value(context);
        double critical = CRITICAL_RATIO.value(context);
        if (limit > 0 && ratio >= warning) {
            result.add(Finding.of("MONGO_CONNECTIONS_NEAR_LIMIT", ratio >= critical ? Severity.CRITICAL : Severity.WARNING,
                            current + " of " + limit + " incoming connections are in use (" + Format.percent(ratio) + ")")
                    .detail("When none are available the server refuses new clients (applications see connection errors or pool "
                            + "timeouts). Each connection also costs about 1 MB of memory on the server.")
                    .evidence("current", current)
                    .evidence("available", available)
                    .evidence("totalCreated", Docs.longValue(connections, "totalCreated"))
                    .recommendation("Find who holds them: db.currentOp({$all: true}).inprog grouped by appName and client, or the "
                            + "server log's 'connection accepted' lines; lower maxPoolSize in the busiest application's driver "
                            + "settings before raising net.maxIncomingConnections or ulimit -n.")
                    .playbook(playbook("MONGO_CONNECTIONS_NEAR_LIMIT")).build());
        }
        return result.build();
    }
}
