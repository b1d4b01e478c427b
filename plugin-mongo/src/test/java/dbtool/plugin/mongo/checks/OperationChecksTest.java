package dbtool.plugin.mongo.checks;

import static dbtool.plugin.mongo.checks.Fixtures.reply;
import static dbtool.testkit.CheckFixtures.context;
import static dbtool.testkit.CheckFixtures.require;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** Transactions, slow operations and the profiler, on currentOp and system.profile documents. */
class OperationChecksTest {

    @Test
    void idleTransactionIsReportedWithTheCommandThatEndsIt() {
        Finding transaction = require(TransactionsCheck.interpret(reply("currentop-ddl-behind-transaction"), context()), "MONGO_LONG_TRANSACTION");

        assertEquals(Severity.WARNING, transaction.severity());
        assertTrue(transaction.title().contains("the oldest for 1 min 55 s (idle, billing from 10.0.2.40:41234)"), transaction.title());
        assertEquals(List.of("c95ab7c6-b61f-4749-8ed2-027ab56e21f2"), transaction.evidence().get("sessions"));
        assertTrue(transaction.recommendation().contains("killSessions"), transaction.recommendation());
    }

    @Test
    void quietServerHasNoSlowOperationsOrTransactions() {
        // A 4000 s oplog getMore and drivers' awaitable hello wait by design.
        assertTrue(SlowOperationsCheck.interpret(reply("currentop-quiet"), context()).findings().isEmpty());
        assertTrue(TransactionsCheck.interpret(reply("currentop-quiet"), context()).findings().isEmpty());
    }

    @Test
    void slowOperationsAreListedLongestFirstWithKillCommands() {
        CheckResult result = SlowOperationsCheck.interpret(reply("currentop-lock-wait"), context(Map.of("long_query_seconds", "30")));

        Finding slow = require(result, "MONGO_SLOW_OPERATION");
        assertEquals(List.of(4711L, 4725L, 4731L), slow.evidence().get("opids"));
        assertTrue(slow.recommendation().startsWith("If an operation should not run this long, stop it: db.killOp(4711); db.killOp(4725)"));
        assertFalse(slow.evidence().toString().contains("l4kRwdh3"), "driver arguments such as lsid are left out of commands");
    }

    @Test
    void secretsInCommandsAreMasked() {
        Document op = new Document("opid", 5).append("active", true).append("secs_running", 900).append("client", "10.0.0.1:1")
                .append("op", "command").append("ns", "admin.$cmd")
                .append("command", new Document("createUser", "app").append("pwd", "Sup3r-Secret").append("roles", List.of()));

        Finding slow = require(SlowOperationsCheck.interpret(new Document("inprog", List.of(op)), context()), "MONGO_SLOW_OPERATION");

        assertFalse(slow.evidence().toString().contains("Sup3r-Secret"), slow.evidence().toString());
    }

    @Test
    void profilerListsTheSlowestEntriesAndCollectionScans() {
        List<Document> entries = reply("profile-shop").getList("entries", Document.class);

        CheckResult result = ProfilerCheck.interpret(Map.of("shop", entries, "empty", List.of()), context());

        Finding slowest = require(result, "MONGO_PROFILER_SLOW_QUERIES");
        assertEquals(Severity.INFO, slowest.severity(), "8 s is below long_query_seconds");
        assertTrue(slowest.title().startsWith("Slowest recent operation took 8412 ms (query on shop.orders)"), slowest.title());
        assertTrue(slowest.detail().contains("COLLSCAN"), slowest.detail());
        assertEquals(1L, result.metrics().get("profiled_databases"));
    }
}
