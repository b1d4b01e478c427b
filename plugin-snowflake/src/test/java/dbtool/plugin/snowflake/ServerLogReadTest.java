package dbtool.plugin.snowflake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.plugin.snowflake.checks.Scenario;
import dbtool.spi.CheckContext;
import dbtool.spi.Credentials;
import dbtool.spi.EngineSession;
import dbtool.spi.LogSource;
import dbtool.spi.SessionSettings;
import dbtool.testkit.CheckFixtures;
import dbtool.testkit.PluginRun;
import dbtool.testkit.snowflake.SnowflakeResponder;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code dbtool logs snowflake://...}: Snowflake has no server log, so the session reads its failed
 * logins and failed queries (LOGIN_HISTORY, QUERY_HISTORY) as events. The test double keeps that history
 * from what really happened to it: the real driver fails to log in with a wrong password and runs statements
 * the double fails, and the history the session reads back holds exactly those, with their error codes.
 */
class ServerLogReadTest {

    private static final String TIMEOUT = "Statement reached its statement or warehouse timeout of 60 second(s) and was canceled.";

    private SnowflakeResponder responder;

    @BeforeEach
    void start() {
        responder = Scenario.healthy(); // which answers the history statements from what it saw
    }

    @AfterEach
    void stop() {
        responder.assertOnlyExpectedTraffic();
        responder.close();
    }

    private EngineSession open(String password) {
        return new SnowflakePlugin().open(PluginRun.target(responder.url(null, "DIAG", ""), "snowflake", Map.of()),
                Credentials.password(Scenario.USER, password.toCharArray(), "test"), SessionSettings.defaults());
    }

    @Test
    void failedLoginsAndFailedQueriesComeBackAsEventsWithTheirErrorCodes() throws Exception {
        for (String wrong : List.of("Wrong-Password-1", "Wrong-Password-2")) {
            try (EngineSession session = open(wrong)) {
                SQLException refused = assertThrows(SQLException.class, () -> ((SnowflakeSession) session).query("SELECT 1", CheckFixtures.context()));
                assertEquals(390100, refused.getErrorCode(), refused.getMessage());
            }
        }
        responder.fail("SELECT COUNT(*) FROM SALES", "000630", "57014", TIMEOUT);
        responder.fail("SELECT * FROM MISSING_TABLE", "002003", "42S02", "SQL compilation error:\nObject 'MISSING_TABLE' does not exist or not authorized.");
        LogSource.ServerLog log;
        try (EngineSession session = open(Scenario.PASSWORD)) {
            SnowflakeSession snowflake = (SnowflakeSession) session;
            CheckContext context = CheckFixtures.context();
            assertThrows(SQLException.class, () -> snowflake.query("SELECT COUNT(*) FROM SALES", context));
            assertThrows(SQLException.class, () -> snowflake.query("SELECT * FROM MISSING_TABLE", context));
            log = assertInstanceOf(LogSource.class, session).readLog(1 << 20, context);
        }
        assertEquals("snowflake", log.layout());
        List<String> lines = log.text().lines().toList();
        assertEquals(4, lines.size(), log.text());
        for (String login : lines.subList(0, 2)) {
            assertTrue(login.startsWith("{\"source\":\"snowflake\",\"event\":\"login\",\"timestamp\":\""), login);
            assertTrue(login.contains("\"code\":\"390100\",\"message\":\"Incorrect username or password was specified.\",\"user\":\"MONITOR\""
                    + ",\"host\":\"127.0.0.1\",\"client\":\"JDBC_DRIVER\",\"factor\":\"PASSWORD\"}"), login);
        }
        assertTrue(lines.get(2).contains("\"event\":\"query\"") && lines.get(2).contains("\"code\":\"000630\"")
                && lines.get(2).contains("\"warehouse\":\"DIAG_WH\"") && lines.get(2).contains("\"statement\":\"SELECT COUNT(*) FROM SALES\""), lines.get(2));
        assertTrue(lines.get(3).contains("\"code\":\"002003\"") && lines.get(3).contains("compilation error:\\nObject 'MISSING_TABLE'"),
                "a message over two lines stays on one line, escaped: " + lines.get(3));
        assertFalse(log.text().contains("Wrong-Password"), "a password never reaches the events");
        assertEquals(List.of(SnowflakeServerLog.FAILED_LOGINS, SnowflakeServerLog.FAILED_QUERIES).stream().map(s -> s.replaceAll("\\s+", " ").strip()).toList(),
                responder.queries().stream().map(q -> q.sql().replaceAll("\\s+", " ").strip()).filter(s -> s.contains("HISTORY")).toList());

        // A bound keeps the newest events whole.
        try (EngineSession session = open(Scenario.PASSWORD)) {
            LogSource.ServerLog tail = ((LogSource) session).readLog(lines.get(3).length() + 1, CheckFixtures.context());
            assertEquals(lines.get(3) + "\n", tail.text());
        }
    }

    @Test
    void aRoleThatMayNotReadTheHistoryIsToldWhatToGrantInOneLine() {
        responder.fail(SnowflakeServerLog.FAILED_LOGINS, "003001", "42501", "SQL access control error:\nInsufficient privileges to operate on account 'TESTACCT'");
        try (EngineSession session = open(Scenario.PASSWORD)) {
            LogSource.Unreadable refused = assertThrows(LogSource.Unreadable.class,
                    () -> ((LogSource) session).readLog(1 << 20, CheckFixtures.context()));
            assertTrue(refused.getMessage().contains("GRANT MONITOR ON WAREHOUSE <warehouse> TO ROLE <role>"), refused.getMessage());
            assertEquals(1, refused.getMessage().lines().count());
        }
    }
}
