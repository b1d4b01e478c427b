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
import dbtool.toolkit.BlockingForest;
import dbtool.toolkit.Format;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.bson.Document;

/**
 * Operations waiting for a lock ({@code waitingForLock}), the operations holding what they wait
 * for, drawn as blocking trees; and a server locked with {@code fsyncLock}, which blocks every write.
 */
final class LockWaitsCheck extends MongoCheck {

    static final Threshold CRITICAL_WAITERS = Threshold.number("blocked_sessions_critical", 5, "operations",
            "CRITICAL from this many operations waiting for a lock");

    static final Threshold CRITICAL_WAIT = Threshold.number("lock_wait_critical_seconds", 60, "s",
            "CRITICAL when the longest lock wait reaches this");

    @Override
    public List<Threshold> thresholds() {
        return List.of(CRITICAL_WAITERS, CRITICAL_WAIT);
    }

    LockWaitsCheck() {
        super("lock-waits", Category.LOCKS, "operations waiting for a lock (currentOp waitingForLock), their holders as blocking trees, fsyncLock");
    }

    @Override
    public Set<String> findingCodes() {
        return Set.of("MONGO_FSYNC_LOCKED", "MONGO_LOCK_WAITS");
    }

    @Override
    protected CheckResult check(MongoSession session, CheckContext context) throws Exception {
        return interpret(session.currentOp(context), context);
    }

    static CheckResult interpret(Document currentOp, CheckContext context) {
        List<Document> operations = CurrentOp.operations(currentOp);
        LockGraph graph = LockGraph.of(operations);
        List<Document> waiters = graph.waiters();
        long longestWait = waiters.stream().mapToLong(CurrentOp::seconds).max().orElse(0);
        boolean fsyncLocked = Docs.bool(currentOp, "fsyncLock");
        CheckResult.Builder result = CheckResult.builder()
                .metric("waiting_for_lock", waiters.size())
                .metric("longest_wait_seconds", longestWait);
        if (fsyncLocked) {
            result.add(Finding.of("MONGO_FSYNC_LOCKED", Severity.CRITICAL, "The server is locked with fsyncLock: every write waits")
                    .detail("fsyncLock flushes to disk and then blocks all writes until it is undone, usually for a file-system "
                            + "backup or snapshot. A backup that failed or forgot to unlock leaves the server read-only.")
                    .evidence("waitingForLock", waiters.size())
                    .recommendation("Ask who took the backup; when it is done (or dead): db.fsyncUnlock()  -- repeat until lockCount is 0")
                    .playbook(playbook("MONGO_FSYNC_LOCKED")).build());
        }
        if (waiters.isEmpty()) {
            return result.metric("head_blockers", 0).build();
        }
        List<Document> heads = graph.heads();
        BlockingForest.Trees trees = graph.trees();
        result.metric("head_blockers", heads.size());
        double criticalWaiters = CRITICAL_WAITERS.value(context);
        double criticalSeconds = CRITICAL_WAIT.value(context);
        boolean idleHead = heads.stream().anyMatch(CurrentOp::idleSession);
        Severity severity = fsyncLocked || idleHead || !graph.deadlocks().isEmpty() || waiters.size() >= criticalWaiters || longestWait >= criticalSeconds
                ? Severity.CRITICAL : Severity.WARNING;

        String title;
        if (heads.isEmpty()) {
            title = waiters.size() + (waiters.size() == 1 ? " operation waits" : " operations wait") + " for a lock whose holder is not visible";
        } else if (heads.size() == 1) {
            Document head = heads.getFirst();
            title = waiters.size() + (waiters.size() == 1 ? " operation waits" : " operations wait") + " for a lock held by "
                    + describe(head);
        } else {
            title = waiters.size() + " operations wait for locks held by " + heads.size() + " operations ("
                    + heads.stream().map(LockWaitsCheck::name).collect(Collectors.joining(", ")) + ")";
        }
        List<Object> headOpids = heads.stream().map(CurrentOp::opid).filter(o -> o != null).toList();
        List<String> headSessions = heads.stream().filter(h -> CurrentOp.opid(h) == null).map(Docs::sessionId).toList();
        Finding.Builder finding = Finding.of("MONGO_LOCK_WAITS", severity, title)
                .detail("The longest has waited up to " + Format.duration(longestWait) + ". Operations queue behind the holder (and behind an "
                        + "earlier exclusive request); ending the head of a tree releases all of it."
                        + (idleHead ? " A head is an idle transaction: it does nothing and holds its locks until it commits, aborts or "
                        + "reaches transactionLifetimeLimitSeconds." : "")
                        + (graph.unexplained().isEmpty() ? "" : " " + graph.unexplained().size()
                        + " waiting operations have no visible holder (an internal operation, or fsyncLock)."))
                .evidence("headBlockers", headOpids);
        if (!headSessions.isEmpty()) {
            finding.evidence("headBlockerSessions", headSessions);
        }
        finding.evidence("waitingOperations", waiters.stream().map(CurrentOp::opid).toList())
                .evidence("longestWaitSeconds", longestWait)
                .evidence("blockingTree", trees.nodes())
                .evidence(BlockingForest.cutAndRings(trees, graph.deadlocks()));
        if (!graph.unexplained().isEmpty()) {
            finding.evidence("waitingWithoutVisibleHolder", graph.unexplained().stream().map(CurrentOp::row).toList());
        }
        return result.add(finding.recommendation(recommendation(heads, graph))
                .playbook(playbook("MONGO_LOCK_WAITS")).build()).build();
    }

    private static String name(Document op) {
        Object opid = CurrentOp.opid(op);
        return opid != null ? "opid " + opid : "session " + Docs.sessionId(op);
    }

    private static String describe(Document op) {
        String what = CurrentOp.idleSession(op) ? "an idle transaction open " + Format.duration(CurrentOp.transactionSeconds(op))
                : CurrentOp.verb(op) + " running " + Format.duration(CurrentOp.seconds(op));
        String ns = CurrentOp.namespace(op);
        return name(op) + " (" + what + (ns.isEmpty() ? "" : " on " + ns) + ", " + CurrentOp.who(op) + ")";
    }

    private static String recommendation(List<Document> heads, LockGraph graph) {
        List<String> lines = new ArrayList<>();
        for (Document head : heads) {
            String kill = CurrentOp.killCommand(head);
            if (kill.isEmpty()) {
                continue;
            }
            String why = CurrentOp.idleSession(head) ? "  -- aborts the idle transaction and ends its session"
                    : "  -- the operation stops at its next yield point; its transaction, if any, aborts";
            lines.add(kill + why + (graph.certain(head) ? "" : " (check first: its namespace is not shown)"));
        }
        if (lines.isEmpty()) {
            lines.add("The holder is not visible in currentOp: look at db.currentOp({$all: true, waitingForLock: false, "
                    + "\"locks.Global\": {$in: [\"R\", \"W\"]}}) and at db.serverStatus().locks");
        }
        lines.add("Check with the owner of the application first; dbtool runs none of this.");
        return String.join("\n", lines);
    }
}
