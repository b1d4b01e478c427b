package dbtool.change;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dbtool.plugin.mongo.MongoPlugin;
import dbtool.testkit.mongo.FakeMongod;
import dbtool.testkit.mongo.MongoScenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dbtool config on MongoDB, through the real MongoDB driver to testkit's wire-protocol double, whose
 * getParameter and setParameter keep the parameters and refuse values as mongod 7.0 does. What the
 * server holds is read from the double's own state and the commands it received, not from dbtool.
 */
class ConfigMongoTest {

    private static final String PASSWORD = "Mon-go+pw-4711";

    @TempDir
    Path home;

    private FakeMongod server;

    @BeforeEach
    void start() throws Exception {
        server = FakeMongod.start(MongoScenario.healthyStandalone());
        Files.writeString(home.resolve("config.json"), """
                {"targets": {"mongo": {"url": "mongodb://127.0.0.1:%d/"},
                             "mongo-auth": {"url": "mongodb://dba:%s@127.0.0.1:%d/admin"}},
                 "state": {"path": "%s"}}
                """.formatted(server.port(), PASSWORD, server.port(), home.resolve("state")));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private ChangeRun config(String... args) {
        List<String> argv = new ArrayList<>(List.of("config"));
        argv.addAll(List.of(args));
        ChangeRun run = ChangeRun.dbtool(home, List.of(new MongoPlugin()), argv);
        assertFalse((run.out() + run.err() + run.log()).contains(PASSWORD), run.toString());
        return run;
    }

    private long setParametersReceived() {
        return server.received().stream().filter(c -> c.command().equals("setParameter")).count();
    }

    @Test
    void aRuntimeParameterIsSetVerifiedAndRolledBackStepByStep() {
        ChangeRun show = config("show", "mongo", "logLevel", "--format", "json");
        assertEquals(0, show.exitCode(), show.toString());
        JsonObject logLevel = JsonParser.parseString(show.out()).getAsJsonArray().get(0).getAsJsonObject();
        assertEquals("0", logLevel.get("value").getAsString());
        assertEquals("runtime", logLevel.get("context").getAsString());
        assertEquals("integer", logLevel.get("type").getAsString());

        ChangeRun first = config("set", "mongo", "logLevel=1", "--yes");
        assertEquals(0, first.exitCode(), first.toString());
        assertTrue(first.out().contains("logLevel on mongo is now 1"), first.toString());
        assertTrue(first.err().contains("set logLevel on mongo from 0 to 1 ({\"setParameter\": 1, \"logLevel\": 1})"), first.toString());
        ChangeRun second = config("set", "mongo", "logLevel=3", "--yes");
        assertEquals(0, second.exitCode(), second.toString());
        assertEquals(3, server.parameters().value("logLevel"));
        assertTrue(second.log().contains("config set mongo by") && second.log().contains("\"previous\":\"1\""), second.log());

        ChangeRun history = config("history", "mongo");
        assertTrue(history.out().contains("logLevel: 1 -> 3") && history.out().contains("logLevel: 0 -> 1"), history.toString());

        // The first rollback restores what the second set replaced, the next one what the first replaced.
        ChangeRun back = config("rollback", "mongo", "--yes");
        assertEquals(0, back.exitCode(), back.toString());
        assertEquals(1, server.parameters().value("logLevel"));
        ChangeRun backAgain = config("rollback", "mongo", "logLevel", "--yes");
        assertEquals(0, backAgain.exitCode(), backAgain.toString());
        assertEquals(0, server.parameters().value("logLevel"));
        ChangeRun nothingLeft = config("rollback", "mongo", "--yes");
        assertEquals(64, nothingLeft.exitCode(), nothingLeft.toString());
        assertTrue(nothingLeft.err().contains("no 'config set' on mongo left to roll back"), nothingLeft.toString());

        JsonArray audit = JsonParser.parseString(config("history", "mongo", "--format", "json").out()).getAsJsonArray();
        assertEquals(4, audit.size());
        JsonObject last = audit.get(0).getAsJsonObject();
        assertEquals("config rollback", last.get("action").getAsString());
        assertEquals("rolled back", last.get("result").getAsString());
        assertEquals("0", last.getAsJsonObject("detail").get("running").getAsString());
        assertTrue(last.get("actor").getAsString().contains("127.0.0.1:" + server.port()), last.toString());
        assertEquals(4, setParametersReceived());
    }

    @Test
    void aBooleanAndAnInt64KeepTheirTypes() {
        ChangeRun on = config("set", "mongo", "notablescan=true", "--yes");
        assertEquals(0, on.exitCode(), on.toString());
        assertEquals(true, server.parameters().value("notablescan"));
        ChangeRun cursors = config("set", "mongo", "cursorTimeoutMillis=300000", "--yes");
        assertEquals(0, cursors.exitCode(), cursors.toString());
        assertEquals(300_000L, server.parameters().value("cursorTimeoutMillis"));

        assertEquals(0, config("rollback", "mongo", "notablescan", "--yes").exitCode());
        assertEquals(false, server.parameters().value("notablescan"));
        assertEquals(300_000L, server.parameters().value("cursorTimeoutMillis"), "only the parameter named is rolled back");
    }

    @Test
    void aRollbackSaysWhenSomeoneChangedTheParameterSince() {
        assertEquals(0, config("set", "mongo", "logLevel=1", "--yes").exitCode());
        server.parameters().startWith("logLevel", 2); // someone else's setParameter
        ChangeRun back = config("rollback", "mongo", "--yes");
        assertEquals(0, back.exitCode(), back.toString());
        assertTrue(back.err().contains("restore logLevel on mongo to 0") && back.err().contains("note: its written configuration now holds 2, "
                + "not 1 as that change wrote"), back.toString());
        assertEquals(0, server.parameters().value("logLevel"));
    }

    @Test
    void aStartupOnlyParameterIsRefusedWithOneLineWithOrWithoutAllowRestart() {
        ChangeRun refused = config("set", "mongo", "ttlMonitorSleepSecs=30", "--yes");
        assertEquals(64, refused.exitCode(), refused.toString());
        assertEquals("dbtool: config set: ttlMonitorSleepSecs can be set only at startup (settableAtRuntime: false): MongoDB cannot change "
                + "it on a running server and dbtool does not edit mongod.conf; put 'setParameter: {ttlMonitorSleepSecs: 30}' in the "
                + "configuration file (or start mongod with --setParameter ttlMonitorSleepSecs=30) and restart", refused.err().strip());
        ChangeRun stillRefused = config("set", "mongo", "ttlMonitorSleepSecs=30", "--allow-restart", "--yes");
        assertEquals(64, stillRefused.exitCode(), stillRefused.toString());
        assertEquals(1, stillRefused.err().strip().lines().count(), stillRefused.toString());
        assertTrue(stillRefused.err().contains("and --allow-restart cannot help: MongoDB cannot change it"), stillRefused.toString());
        assertEquals(60, server.parameters().value("ttlMonitorSleepSecs"));
        assertEquals(0, setParametersReceived());
        assertTrue(config("history", "mongo").out().contains("none"));
    }

    @Test
    void badValuesAreOneLineErrorsAndNothingIsWritten() {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("logLevel=loud", "logLevel: expected a whole number (32-bit), got 'loud'");
        cases.put("logLevel=9", "logLevel: 9 is out of range; expected 0 to 5");
        cases.put("notablescan=maybe", "notablescan: expected true or false, got 'maybe'");
        cases.put("transactionLifetimeLimitSeconds=0", "transactionLifetimeLimitSeconds: 0 is out of range; expected 1 or more");
        cases.put("cursorTimeoutMillis=10min", "cursorTimeoutMillis: expected a whole number (64-bit), got '10min'");
        cases.put("logComponentVerbosity=1", "logComponentVerbosity is a document ({\"verbosity\": 0}); dbtool config sets bool, number and "
                + "string parameters only");
        cases.put("featureCompatibilityVersion=8.0", "featureCompatibilityVersion is a document");
        cases.put("enableLocalhostAuthBypass=false", "enableLocalhostAuthBypass can be set only at startup");
        cases.put("logLevl=1", "mongo has no parameter 'logLevl' (did you mean 'logLevel'?)");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            ChangeRun run = config("set", "mongo", c.getKey(), "--yes");
            assertEquals(64, run.exitCode(), run.toString());
            assertEquals(1, run.err().strip().lines().count(), run.toString());
            assertTrue(run.err().contains(c.getValue()), c.getValue() + "\n" + run);
        }
        assertEquals(0, setParametersReceived());
        assertEquals(0, server.parameters().value("logLevel"));
        assertEquals(false, server.parameters().value("notablescan"));
    }

