package dbtool.plugin.mongo.checks;

import static dbtool.plugin.mongo.checks.Fixtures.reply;
import static dbtool.testkit.CheckFixtures.context;
import static dbtool.testkit.CheckFixtures.finding;
import static dbtool.testkit.CheckFixtures.require;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.plugin.mongo.MongoCommandFailure;
import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** replSetGetStatus and the oplog window, on replies shaped like the documentation's rs.status() example. */
class ReplicationChecksTest {

    @Test
    void laggingSecondaryAndRecentElection() {
        CheckResult result = ReplicationCheck.interpret(reply("replsetgetstatus-lagging"), context());

        Finding lag = require(result, "MONGO_REPLICATION_LAG");
        assertEquals(Severity.WARNING, lag.severity());
        assertTrue(lag.title().contains("db2.example.net:27017 by 3 min 9 s"), lag.title());
        assertEquals(189L, result.metrics().get("max_lag_seconds"));
        Finding election = require(result, "MONGO_RECENT_ELECTION");
        assertEquals(Severity.INFO, election.severity());
        assertTrue(election.title().startsWith("A new primary was elected 30 min ago"), election.title());
    }

    @Test
    void healthySetReportsItsShapeOnly() {
        Document status = reply("replsetgetstatus-lagging");
        List<Document> members = status.getList("members", Document.class);
        members.get(1).put("optimeDate", members.get(0).getDate("optimeDate"));
        members.get(0).put("electionDate", Date.from(members.get(0).getDate("optimeDate").toInstant().minusSeconds(86400)));

        CheckResult result = ReplicationCheck.interpret(status, context());

        assertEquals(List.of("MONGO_REPLICA_SET"), result.findings().stream().map(Finding::code).toList());
        assertEquals(Severity.OK, result.status());
    }

    @Test
    void noPrimaryAndDownMembers() {
        Document status = reply("replsetgetstatus-lagging");
        List<Document> members = status.getList("members", Document.class);
        members.get(0).append("state", 8).append("stateStr", "(not reachable/healthy)").append("health", 0)
                .append("lastHeartbeatMessage", "Couldn't get a connection within the time limit");
        members.get(2).append("state", 8).append("stateStr", "(not reachable/healthy)").append("health", 0);

        CheckResult result = ReplicationCheck.interpret(status, context());

        assertEquals(Severity.CRITICAL, require(result, "MONGO_NO_PRIMARY").severity());
        Finding unhealthy = require(result, "MONGO_MEMBER_UNHEALTHY");
        assertEquals(Severity.CRITICAL, unhealthy.severity(), "two of three members down: no majority");
    }

    @Test
    void standaloneIsInformationNotAnError() throws Exception {
        CheckResult result = ReplicationCheck.notReplicated(new MongoCommandFailure("replSetGetStatus failed: not running with --replSet", 76));

        assertEquals(Severity.INFO, require(result, "MONGO_STANDALONE").severity());
        assertEquals(Severity.OK, result.status());
        assertThrows(MongoCommandFailure.class, () -> ReplicationCheck.notReplicated(new MongoCommandFailure("not authorized", 13)));
    }

    @Test
    void fourHourOplogWindowIsAWarning() {
        CheckResult result = OplogWindowCheck.interpret(reply("oplog-first"), reply("oplog-last"), reply("collstats-oplog"),
                reply("replsetgetstatus-lagging"), context());

        Finding window = require(result, "MONGO_OPLOG_WINDOW_SHORT");
        assertEquals(Severity.WARNING, window.severity());
        assertEquals(4.281, result.metrics().get("oplog_window_hours"));
        assertEquals(1073741824L, result.metrics().get("oplog_max_bytes"));
        assertTrue(window.recommendation().contains("replSetResizeOplog"));
        assertTrue(finding(OplogWindowCheck.interpret(reply("oplog-first"), reply("oplog-last"), new Document(),
                reply("replsetgetstatus-lagging"), context(Map.of("oplog_window_warning_hours", "2"))), "MONGO_OPLOG_WINDOW_SHORT").isEmpty());
    }
}
