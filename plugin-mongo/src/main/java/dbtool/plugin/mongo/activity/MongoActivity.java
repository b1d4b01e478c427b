package dbtool.plugin.mongo.activity;

import dbtool.plugin.mongo.CurrentOp;
import dbtool.plugin.mongo.Docs;
import dbtool.plugin.mongo.MongoCommandFailure;
import dbtool.plugin.mongo.MongoSession;
import dbtool.plugin.mongo.checks.LockGraph;
import dbtool.spi.Activity;
import dbtool.spi.ActiveSession;
import dbtool.spi.CheckContext;
import dbtool.toolkit.ActivityTrees;
import dbtool.toolkit.Format;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bson.Document;

/**
 * {@code dbtool top}'s snapshot of a MongoDB server: two commands per refresh (three on a replica set
 * member, whose replication lag comes from {@code replSetGetStatus}), {@code serverStatus}
 * for connections and the opcounters (totals the view turns into operations per second) and
 * {@code currentOp} for the client operations running or holding a transaction open, waiters under
 * the operation holding the lock they wait for (the lock-waits check's reading of currentOp's locks).
 * Both are read fresh on every refresh: the troubleshoot's once-per-run snapshots would freeze the view.
 */
public final class MongoActivity {

    /** The command's text shown per operation; the view cuts it to the screen. */
    static final int QUERY_CHARACTERS = 4096;

    private MongoActivity() {
    }

    public static Activity read(MongoSession session, CheckContext context) throws MongoCommandFailure {
        Document status = session.run("admin", new Document("serverStatus", 1), context);
        // When the counters were read: after the answer, so that a first refresh's login is not counted as time between samples.
        Instant at = Instant.now();
        Document currentOp = session.run("admin", CurrentOp.command(), context);
        Document replication = null;
        if (Docs.has(status, "repl.setName")) {
            // A replica set member: its lag comes from replSetGetStatus, a third command (the replication check's reading).
            try {
                replication = session.run("admin", new Document("replSetGetStatus", 1), context);
            } catch (MongoCommandFailure e) {
                replication = new Document("unreadable", e.getMessage());
            }
        }
        return interpret(at, status, currentOp, replication);
    }

    /** The two replies of a standalone server as a snapshot; separate from the reading so that recorded replies can test it. */
    public static Activity interpret(Instant at, Document serverStatus, Document currentOp) {
        return interpret(at, serverStatus, currentOp, null);
    }

    /** The replies as a snapshot, with replSetGetStatus's for a replica set member (null for a standalone server). */
    public static Activity interpret(Instant at, Document serverStatus, Document currentOp, Document replSetStatus) {
        Map<String, String> load = new LinkedHashMap<>();
        long current = Docs.longValue(serverStatus, "connections.current");
        load.put("connections", current + " of " + (current + Docs.longValue(serverStatus, "connections.available")));
        if (replSetStatus != null) {
            load.put("replication lag", replicationLag(replSetStatus));
        }
        Map<String, Double> counters = new LinkedHashMap<>();
        for (String counter : List.of("insert", "query", "update", "delete", "getmore", "command")) {
            counters.put(counter.equals("query") ? "queries" : counter + "s", Docs.doubleValue(serverStatus, "opcounters." + counter));
        }
        // Server threads (TTL monitor, replication) and operations that wait by design (awaitable
        // hello, change streams) would fill the view with sessions nobody can act on.
        List<Document> operations = CurrentOp.operations(currentOp).stream()
                .filter(op -> CurrentOp.fromClient(op) && !CurrentOp.waitsByDesign(op)).toList();
        Map<Document, List<Document>> blockers = LockGraph.blockers(operations);
        List<ActiveSession> sessions = new ArrayList<>();
        for (Document op : operations) {
            List<String> blockedBy = blockers.getOrDefault(op, List.of()).stream().map(MongoActivity::id).toList();
            sessions.add(session(op, blockedBy));
        }
        return new Activity(at, replSetStatus == null ? 2 : 3, load, counters, ActivityTrees.fold(sessions));
    }

