package dbtool.plugin.mssql;

import static dbtool.testkit.tds.TdsScenario.statement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.plugin.mssql.checks.SqlServerScenario;
import dbtool.spi.CheckContext;
import dbtool.spi.Credentials;
import dbtool.spi.EngineSession;
import dbtool.spi.LogSource;
import dbtool.spi.SessionSettings;
import dbtool.testkit.CheckFixtures;
import dbtool.testkit.PluginRun;
import dbtool.testkit.tds.TdsAnswer;
import dbtool.testkit.tds.TdsResponder;
import dbtool.testkit.tds.TdsResult;
import dbtool.testkit.tds.TdsScenario;
import java.time.LocalDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code dbtool logs sqlserver://...}: the session reads the current error log with sys.sp_readerrorlog
 * over TDS (the test double answers the batch with its three columns) and hands it back as ERRORLOG
 * lines; a login that may not run it gets one line naming the role or permission.
 */
class ServerLogReadTest {

    private static final String[] COLUMNS = {"LogDate:datetime", "ProcessInfo", "Text"};

    private static LogSource.ServerLog read(TdsScenario scenario, long maxBytes) throws Exception {
        try (TdsResponder responder = TdsResponder.start(scenario);
             EngineSession session = new SqlServerPlugin().open(PluginRun.target(SqlServerScenario.url(responder, null, SqlServerScenario.DATABASE),
                     "sqlserver", Map.of()), Credentials.password(SqlServerScenario.USER, SqlServerScenario.PASSWORD.toCharArray(), "test"),
                     SessionSettings.defaults())) {
            CheckContext context = CheckFixtures.context();
            return assertInstanceOf(LogSource.class, session).readLog(maxBytes, context);
        }
    }

    @Test
    void theCurrentErrorLogComesBackAsErrorlogLinesNewestWithinTheBound() throws Exception {
        TdsScenario scenario = SqlServerScenario.healthy().answer(statement(SqlServerServerLog.READ), TdsResult.columns(COLUMNS)
                .row(LocalDateTime.of(2026, 12, 7, 9, 0, 0, 100_000_000), "Server", "SQL Server is starting at normal priority base (=7).")
                .row(LocalDateTime.of(2026, 12, 7, 9, 15, 2, 310_000_000), "Logon", "Error: 18456, Severity: 14, State: 8.")
                .row(LocalDateTime.of(2026, 12, 7, 9, 15, 2, 310_000_000), "Logon",
                        "Login failed for user 'sa'. Reason: Password did not match that for the login provided. [CLIENT: 10.0.0.9]"));
        LogSource.ServerLog log = read(scenario, 1 << 20);
        assertEquals("sqlserver", log.layout());
        assertEquals("""
                2026-12-07 09:00:00.10 Server       SQL Server is starting at normal priority base (=7).
                2026-12-07 09:15:02.31 Logon        Error: 18456, Severity: 14, State: 8.
                2026-12-07 09:15:02.31 Logon        Login failed for user 'sa'. Reason: Password did not match that for the login provided. [CLIENT: 10.0.0.9]
                """, log.text());

        // A bound of 230 bytes keeps the newest lines whole: the start-up line goes, the failed login stays.
        LogSource.ServerLog tail = read(scenario, 230);
        assertTrue(tail.text().startsWith("2026-12-07 09:15:02.31 Logon        Error: 18456"), tail.text());
        assertTrue(tail.text().endsWith("[CLIENT: 10.0.0.9]\n"), tail.text());
    }

    @Test
    void aLoginOutsideSecurityadminIsToldWhatToGrantInOneLine() {
        TdsScenario scenario = SqlServerScenario.healthy().answer(statement(SqlServerServerLog.READ),
                TdsAnswer.error(15003, 16, "Only members of the securityadmin role can execute this stored procedure."));
        LogSource.Unreadable refused = assertThrows(LogSource.Unreadable.class, () -> read(scenario, 1 << 20));
        assertTrue(refused.getMessage().contains("ALTER SERVER ROLE securityadmin ADD MEMBER"), refused.getMessage());
        assertTrue(refused.getMessage().contains("VIEW SERVER STATE"), refused.getMessage());
        assertEquals(1, refused.getMessage().lines().count());
    }
}
