package dbtool.plugin.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dbtool.core.report.Report;
import dbtool.testkit.mongo.FakeMongod;
import dbtool.testkit.mongo.MongoScenario;
import java.util.List;
import java.util.Set;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What every command carries, and what a troubleshoot leaves open on the server, as the server saw it. */
class SessionSafetyTest {

    /** The driver's own handshake, monitoring and session commands, which dbtool does not send. */
    private static final Set<String> DRIVER_COMMANDS = Set.of("ismaster", "endsessions");

    static FakeMongod server;
    static Report report;

    @BeforeAll
    static void start() {
        server = FakeMongod.start(MongoScenario.lockWait());
        // A database, so that storage sends dbStats (a command that takes a database lock).
        try (MongoClient client = MongoClients.create(server.url())) {
            client.getDatabase("shop").getCollection("orders").insertOne(new Document("_id", 1));
        }
        report = Troubleshoot.run(server.url());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void everyCommandIsBoundedMarkedAndPrefersThePrimary() {
        List<FakeMongod.ReceivedCommand> commands = dbtoolCommands();

        assertTrue(commands.size() >= 10, "commands: " + commands);
        for (FakeMongod.ReceivedCommand command : commands) {
            assertNotNull(command.maxTimeMS(), "no maxTimeMS: " + command);
            assertTrue(command.maxTimeMS().longValue() > 0 && command.maxTimeMS().longValue() <= 5000, "maxTimeMS: " + command);
            assertEquals(MongoSession.COMMENT, command.comment(), "no comment: " + command);
        }
        assertTrue(commands.stream().anyMatch(c -> c.command().equals("currentOp")));
        assertTrue(commands.stream().filter(c -> c.command().equals("dbStats")).allMatch(c -> c.maxTimeMS().longValue() <= 2000),
                "lock-taking commands get the short lock budget");
    }

    @Test
    void onlyReadOnlyCommandsAreSent() {
        Set<String> readOnly = Set.of("hello", "buildInfo", "serverStatus", "currentOp", "listDatabases", "dbStats", "find",
                "replSetGetStatus", "collStats", "isMaster", "endSessions");
        for (FakeMongod.ReceivedCommand command : dbtoolCommands()) {
            assertTrue(readOnly.stream().anyMatch(c -> c.equalsIgnoreCase(command.command())), "not a read-only command: " + command);
        }
    }

    /** What dbtool sent: after the test's own setup (insert), without the driver's handshakes. */
    private static List<FakeMongod.ReceivedCommand> dbtoolCommands() {
        List<FakeMongod.ReceivedCommand> all = server.received();
        int first = 0;
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).command().equals("insert")) {
                first = i + 1;
            }
        }
        return all.subList(first, all.size()).stream().filter(c -> !DRIVER_COMMANDS.contains(c.command().toLowerCase())).toList();
    }

    @Test
    void theClientIsClosedAtTheEnd() throws InterruptedException {
        for (int i = 0; i < 100 && server.openConnections() > 0; i++) {
            Thread.sleep(20);
        }
        assertEquals(0, server.openConnections());
    }
}