    /**
     * The most any secondary trails the primary (or, without one, the most advanced member), from the
     * members' optimeDate as the replication check reads them: "3 min 9 s (db2.example.net:27017)".
     */
    static String replicationLag(Document replSetStatus) {
        if (replSetStatus.containsKey("unreadable")) {
            return "unreadable (replSetGetStatus: " + Docs.text(replSetStatus, "unreadable") + ")";
        }
        List<Document> members = Docs.docs(replSetStatus, "members");
        Optional<Instant> reference = members.stream().filter(m -> Docs.longValue(m, "state") == 1).findFirst()
                .flatMap(p -> Docs.instant(p, "optimeDate"))
                .or(() -> members.stream().map(m -> Docs.instant(m, "optimeDate")).flatMap(Optional::stream).max(Instant::compareTo));
        if (reference.isEmpty()) {
            return "unknown (no member reports an optime)";
        }
        long worst = -1;
        String behind = "";
        for (Document member : members) {
            Optional<Instant> optime = Docs.instant(member, "optimeDate");
            long state = Docs.longValue(member, "state");
            if ((state == 2 || state == 3) && optime.isPresent()) {
                long lag = Math.max(0, Duration.between(optime.get(), reference.get()).toSeconds());
                if (lag > worst) {
                    worst = lag;
                    behind = Docs.text(member, "name");
                }
            }
        }
        return worst < 0 ? "no secondary" : Format.duration(worst) + (worst > 0 ? " (" + behind + ")" : "");
    }

    /** The opid (a number on mongod, "shard:opid" on mongos), or the logical session id of an idle transaction. */
    static String id(Document op) {
        Object opid = CurrentOp.opid(op);
        return opid != null ? String.valueOf(opid) : "lsid " + Docs.sessionId(op);
    }

    private static ActiveSession session(Document op, List<String> blockedBy) {
        String namespace = CurrentOp.namespace(op);
        String client = Docs.has(op, "client") ? Docs.text(op, "client") : Docs.text(op, "client_s");
        List<Document> users = Docs.docs(op, "effectiveUsers");
        boolean idle = CurrentOp.idleSession(op);
        String waitType = Docs.bool(op, "waitingForLock") ? "Lock" : Docs.bool(op, "waitingForFlowControl") ? "FlowControl" : null;
        Document locks = Docs.doc(op, "locks");
        String kill = CurrentOp.killCommand(op);
        return new ActiveSession(id(op), users.isEmpty() ? null : Docs.text(users.getFirst(), "user"),
                namespace.isEmpty() ? null : namespace.split("\\.", 2)[0], blankToNull(Docs.text(op, "appName")), blankToNull(client),
                idle ? "idle in transaction" : "active", running(op),
                waitType, waitType == null ? null : namespace, blockedBy, 0, cpuMillis(op), null,
                blankToNull(CurrentOp.what(op, QUERY_CHARACTERS)), locks.isEmpty() ? List.of() : List.of("locks " + locks.toJson()),
                blankToNull(kill), blankToNull(kill), details(op));
    }

    /**
     * CPU time so far from currentOp's {@code cpuNanos} (MongoDB 6.3 and later, on Linux only); null
     * where the server does not report it, which the view shows as n/a. currentOp documents no
     * per-operation I/O figure (bytes read appear only in the slow-query log after the operation
     * ends), so I/O stays null on every server.
     */
    static Double cpuMillis(Document op) {
        return Docs.has(op, "cpuNanos") ? Docs.longValue(op, "cpuNanos") / 1_000_000.0 : null;
    }

    /** What currentOp documents about an operation's work besides CPU: yields, and the progress of a long command (an index build). */
    private static Map<String, String> details(Document op) {
        Map<String, String> details = new LinkedHashMap<>();
        if (!Docs.has(op, "cpuNanos") && Docs.has(op, "opid")) {
            details.put("cpu", "n/a (currentOp reports cpuNanos from MongoDB 6.3 on, on Linux only)");
        }
        details.put("i/o", "n/a (currentOp reports no per-operation I/O)");
        if (Docs.has(op, "numYields")) {
            details.put("yields", String.valueOf(Docs.longValue(op, "numYields")));
        }
        Document progress = Docs.doc(op, "progress");
        if (!progress.isEmpty() && Docs.has(progress, "total") && Docs.longValue(progress, "total") > 0) {
            details.put("progress", Docs.longValue(progress, "done") + " of " + Docs.longValue(progress, "total")
                    + (Docs.text(op, "msg").isEmpty() ? "" : " (" + Docs.text(op, "msg") + ")"));
        }
        // Where applications put their trace context: ActiveSession.trace() reads it from here.
        if (!CurrentOp.comment(op).isEmpty()) {
            details.put("comment", CurrentOp.comment(op));
        }
        return details;
    }

    /** microsecs_running when the server gives it (whole seconds would show every new operation as 0 s). */
    private static Duration running(Document op) {
        if (Docs.has(op, "microsecs_running")) {
            return Duration.ofNanos(Docs.longValue(op, "microsecs_running") * 1000);
        }
        return Duration.ofSeconds(CurrentOp.seconds(op));
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
