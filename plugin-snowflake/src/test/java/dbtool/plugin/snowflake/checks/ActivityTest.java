package dbtool.plugin.snowflake.checks;

import static dbtool.testkit.CheckFixtures.require;
import static dbtool.testkit.CheckFixtures.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.report.CheckReport;
import dbtool.core.report.Report;
import dbtool.plugin.snowflake.SnowflakePlugin;
import dbtool.spi.CheckResult;
import dbtool.spi.Credentials;
import dbtool.spi.Severity;
import dbtool.testkit.PluginRun;
import dbtool.testkit.Reports;
import dbtool.testkit.snowflake.CannedResult;
import dbtool.testkit.snowflake.SnowflakeResponder;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import net.snowflake.client.api.driver.SnowflakeDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The activity check's counters: a workload runs through the real Snowflake driver against the
 * responder (statements that succeed and fail, a failed login), and the counters dbtool reads
 * back are what the responder really served, growing from one run to the next.
 */
class ActivityTest {

    private static final String REPORT_QUERY = "SELECT region, SUM(amount) FROM sales GROUP BY region";
    private static final String MISSING_TABLE = "SELECT * FROM sales_2019";

    private SnowflakeResponder responder;

    @AfterEach
    void noUnexpectedTraffic() {
        if (responder != null) {
            responder.assertOnlyExpectedTraffic();
            responder.close();
        }
    }

    private Report troubleshoot() {
        return PluginRun.run(new SnowflakePlugin(), responder.url(Scenario.USER + ":" + Scenario.PASSWORD, "DIAG",
                "warehouse=DIAG_WH&role=MONITOR_RO"), Credentials.none(), Map.of(), Duration.ofSeconds(30));
    }

    /** A BI tool's session: the driver as any client uses it, with no dbtool query tag (but never probing cloud metadata). */
    private Connection workload(String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("account", responder.account());
        properties.setProperty("user", "bi");
        properties.setProperty("password", password);
        properties.setProperty("ssl", "off");
        properties.setProperty("disablePlatformDetection", "true");
        properties.setProperty("JDBC_QUERY_RESULT_FORMAT", "JSON");
        properties.setProperty("CLIENT_TELEMETRY_ENABLED", "false");
        properties.setProperty("CLIENT_OUT_OF_BAND_TELEMETRY_ENABLED", "false");
        properties.setProperty("htapOOBTelemetryEnabled", "false");
        properties.setProperty("loginTimeout", "10");
        return new SnowflakeDriver().connect("jdbc:snowflake://" + responder.host() + ":" + responder.port() + "/", properties);
    }

    private void runWorkload(int good) throws SQLException {
        try (Connection connection = workload("bi-pw"); Statement statement = connection.createStatement()) {
            for (int i = 0; i < good; i++) {
                try (ResultSet rows = statement.executeQuery(REPORT_QUERY)) {
                    assertTrue(rows.next());
                }
            }
            assertThrows(SQLException.class, () -> statement.executeQuery(MISSING_TABLE).close());
        }
    }

    private static Map<String, Object> metrics(Report report) {
        return Reports.check(report, "activity").metrics();
    }

    @Test
    void theCountersAreWhatTheAccountServedAndGrowBetweenRuns() throws Exception {
        responder = Scenario.healthy().passwordUser("bi", "bi-pw");
        responder.answer(REPORT_QUERY, CannedResult.columns("REGION", "SUM(AMOUNT):fixed").row("EMEA", 1200).row("AMER", 3400));
        responder.fail(MISSING_TABLE, "002003", "42S02", "SQL compilation error:\nObject 'SALES_2019' does not exist or not authorized.");
        assertThrows(SQLException.class, () -> workload("wrong-pw").close(), "a failed login, as a mistyped password makes");
        runWorkload(3);

        Report first = troubleshoot();
        Reports.assertNoUnknown(first);
        CheckReport activity = Reports.check(first, "activity");
        assertEquals(Severity.OK, activity.status());
        assertEquals(4L, ((Number) metrics(first).get("queries")).longValue(), "3 answered and 1 failed; dbtool's own statements are left out");
        assertEquals(1L, ((Number) metrics(first).get("failed_queries")).longValue());
        assertEquals(3L, ((Number) metrics(first).get("logins")).longValue(), "bi's two attempts and dbtool's own login");
        assertEquals(1L, ((Number) metrics(first).get("failed_logins")).longValue());
        assertTrue(activity.counters().containsAll(Set.of("queries", "failed_queries", "logins", "failed_logins",
                "query_elapsed_ms", "queued_overload_ms", "transaction_blocked_ms")), "exported as counters: " + activity.counters());

        runWorkload(1);
        Report second = troubleshoot();
        assertEquals(6L, ((Number) metrics(second).get("queries")).longValue(), "the day's totals only grow");
        assertEquals(2L, ((Number) metrics(second).get("failed_queries")).longValue());
        assertEquals(5L, ((Number) metrics(second).get("logins")).longValue());
        assertTrue(((Number) metrics(second).get("query_elapsed_ms")).longValue() >= ((Number) metrics(first).get("query_elapsed_ms")).longValue());
        for (SnowflakeResponder.Login login : responder.logins()) {
            assertEquals(login.user().equals("bi") ? null : "dbtool", login.sessionParameters().get("QUERY_TAG"), login.toString());
        }
    }

    @Test
    void withoutLoginHistoryTheStatementCountersStillStand() {
        responder = Scenario.healthy();
        responder.fail(ActivityCheck.LOGINS, "003001", "42501", "SQL access control error:\nInsufficient privileges to operate on account");
        Report report = troubleshoot();
        CheckReport activity = Reports.check(report, "activity");
        assertEquals(Severity.OK, activity.status(), String.valueOf(activity.error()));
        assertEquals(0L, ((Number) activity.metrics().get("queries")).longValue());
        assertFalse(activity.metrics().containsKey("logins"), "no login counter rather than a wrong zero");
    }

    @Test
    void aDayPastTheHistoryLimitSaysTheCountersAreCapped() {
        CheckResult capped = ActivityCheck.interpret(row("QUERIES", 10_000L, "FAILED_QUERIES", 12L, "QUERY_ELAPSED_MS", 9_000_000L,
                "QUEUED_OVERLOAD_MS", 0L, "TRANSACTION_BLOCKED_MS", 0L), row("LOGINS", 50L, "FAILED_LOGINS", 0L));
        assertEquals(Severity.INFO, require(capped, "SF_ACTIVITY_CAPPED").severity());
        CheckResult normal = ActivityCheck.interpret(row("QUERIES", 9_999L, "FAILED_QUERIES", 12L, "QUERY_ELAPSED_MS", 9_000_000L,
                "QUEUED_OVERLOAD_MS", 4_000L, "TRANSACTION_BLOCKED_MS", 0L), null);
        assertTrue(normal.findings().isEmpty(), normal.findings().toString());
        assertEquals(4_000L, normal.metrics().get("queued_overload_ms"));
    }
}
