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
 * Multi-document transactions open longer than a threshold, running or idle. They hold their
 * locks (a DDL on their collections waits, and everything queues behind the DDL) and pin a
 * WiredTiger snapshot, which grows the cache's history store until they end.
 */
final class TransactionsCheck extends MongoCheck {

    static final Threshold WARNING_AGE = Threshold.number("long_transaction_seconds", 30, "s",
            "WARNING from this transaction age");

    static final Threshold CRITICAL_AGE = Threshold.number("long_transaction_critical_seconds", 300, "s",
            "CRITICAL from this transaction age");

    @Override
    public List<Threshold> thresholds() {
        return List.of(WARNING_AGE, CRITICAL_AGE);
    }

    TransactionsCheck() {
        super("transactions", Category.LOCKS, "transactions open longer than long_transaction_seconds, running or idle, with opid or session");
    }

    @Override
    public Set<String> findingCodes() {
        return Set.of("MONGO_LONG_TRANSACTION");
    }

    @Override
    protected CheckResult check(MongoSession session, CheckContext context) throws Exception {
        return interpret(session.currentOp(context), context);
    }

    static CheckResult interpret(Document currentOp, CheckContext context) {
        List<Document> open = CurrentOp.operations(currentOp).stream().filter(CurrentOp::inTransaction).toList();
        double warning = WARNING_AGE.value(context);
        double critical = CRITICAL_AGE.value(context);
        List<Document> old = open.stream().filter(op -> CurrentOp.transactionSeconds(op) >= warning)
                .sorted(Comparator.comparingLong(CurrentOp::transactionSeconds).reversed()).limit(20).toList();
        CheckResult.Builder result = CheckResult.builder().metric("open_transactions", open.size())
                .metric("oldest_transaction_seconds", open.stream().mapToLong(CurrentOp::transactionSeconds).max().orElse(0));
        if (old.isEmpty()) {
            return result.build();
        }
        Document oldest = old.getFirst();
        long seconds = CurrentOp.transactionSeconds(oldest);
        long idle = old.stream().filter(CurrentOp::idleSession).count();
        return result.add(Finding.of("MONGO_LONG_TRANSACTION", seconds >= critical ? Severity.CRITICAL : Severity.WARNING,
                        old.size() + (old.size() == 1 ? " transaction has" : " transactions have") + " been open longer than "
                                + Format.duration((long) warning) + "; the oldest for " + Format.duration(seconds) + " ("
                                + (CurrentOp.idleSession(oldest) ? "idle, " : "") + CurrentOp.who(oldest) + ")")
                .detail("An open transaction keeps its locks and its snapshot: DDL on its collections waits (and every "
                        + "operation queues behind that DDL), and the WiredTiger cache keeps old versions for it. "
                        + (idle > 0 ? idle + " of them are idle: the application opened them and went quiet. " : "")
                        + "The server aborts a transaction after transactionLifetimeLimitSeconds (60 s by default).")
                .evidence("opids", old.stream().map(CurrentOp::opid).filter(o -> o != null).toList())
                .evidence("sessions", old.stream().filter(op -> CurrentOp.opid(op) == null).map(Docs::sessionId).toList())
                .evidence("transactions", old.stream().map(CurrentOp::row).toList())
                .recommendation("If the application will not finish them, end them (the transaction aborts):\n"
                        + old.stream().limit(5).map(CurrentOp::killCommand).filter(s -> !s.isEmpty()).collect(Collectors.joining("\n"))
                        + "\nThen find why the application leaves transactions open (a missing commit or abort on an error path).")
                .playbook(playbook("MONGO_LONG_TRANSACTION")).build()).build();
    }
}