    @Test
    void aValueTheServerRefusesIsOneLineExit64AuditedAndChangesNothing() {
        ChangeRun run = config("set", "mongo", "automationServiceDescriptor=" + "x".repeat(65), "--yes");
        assertEquals(64, run.exitCode(), run.toString());
        String error = run.err().strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(error.startsWith("dbtool: config set: automationServiceDescriptor: the server refused xxx"), run.toString());
        assertTrue(error.endsWith("must be no more than 64 bytes (error 15 Overflow); nothing changed"), run.toString());
        assertEquals("", server.parameters().value("automationServiceDescriptor"));
        JsonObject row = JsonParser.parseString(config("history", "mongo", "--format", "json").out()).getAsJsonArray().get(0).getAsJsonObject();
        assertEquals("refused", row.get("result").getAsString());
        ChangeRun rollback = config("rollback", "mongo", "--yes");
        assertEquals(64, rollback.exitCode(), "a refused change is nothing to roll back: " + rollback);
    }

    @Test
    void withoutATerminalAndWithoutYesNothingIsWritten() {
        ChangeRun run = config("set", "mongo", "notablescan=true");
        assertEquals(64, run.exitCode(), run.toString());
        assertTrue(run.err().contains("config set: will set notablescan on mongo from false to true") && run.err().contains("add --yes"),
                run.toString());
        assertEquals(0, setParametersReceived());
        assertTrue(config("history", "mongo").out().contains("none"));
    }

