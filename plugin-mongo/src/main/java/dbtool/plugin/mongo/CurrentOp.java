package dbtool.plugin.mongo;

import dbtool.spi.TraceContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;

/**
 * The operations a server is running, from {@code currentOp}
 * (https://www.mongodb.com/docs/manual/reference/command/currentOp/), and what dbtool reads in
 * each entry. Checked against the output of MongoDB 4.4 to 8.0: {@code opid} is a number on a
 * mongod and "shard:number" text on a mongos; an idle session holding a transaction open has no
 * opid and no ns, only {@code lsid} and {@code transaction}.
 */
public final class CurrentOp {

    private CurrentOp() {
    }

    /**
     * All users' operations ({@code $all}) that are running or hold a transaction open; idle
     * connections and dbtool's own commands are filtered out on the server. {@code comment} is a
     * generic command argument from 4.4 on, so it is not read as a filter.
     */
    public static Document command() {
        return new Document("currentOp", 1)
                .append("$all", true)
                .append("$or", List.of(new Document("active", true), new Document("transaction", new Document("$exists", true))))
                .append("command.comment", new Document("$ne", MongoSession.COMMENT));
    }

    public static List<Document> operations(Document reply) {
        return Docs.docs(reply, "inprog");
    }

    /** The opid as a number (mongod) or text (mongos, "shard:opid"); null for an idle session. */
    public static Object opid(Document op) {
        Object opid = op.get("opid");
        return opid instanceof Number n ? (Object) n.longValue() : opid;
    }

    /** The kill command for an operation, or for an idle session's transaction. */
    public static String killCommand(Document op) {
        Object opid = opid(op);
        if (opid != null) {
            return "db.killOp(" + (opid instanceof String text ? "\"" + text + "\"" : opid) + ")";
        }
        String session = Docs.sessionId(op);
        return session.isEmpty() ? "" : "db.adminCommand({killSessions: [{id: UUID(\"" + session + "\")}]})";
    }

    /** How long it has been running, or for an idle transaction how long the transaction has been open. */
    public static long seconds(Document op) {
        if (Docs.has(op, "secs_running")) {
            return Docs.longValue(op, "secs_running");
        }
        if (Docs.has(op, "microsecs_running")) {
            return Docs.longValue(op, "microsecs_running") / 1_000_000;
        }
        return transactionSeconds(op);
    }

    /** How long its transaction has been open ({@code transaction.timeOpenMicros}), 0 when none. */
    public static long transactionSeconds(Document op) {
        return Docs.longValue(op, "transaction.timeOpenMicros") / 1_000_000;
    }

    public static boolean inTransaction(Document op) {
        return Docs.has(op, "transaction");
    }

    public static boolean idleSession(Document op) {
        return "idleSession".equals(op.get("type")) || !Docs.bool(op, "active") && inTransaction(op);
    }

    /** A client's operation rather than a server thread's (replication, TTL monitor, checkpointer). */
    public static boolean fromClient(Document op) {
        return Docs.has(op, "client") || Docs.has(op, "client_s") || Docs.has(op, "connectionId") || idleSession(op);
    }

    /**
     * Operations that run long by design and say nothing about load: awaitable {@code hello} of
     * drivers monitoring the server, tailable cursors on the oplog (secondaries) and change streams.
     */
    public static boolean waitsByDesign(Document op) {
        Document command = Docs.doc(op, "command");
        if (command.containsKey("maxAwaitTimeMS") && (command.containsKey("hello") || command.containsKey("isMaster")
                || command.containsKey("ismaster"))) {
            return true;
        }
        if (Docs.bool(op, "cursor.tailable") || Docs.bool(op, "cursor.awaitData")) {
            return true;
        }
        if ("local.oplog.rs".equals(op.get("ns"))) {
            return true;
        }
        String text = command.toJson() + Docs.doc(op, "cursor.originatingCommand").toJson();
        return text.contains("$changeStream");
    }

    /** Who runs it: application name, client address and user, as far as known. */
    public static String who(Document op) {
        StringBuilder who = new StringBuilder();
        String app = Docs.text(op, "appName");
        String client = Docs.has(op, "client") ? Docs.text(op, "client") : Docs.text(op, "client_s");
        if (!app.isEmpty()) {
            who.append(app);
        }
        if (!client.isEmpty()) {
            who.append(who.isEmpty() ? "" : " from ").append(client);
        }
        List<Document> users = Docs.docs(op, "effectiveUsers");
        if (!users.isEmpty()) {
            who.append(who.isEmpty() ? "" : ", ").append("user ").append(Docs.text(users.getFirst(), "user"));
        }
        return who.isEmpty() ? Docs.text(op, "desc") : who.toString();
    }

    /** The namespace it works on; for a command, the collection named by its first argument. */
    public static String namespace(Document op) {
        String ns = Docs.text(op, "ns");
        if (ns.endsWith(".$cmd")) {
            Document command = Docs.doc(op, "command");
            if (!command.isEmpty() && command.values().iterator().next() instanceof String collection) {
                return ns.substring(0, ns.length() - ".$cmd".length()) + "." + collection;
            }
        }
        return ns;
    }

    /** What it does, for a human: the operation type and its command, shortened. */
    public static String what(Document op, int max) {
        if (idleSession(op) && !Docs.has(op, "command")) {
            return "idle in transaction";
        }
        String type = Docs.text(op, "op");
        Document command = Docs.doc(op, "command");
        return (type.isEmpty() ? "" : type + " ") + (command.isEmpty() ? "" : Docs.shell(command, max));
    }

    /** The command's name (validate, find, createIndexes), else the operation type. */
    public static String verb(Document op) {
        Document command = Docs.doc(op, "command");
        String first = command.isEmpty() ? "" : command.keySet().iterator().next();
        return first.isEmpty() || first.startsWith("$") || first.equals("q") ? Docs.text(op, "op") : first;
    }

    /** Evidence row for one operation. */
    public static Map<String, Object> row(Document op) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("opid", opid(op));
        if (opid(op) == null) {
            row.put("lsid", Docs.sessionId(op));
        }
        row.put("seconds", seconds(op));
        row.put("op", Docs.text(op, "op"));
        row.put("ns", namespace(op));
        row.put("client", Docs.has(op, "client") ? Docs.text(op, "client") : Docs.text(op, "client_s"));
        row.put("appName", Docs.text(op, "appName"));
        row.put("user", Docs.docs(op, "effectiveUsers").stream().map(u -> Docs.text(u, "user")).findFirst().orElse(""));
        row.put("waitingForLock", Docs.bool(op, "waitingForLock"));
        if (inTransaction(op)) {
            row.put("transactionSeconds", transactionSeconds(op));
        }
        row.put("planSummary", Docs.text(op, "planSummary"));
        row.put("command", Docs.shell(Docs.doc(op, "command"), 200));
        TraceContext.addFound(row, comment(op), Docs.text(op, "appName"));
        return row;
    }

    /**
     * The operation's {@code comment} as text (a document as JSON), where applications put their trace context
     * ({@code {traceparent: "00-..."}} or a sqlcommenter-style string); empty when it has none.
     */
    public static String comment(Document op) {
        Object comment = Docs.get(op, "command.comment");
        return comment instanceof Document document ? document.toJson() : comment == null ? "" : comment.toString();
    }
}
