package dbtool.plugin.mongo.activity;

import dbtool.plugin.mongo.CurrentOp;
import dbtool.plugin.mongo.Docs;
import dbtool.plugin.mongo.MongoCommandFailure;
import dbtool.plugin.mongo.MongoSession;
import dbtool.spi.ActiveSession;
import dbtool.spi.CheckContext;
import dbtool.spi.QueryPlan;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;

/**
 * The plan of a running operation as currentOp reports it: its {@code planSummary} (COLLSCAN,
 * IXSCAN { customerId: 1 }, ...), read again for this one operation. Nothing is explained or run:
 * an explain would plan the command again and could wait for the collection lock being watched.
 */
public final class MongoPlan {

    private MongoPlan() {
    }

    /** currentOp for one operation; a mongos opid ("shard:opid") is matched as text, a mongod's as a number. */
    static Document command(String id) {
        Object opid;
        try {
            opid = Long.parseLong(id);
        } catch (NumberFormatException e) {
            opid = id;
        }
        return new Document("currentOp", 1).append("$all", true).append("opid", opid);
    }

    public static QueryPlan read(MongoSession session, ActiveSession watched, CheckContext context) throws MongoCommandFailure {
        if (watched.id().startsWith("lsid ")) {
            return QueryPlan.unavailable("an idle session holding a transaction open runs no operation, so it has no plan");
        }
        return interpret(session.run("admin", command(watched.id()), context));
    }

    /** The reply for one operation as the view's plan, or why there is none. */
    public static QueryPlan interpret(Document currentOp) {
        List<Document> operations = CurrentOp.operations(currentOp);
        if (operations.isEmpty()) {
            return QueryPlan.unavailable("the operation has finished");
        }
        Document op = operations.getFirst();
        String summary = Docs.text(op, "planSummary");
        if (summary.isEmpty()) {
            return QueryPlan.unavailable("currentOp shows no planSummary for this " + CurrentOp.verb(op)
                    + ": only reads and writes that use a query plan have one, once it is chosen");
        }
        List<String> lines = new ArrayList<>(List.of("planSummary: " + summary));
        for (String counter : List.of("keysExamined", "docsExamined", "numYields")) {
            if (Docs.has(op, counter)) {
                lines.add(counter + ": " + Docs.longValue(op, counter));
            }
        }
        return QueryPlan.of(lines);
    }
}
