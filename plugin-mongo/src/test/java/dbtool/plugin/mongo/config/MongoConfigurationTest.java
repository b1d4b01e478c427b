package dbtool.plugin.mongo.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.plugin.mongo.MongoPlugin;
import dbtool.plugin.mongo.MongoSession;
import dbtool.spi.Credentials;
import dbtool.spi.ServerConfiguration;
import dbtool.spi.SessionSettings;
import dbtool.spi.Target;
import dbtool.spi.UsageException;
import dbtool.testkit.mongo.FakeMongod;
import dbtool.testkit.mongo.MongoParameters;
import dbtool.testkit.mongo.MongoScenario;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * MongoConfiguration through the real driver against the wire-protocol double, whose getParameter and
 * setParameter answer as mongod 7.0's (and, without showDetails, as 4.2's).
 */
class MongoConfigurationTest {

    private static ServerConfiguration.Session open(FakeMongod server, boolean write) {
        Target target = new Target("mongo", URI.create(server.url()), "mongodb", "127.0.0.1", server.port(), "", List.of(), Map.of());
        return new MongoPlugin().openConfiguration(target, Credentials.none(), SessionSettings.defaults(), write);
    }

    private static ServerConfiguration.Parameter only(ServerConfiguration.Session session, String name) throws Exception {
        List<ServerConfiguration.Parameter> found = session.parameters(List.of(name));
        assertEquals(1, found.size(), found.toString());
        return found.getFirst();
    }

    @Test
    void parametersShowTheirTypeAndWhetherTheyCanChangeAtRuntime() throws Exception {
        try (FakeMongod server = FakeMongod.start(MongoScenario.healthyStandalone()); ServerConfiguration.Session session = open(server, false)) {
            ServerConfiguration.Parameter logLevel = only(session, "loglevel");
            assertEquals("logLevel", logLevel.name(), "the server's spelling");
            assertEquals("0", logLevel.value());
            assertEquals("integer", logLevel.type());
            assertEquals("runtime", logLevel.context());
            assertEquals("0", logLevel.min());
            assertEquals("5", logLevel.max());
            assertEquals("0", logLevel.configured(), "rollback writes back the running value");
            assertEquals("startup", only(session, "ttlMonitorSleepSecs").context());
            assertEquals("none", only(session, "featureCompatibilityVersion").context());
            assertEquals("{\"version\": \"7.0\"}", only(session, "featureCompatibilityVersion").value());
            assertEquals("bool", only(session, "notablescan").type());
            assertEquals("[\"SCRAM-SHA-1\", \"SCRAM-SHA-256\"]", only(session, "authenticationMechanisms").value());
            assertTrue(session.parameters(List.of()).size() >= 14);
        }
    }

    @Test
    void everyCommandCarriesMaxTimeAndDbtoolsCommentAndAReadOnlySessionWritesNothing() throws Exception {
        try (FakeMongod server = FakeMongod.start(MongoScenario.healthyStandalone()); ServerConfiguration.Session session = open(server, false)) {
            ServerConfiguration.Change change = session.plan("notablescan", "true", false);
            assertEquals("{\"setParameter\": 1, \"notablescan\": true}", change.statement());
            assertThrows(IllegalStateException.class, () -> session.apply(change, Duration.ofSeconds(1)));
            assertEquals(false, server.parameters().value("notablescan"));
            List<FakeMongod.ReceivedCommand> sent = server.received().stream().filter(c -> c.command().endsWith("Parameter")).toList();
            assertFalse(sent.isEmpty());
            for (FakeMongod.ReceivedCommand command : sent) {
                assertEquals("getParameter", command.command(), "no setParameter from a read-only session");
                assertEquals("admin", command.database());
                assertTrue(command.maxTimeMS() != null && command.maxTimeMS().longValue() > 0, command.toString());
                assertEquals(MongoSession.COMMENT, command.comment());
            }
        }
    }