    @Test
    void showListsEveryParameterWithWhenItCanChange() {
        ChangeRun all = config("show", "mongo");
        assertEquals(0, all.exitCode(), all.toString());
        assertTrue(all.out().lines().anyMatch(l -> l.startsWith("ttlMonitorSleepSecs") && l.contains("startup")), all.toString());
        assertTrue(all.out().lines().anyMatch(l -> l.startsWith("logLevel") && l.contains("runtime") && l.contains("0..5")), all.toString());
        assertTrue(all.out().lines().anyMatch(l -> l.startsWith("transactionLifetimeLimitSeconds") && l.matches(".* 1\\.\\.\\s*")), all.toString());
        assertTrue(all.out().startsWith("PARAMETER") && all.out().lines().findFirst().orElseThrow().contains("CONFIGURED"), all.toString());
        ChangeRun unknown = config("show", "mongo", "notablescn");
        assertEquals(64, unknown.exitCode(), unknown.toString());
        assertTrue(unknown.err().contains("did you mean 'notablescan'?"), unknown.toString());
    }

    @Test
    void aRefusedLoginIsOneLineWithoutThePasswordAndWritesNothing() {
        server.scenario(MongoScenario.healthyStandalone().refuseLogins());
        ChangeRun run = config("set", "mongo-auth", "notablescan=true", "--yes");
        assertEquals(2, run.exitCode(), run.toString());
        assertEquals("dbtool: config set: mongo-auth: getParameter failed: authenticating as 'dba' with SCRAM-SHA-1 failed: Authentication "
                + "failed. (error 18 AuthenticationFailed)", run.err().strip());
        assertEquals(1, run.err().strip().lines().count(), run.toString());
        assertEquals(0, setParametersReceived());
    }
}
