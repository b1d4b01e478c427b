package dbtool.plugin.mongo.checks;

import static dbtool.plugin.mongo.checks.Fixtures.reply;
import static dbtool.testkit.CheckFixtures.context;
import static dbtool.testkit.CheckFixtures.finding;
import static dbtool.testkit.CheckFixtures.require;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** What the connectivity check makes of hello, buildInfo and serverStatus. */
class ConnectionCheckTest {

    @Test
    void topologyFromHello() {
        assertEquals("standalone", ConnectionCheck.topology(reply("hello-standalone")));
        assertEquals("SECONDARY of replica set rs0", ConnectionCheck.topology(reply("hello-secondary")));
        assertEquals("mongos", ConnectionCheck.topology(new Document("ismaster", true).append("msg", "isdbgrid")));
        assertEquals("PRIMARY of replica set rs0", ConnectionCheck.topology(new Document("ismaster", true).append("setName", "rs0")),
                "MongoDB 4.4 before 4.4.2 answers isMaster");
    }

    @Test
    void secondaryReachedThroughAReplicaSetUrlMeansNoPrimary() {
        CheckResult result = describe(reply("hello-secondary"), reply("buildinfo-7.0"), true);

        Finding connected = require(result, "MONGO_CONNECTED");
        assertTrue(connected.title().startsWith("MongoDB 7.0.14, SECONDARY of replica set rs0, up 10 d"), connected.title());
        assertEquals(Severity.WARNING, require(result, "MONGO_NO_PRIMARY_REACHABLE").severity());
        assertEquals(Severity.OK, describe(reply("hello-secondary"), reply("buildinfo-7.0"), false).status(),
                "a direct connection to a secondary is what was asked for");
    }

    @Test
    void versionsOutsideFourFourToEightAreNamed() {
        assertTrue(finding(describe(reply("hello-standalone"), reply("buildinfo-4.4"), false), "MONGO_VERSION_OLD").isEmpty());
        Document old = new Document("version", "4.2.24").append("versionArray", List.of(4, 2, 24, 0));
        assertEquals(Severity.WARNING, require(describe(reply("hello-standalone"), old, false), "MONGO_VERSION_OLD").severity());
    }

    @Test
    void recentRestartIsInformation() {
        Document status = reply("serverstatus-6.0-cache-pressure");
        CheckResult result = ConnectionCheck.describe(reply("hello-standalone"), reply("buildinfo-7.0"), status, List.of(), false, true,
                false, Map.of(), CheckResult.builder(), context(Map.of("recent_restart_seconds", "3600")));

        assertTrue(require(result, "MONGO_RECENT_RESTART").title().contains("20 min 11 s ago"));
        assertTrue(finding(describe(reply("hello-standalone"), reply("buildinfo-7.0"), false, status), "MONGO_RECENT_RESTART").isEmpty(),
                "20 minutes is past the default of 10");
    }

    private static CheckResult describe(Document hello, Document buildInfo, boolean replicaSetUrl) {
        return describe(hello, buildInfo, replicaSetUrl, reply("serverstatus-7.0-healthy"));
    }

    private static CheckResult describe(Document hello, Document buildInfo, boolean replicaSetUrl, Document serverStatus) {
        return ConnectionCheck.describe(hello, buildInfo, serverStatus, List.of(), false, true, replicaSetUrl, Map.of(),
                CheckResult.builder(), context());
    }
}
