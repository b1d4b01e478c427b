package dbtool.plugin.snowflake;

import static dbtool.testkit.CheckFixtures.leaving;
import static dbtool.testkit.CheckFixtures.probe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.report.Report;
import dbtool.spi.Category;
import dbtool.spi.Check;
import dbtool.spi.CheckResult;
import dbtool.spi.Credentials;
import dbtool.spi.EnginePlugin;
import dbtool.spi.EngineSession;
import dbtool.spi.SessionSettings;
import dbtool.spi.Target;
import dbtool.testkit.PluginRun;
import dbtool.testkit.Reports;
import dbtool.testkit.snowflake.CannedResult;
import dbtool.testkit.snowflake.SnowflakeResponder;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What keeps a diagnosis from making an incident worse, seen from the responder's side. */
class SessionSafetyTest {

    private SnowflakeResponder responder;

    @BeforeEach
    void start() {
        responder = SnowflakeResponder.start("TESTACCT").passwordUser("alice", "alice-pw-123")
                .answer("SELECT 1 AS ONE", CannedResult.columns("ONE:fixed").row(1));
    }

    @AfterEach
    void stop() {
        responder.assertOnlyExpectedTraffic();
        responder.close();
    }

    private SnowflakeSession open() {
        Target target = PluginRun.target(responder.url("alice:alice-pw-123", "DIAG", ""), "snowflake", Map.of());
        return (SnowflakeSession) new SnowflakePlugin().open(target, Credentials.none(), SessionSettings.defaults());
    }

    @Test
    void writesNeverLeaveTheProcess() {
        try (SnowflakeSession session = open()) {
            SQLException refused = assertThrows(SQLException.class, () -> session.query("DELETE FROM orders", null));
            assertEquals("25006", refused.getSQLState());
            assertTrue(responder.requests().isEmpty(), "not even a login: " + responder.requests());
        }
    }

    @Test
    void eachStatementsServerTimeoutIsBoundedByWhatIsLeftOfTheDeadline() throws Exception {
        try (SnowflakeSession session = open()) {
            assertEquals(1L, session.queryOne("SELECT 1 AS ONE", leaving(Duration.ofMillis(2500))).get("ONE"));
            session.query("SELECT 1 AS ONE", leaving(Duration.ofMinutes(5)));
        }
        List<SnowflakeResponder.Query> queries = responder.queries();
        assertEquals("3", queries.get(0).parameters().get("STATEMENT_TIMEOUT_IN_SECONDS"), "2.5 s left rounds up to 3");
        assertEquals("5", queries.get(1).parameters().get("STATEMENT_TIMEOUT_IN_SECONDS"), "never longer than the session's 5 s");
        assertEquals(1, responder.deletedSessions());
    }

    @Test
    void aStatementStillRunningAtTheDeadlineIsCancelledOnTheServer() {
        responder.answer("SHOW WAREHOUSES", CannedResult.columns("name")).delay("SHOW WAREHOUSES", Duration.ofSeconds(30));
        Check slow = probe("slow", Category.RESOURCES, "waits for a statement that does not finish", (session, context) -> {
            ((SnowflakeSession) session).query("SHOW WAREHOUSES", context);
            return CheckResult.healthy();
        });
        EnginePlugin plugin = new OneCheckPlugin(slow);
        Report report = PluginRun.run(plugin, responder.url("alice:alice-pw-123", "DIAG", ""), Credentials.none(), Map.of(),
                Duration.ofSeconds(4));
        assertTrue(Reports.check(report, "slow").error().startsWith("did not finish before the deadline"),
                Reports.describe(report));
        assertEquals(List.of("SHOW WAREHOUSES"), responder.aborts(), "the driver sent the cancel to Snowflake");
    }

    @Test
    void closingASessionThatNeverConnectedIsQuiet() {
        open().close();
        open().cancel();
        assertTrue(responder.requests().isEmpty());
    }

    /** The Snowflake plugin with only the given check. */
    private record OneCheckPlugin(Check check) implements EnginePlugin {
        public String id() {
            return "snowflake";
        }

        public String displayName() {
            return "Snowflake";
        }

        public Set<String> schemes() {
            return Set.of("snowflake");
        }

        public int defaultPort() {
            return 443;
        }

        public List<Check> checks() {
            return List.of(check);
        }

        public EngineSession open(Target target, Credentials credentials, SessionSettings settings) {
            return new SnowflakePlugin().open(target, credentials, settings);
        }
    }
}
