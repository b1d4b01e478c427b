package dbtool.plugin.mongo.activity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.spi.Activity;
import dbtool.spi.ActiveSession;
import dbtool.spi.QueryPlan;
import dbtool.testkit.mongo.MongoReplies;
import java.time.Instant;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** dbtool top on MongoDB, from recorded serverStatus and currentOp replies. */
class MongoActivityTest {

    private static final Instant AT = Instant.parse("2026-12-07T10:00:00Z");

    private static Activity lockWait() {
        return MongoActivity.interpret(AT, MongoReplies.load("serverstatus-7.0-healthy"), MongoReplies.load("currentop-lock-wait"));
    }

    private static ActiveSession find(Activity activity, String id) {
        return activity.sessions().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow(() -> new AssertionError(id));
    }

    @Test
    void theWritesWaitingForTheCollectionLockFollowItsHolder() {
        Activity activity = lockWait();
        List<String> ids = activity.sessions().stream().map(ActiveSession::id).toList();
        assertEquals("4711", ids.getFirst(), "the exclusive holder heads the tree: " + ids);
        for (String waiter : List.of("4725", "4731", "4740")) {
            ActiveSession session = find(activity, waiter);
            assertTrue(session.depth() > 0, waiter + " is under its blocker");
            assertFalse(session.blockedBy().isEmpty(), waiter);
            assertEquals("Lock", session.waitType());
            assertEquals("shop.orders", session.waitEvent());
        }
        assertFalse(ids.contains("3"), "the TTL monitor is a server thread, not a client's operation: " + ids);
        ActiveSession head = activity.sessions().getFirst();
        assertEquals("dba_jane", head.user());
        assertEquals("MongoDB Shell", head.application());
        assertEquals("10.0.4.17:53122", head.client());
        assertEquals(312, head.running().toSeconds());
        assertNull(head.waitType());
        assertEquals("db.killOp(4711)", head.cancel());
    }

    @Test
    void theHeaderCountsConnectionsOfTheLimitAndTheOpcountersBecomeRates() {
        Activity activity = lockWait();
        assertEquals("112 of 51200", activity.load().get("connections"));
        assertEquals(List.of("inserts", "queries", "updates", "deletes", "getmores", "commands"), List.copyOf(activity.counters().keySet()));
        assertEquals(1_203_312.0, activity.counters().get("inserts"));
        assertEquals(2, activity.statements());
    }

    @Test
    void aReplicaSetMembersHeaderShowsTheMostASecondaryTrailsThePrimary() {
        Activity member = MongoActivity.interpret(AT, MongoReplies.load("serverstatus-7.0-healthy"), MongoReplies.load("currentop-quiet"),
                MongoReplies.load("replsetgetstatus-lagging"));
        assertEquals("3 min 9 s (db2.example.net:27017)", member.load().get("replication lag"), member.load().toString());
        assertEquals(3, member.statements(), "replSetGetStatus is the third command");
        assertEquals(List.of("connections", "replication lag"), List.copyOf(member.load().keySet()));
        assertFalse(lockWait().load().containsKey("replication lag"), "a standalone server has no replication lag");
        assertEquals("unreadable (replSetGetStatus: not authorized on admin)",
                MongoActivity.replicationLag(new Document("unreadable", "not authorized on admin")));
    }

    @Test
    void anIdleTransactionHeadsTheTreeByItsSessionId() {
        Activity activity = MongoActivity.interpret(AT, MongoReplies.load("serverstatus-7.0-healthy"),
                MongoReplies.load("currentop-ddl-behind-transaction"));
        ActiveSession head = activity.sessions().getFirst();
        assertEquals("lsid c95ab7c6-b61f-4749-8ed2-027ab56e21f2", head.id());
        assertEquals("idle in transaction", head.state());
        assertTrue(head.terminate().startsWith("db.adminCommand({killSessions: [{id: UUID(\"c95ab7c6"), head.terminate());
        assertEquals(List.of(head.id()), find(activity, "9101").blockedBy());
    }

    @Test
    void cpuComesFromCpuNanosWhereTheServerReportsItAndIsNotAvailableElsewhere() {
        // MongoDB 7.0 on Linux: cpuNanos on every running operation; an idle transaction has none.
        Activity linux = MongoActivity.interpret(AT, MongoReplies.load("serverstatus-7.0-healthy"), MongoReplies.load("currentop-7.0-linux-cpu"));
        ActiveSession scan = find(linux, "8101");
        assertEquals(39_811.200431, scan.cpuMillis(), 1e-6, "cpuNanos in milliseconds");
        assertNull(scan.ioCount(), "currentOp documents no per-operation I/O");
        assertEquals("3120", scan.details().get("yields"));
        assertEquals("n/a (currentOp reports no per-operation I/O)", scan.details().get("i/o"));
        assertFalse(scan.details().containsKey("cpu"), "no n/a line where the CPU is known: " + scan.details());
        ActiveSession build = find(linux, "8123");
        assertEquals(88_120.004511, build.cpuMillis(), 1e-6);
        assertTrue(build.details().get("progress").startsWith("5230000 of 12000000 (Index Build: scanning collection"), build.details().toString());
        ActiveSession idle = linux.sessions().stream().filter(s -> s.id().startsWith("lsid ")).findFirst().orElseThrow();
        assertNull(idle.cpuMillis(), "an idle transaction runs nothing, so no CPU figure");

        // Before 6.3, or off Linux: no cpuNanos, so no CPU figure and the expanded view says why.
        ActiveSession older = find(lockWait(), "4725");
        assertNull(older.cpuMillis());
        assertEquals("n/a (currentOp reports cpuNanos from MongoDB 6.3 on, on Linux only)", older.details().get("cpu"));
        assertEquals("0", older.details().get("yields"));
    }

    @Test
    void thePlanIsThePlanSummaryOrWhyThereIsNone() {
        Document reply = MongoReplies.load("currentop-lock-wait");
        List<Document> operations = reply.getList("inprog", Document.class);
        Document indexed = operations.stream().filter(op -> Long.valueOf(4731).equals(((Number) op.get("opid")).longValue())).findFirst().orElseThrow();
        QueryPlan plan = MongoPlan.interpret(new Document("inprog", List.of(indexed)).append("ok", 1));
        assertEquals("planSummary: IXSCAN { customerId: 1 }", plan.lines().getFirst());

        Document insert = operations.stream().filter(op -> Long.valueOf(4740).equals(((Number) op.get("opid")).longValue())).findFirst().orElseThrow();
        QueryPlan none = MongoPlan.interpret(new Document("inprog", List.of(insert)).append("ok", 1));
        assertTrue(none.unavailable().startsWith("currentOp shows no planSummary for this insert"), none.unavailable());

        assertEquals("the operation has finished", MongoPlan.interpret(new Document("inprog", List.of()).append("ok", 1)).unavailable());
        assertEquals(new Document("currentOp", 1).append("$all", true).append("opid", "shard1:901"), MongoPlan.command("shard1:901"));
        assertEquals(new Document("currentOp", 1).append("$all", true).append("opid", 4731L), MongoPlan.command("4731"));
    }
}