    @Test
    void aChangeIsSentWithTheRunningValuesTypeAndReadBack() throws Exception {
        try (FakeMongod server = FakeMongod.start(MongoScenario.healthyStandalone()); ServerConfiguration.Session session = open(server, true)) {
            ServerConfiguration.Change change = session.plan("cursorTimeoutMillis", "300000", false);
            assertEquals("600000", change.before().value());
            ServerConfiguration.Outcome outcome = session.apply(change, Duration.ofSeconds(5));
            assertTrue(outcome.running());
            assertEquals("300000", outcome.after().value());
            assertEquals(300_000L, server.parameters().value("cursorTimeoutMillis"), "an int64 stays an int64");
            FakeMongod.ReceivedCommand set = server.received().stream().filter(c -> c.command().equals("setParameter")).findFirst().orElseThrow();
            assertEquals("admin", set.database());
            assertTrue(set.maxTimeMS() != null && set.maxTimeMS().longValue() > 0 && set.maxTimeMS().longValue() <= 30_000, set.toString());
            assertEquals(MongoSession.COMMENT, set.comment());

            ServerConfiguration.Outcome rate = session.apply(session.plan("tcmallocReleaseRate", "0.5", false), Duration.ofSeconds(5));
            assertTrue(rate.running());
            assertEquals(0.5, server.parameters().value("tcmallocReleaseRate"));
        }
    }

    @Test
    void aValueOnlyTheServerChecksIsRefusedAsAUsageErrorAndNothingChanges() throws Exception {
        try (FakeMongod server = FakeMongod.start(MongoScenario.healthyStandalone()); ServerConfiguration.Session session = open(server, true)) {
            ServerConfiguration.Change change = session.plan("automationServiceDescriptor", "x".repeat(65), false);
            UsageException refused = assertThrows(UsageException.class, () -> session.apply(change, Duration.ofSeconds(1)));
            assertTrue(refused.getMessage().startsWith("automationServiceDescriptor: the server refused xxx"), refused.getMessage());
            assertTrue(refused.getMessage().contains("must be no more than 64 bytes (error 15 Overflow); nothing changed"), refused.getMessage());
            assertEquals("", server.parameters().value("automationServiceDescriptor"));
        }
    }

    @Test
    void withoutShowDetailsAsOnMongoDb42TheServerDecidesWhatIsSettable() throws Exception {
        try (FakeMongod server = FakeMongod.start(MongoScenario.healthyStandalone(), MongoParameters.mongod70().withoutDetails());
             ServerConfiguration.Session session = open(server, true)) {
            assertEquals("unknown", only(session, "logLevel").context());
            ServerConfiguration.Change change = session.plan("ttlMonitorSleepSecs", "30", false);
            UsageException refused = assertThrows(UsageException.class, () -> session.apply(change, Duration.ofSeconds(1)));
            assertEquals("ttlMonitorSleepSecs: the server refused 30: not allowed to change [ttlMonitorSleepSecs] at runtime; nothing changed",
                    refused.getMessage());
            assertEquals(60, server.parameters().value("ttlMonitorSleepSecs"));
            assertTrue(session.apply(session.plan("logLevel", "2", false), Duration.ofSeconds(1)).running());
        }
    }

    @Test
    void aUserWithoutTheSetParameterActionIsToldWhichRoleHasIt() throws Exception {
        try (FakeMongod server = FakeMongod.start(MongoScenario.healthyStandalone(), MongoParameters.mongod70().readOnlyUser());
             ServerConfiguration.Session session = open(server, true)) {
            ServerConfiguration.Change change = session.plan("notablescan", "true", false);
            Exception refused = assertThrows(Exception.class, () -> session.apply(change, Duration.ofSeconds(1)));
            assertTrue(refused.getMessage().contains("(error 13 Unauthorized); it needs the setParameter action, e.g. the role hostManager"),
                    refused.getMessage());
            assertFalse(refused.getMessage().contains("clusterMonitor"), refused.getMessage());
            assertEquals(false, server.parameters().value("notablescan"));
        }
    }
}
