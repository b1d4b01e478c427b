package dbtool.plugin.mongo.checks;

import dbtool.plugin.mongo.CurrentOp;
import dbtool.plugin.mongo.Docs;
import dbtool.plugin.mongo.MongoSession;
import dbtool.spi.Category;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.spi.Threshold;
import dbtool.toolkit.Format;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.bson.Document;

/**
 * Client operations running longer than a threshold now. Server threads and operations that
 * wait by design (drivers' awaitable hello, oplog tailing, change streams) are left out.
 */
final class SlowOperationsCheck extends MongoCheck {

    static final Threshold WARNING_AGE = Threshold.number("long_query_seconds", 60, "s",
            "report operations running this long (WARNING); the profiler's slowest entries from this long are WARNING");

    static final Threshold CRITICAL_AGE = Threshold.number("long_query_critical_seconds", 900, "s",
            "operations running this long are CRITICAL");

    @Override
    public List<Threshold> thresholds() {
        return List.of(WARNING_AGE, CRITICAL_AGE);
    }

    SlowOperationsCheck() {
        super("slow-operations", Category.QUERIES, "client operations running longer than long_query_seconds (currentOp), with plan and client");
    }

    @Override
    public Set<String> findingCodes() {
        return Set.of("MONGO_SLOW_OPERATION");
    }

    @Override
    protected CheckResult check(MongoSession session, CheckContext context) throws Exception {
        return interpret(session.currentOp(context), context);
    }

    static CheckResult interpret(Document currentOp, CheckContext context) {
        double warning = WARNING_AGE.value(context);
        double critical = CRITICAL_AGE.value(context);
        List<Document> running = CurrentOp.operations(currentOp).stream()
                .filter(op -> Docs.bool(op, "active") && CurrentOp.fromClient(op) && !CurrentOp.waitsByDesign(op))
                .toList();
        List<Document> slow = running.stream().filter(op -> CurrentOp.seconds(op) >= warning)
                .sorted(Comparator.comparingLong(CurrentOp::seconds).reversed()).limit(20).toList();
        CheckResult.Builder result = CheckResult.builder().metric("active_operations", running.size()).metric("slow_operations", slow.size());
        if (slow.isEmpty()) {
            return result.build();
        }
        Document first = slow.getFirst();
        long longest = CurrentOp.seconds(first);
        long collectionScans = slow.stream().filter(op -> Docs.text(op, "planSummary").contains("COLLSCAN")).count();
        result.metric("longest_operation_seconds", longest);
        return result.add(Finding.of("MONGO_SLOW_OPERATION", longest >= critical ? Severity.CRITICAL : Severity.WARNING,
                        slow.size() + (slow.size() == 1 ? " operation has" : " operations have") + " run longer than " + Format.duration((long) warning)
                                + "; the longest for " + Format.duration(longest) + " (opid " + CurrentOp.opid(first) + ", "
                                + CurrentOp.namespace(first) + ", " + CurrentOp.who(first) + ")")
                .detail("Long operations compete for CPU, cache and tickets, and hold their locks and snapshot."
                        + (collectionScans > 0 ? " " + collectionScans + " of them scan a whole collection (COLLSCAN): an index is missing." : "")
                        + " Those waiting for a lock are explained by the lock-waits check.")
                .evidence("opids", slow.stream().map(CurrentOp::opid).toList())
                .evidence("operations", slow.stream().map(CurrentOp::row).toList())
                .recommendation("If an operation should not run this long, stop it: "
                        + slow.stream().limit(5).map(CurrentOp::killCommand).collect(Collectors.joining("; "))
                        + "\nBefore it runs again, read its plan with explain(\"executionStats\") and bound it with maxTimeMS in the application.")
                .playbook(playbook("MONGO_SLOW_OPERATION")).build()).build();
    }
}
