package dbtool.plugin.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.spi.Credentials;
import dbtool.spi.EngineSession;
import dbtool.spi.LogSource;
import dbtool.spi.SessionSettings;
import dbtool.testkit.CheckFixtures;
import dbtool.testkit.PluginRun;
import dbtool.testkit.mongo.FakeMongod;
import dbtool.testkit.mongo.MongoScenario;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * {@code dbtool logs mongodb://...}: the session reads the server's in-memory log with getLog (the test
 * double answers with a recorded MongoDB 7.0 reply) as JSON log lines; a user without clusterMonitor gets
 * one line naming the role.
 */
class ServerLogReadTest {

    private static LogSource.ServerLog read(MongoScenario scenario, long maxBytes) throws Exception {
        try (FakeMongod server = FakeMongod.start(scenario);
             EngineSession session = new MongoPlugin().open(PluginRun.target(server.url(), "mongodb", Map.of()), Credentials.none(),
                     SessionSettings.defaults())) {
            LogSource.ServerLog log = assertInstanceOf(LogSource.class, session).readLog(maxBytes, CheckFixtures.context());
            List<FakeMongod.ReceivedCommand> getLogs = server.received().stream().filter(c -> c.command().equals("getLog")).toList();
            assertEquals(1, getLogs.size(), "one getLog: " + server.received());
            assertTrue(getLogs.getFirst().maxTimeMS() != null && getLogs.getFirst().maxTimeMS().longValue() > 0, "bounded by maxTimeMS");
            return log;
        }
    }

    @Test
    void theInMemoryLogComesBackAsJsonLinesNewestWithinTheBound() throws Exception {
        LogSource.ServerLog log = read(MongoScenario.healthyStandalone(), 1 << 20);
        assertEquals("mongodb", log.layout());
        assertEquals("getLog global (the last 3 entries in the server's memory of 18342 written)", log.name());
        List<String> lines = log.text().lines().toList();
        assertEquals(3, lines.size(), log.text());
        assertTrue(lines.getFirst().contains("\"msg\":\"Connection accepted\""), lines.getFirst());
        assertTrue(lines.getLast().contains("\"msg\":\"Connection ended\""), lines.getLast());

        // A bound smaller than the three: only the newest entry, whole.
        LogSource.ServerLog tail = read(MongoScenario.healthyStandalone(), lines.getLast().length() + 1);
        assertEquals(lines.getLast() + "\n", tail.text());
    }

    @Test
    void aUserWithoutClusterMonitorIsToldWhatToGrantInOneLine() {
        MongoScenario refused = MongoScenario.healthyStandalone().reply("getLog", new Document("ok", 0.0)
                .append("errmsg", "not authorized on admin to execute command { getLog: \"global\", $db: \"admin\" }")
                .append("code", 13).append("codeName", "Unauthorized"));
        LogSource.Unreadable e = assertThrows(LogSource.Unreadable.class, () -> read(refused, 1 << 20));
        assertTrue(e.getMessage().contains("clusterMonitor"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }
}
