package dbtool.plugin.snowflake.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.report.Report;
import dbtool.core.report.Style;
import dbtool.core.report.TextReportRenderer;
import dbtool.plugin.snowflake.SnowflakePlugin;
import dbtool.spi.Credentials;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.testkit.PluginRun;
import dbtool.testkit.Reports;
import dbtool.testkit.snowflake.CannedResult;
import dbtool.testkit.snowflake.SnowflakeResponder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The plugin end to end through the real Snowflake JDBC driver, against the testkit responder on
 * loopback: a healthy account, a blocked-transaction incident and a queued warehouse.
 */
class EndToEndTest {

    private SnowflakeResponder responder;

    @AfterEach
    void noUnexpectedTraffic() {
        if (responder != null) {
            responder.assertOnlyExpectedTraffic();
            responder.close();
        }
    }

    private Report run(SnowflakeResponder responder) {
        return PluginRun.run(new SnowflakePlugin(), responder.url(Scenario.USER + ":" + Scenario.PASSWORD, "DIAG",
                "warehouse=DIAG_WH&role=MONITOR_RO"), Credentials.none(), Map.of(), Duration.ofSeconds(30));
    }

    @Test
    void aHealthyAccountIsOkWithOneLoginAndSafeSessionParameters() {
        responder = Scenario.healthy();
        Report report = run(responder);

        Reports.assertNoUnknown(report);
        assertEquals(Severity.OK, report.status(), Reports.describe(report));
        Finding connected = Reports.require(report, "SF_CONNECTED");
        assertEquals(SnowflakeResponder.SERVER_VERSION, connected.evidence().get("serverVersion"));
        assertTrue(String.valueOf(connected.evidence().get("clientVersion")).startsWith("Snowflake JDBC 4."), connected.evidence().toString());
        assertEquals("MONITOR_RO", connected.evidence().get("role"));
        assertEquals("DIAG_WH", connected.evidence().get("warehouse"));
        assertEquals("password", connected.evidence().get("login"));
        assertEquals(Severity.INFO, Reports.require(report, "SF_WAREHOUSE").severity());
        assertEquals(Severity.INFO, Reports.require(report, "SF_CREDITS_TODAY").severity());

        assertEquals(1, responder.logins().size(), "one login per troubleshoot");
        SnowflakeResponder.Login login = responder.logins().getFirst();
        assertEquals("JSON", login.sessionParameters().get("JDBC_QUERY_RESULT_FORMAT"));
        assertEquals("false", login.sessionParameters().get("CLIENT_TELEMETRY_ENABLED"));
        assertEquals("dbtool", login.sessionParameters().get("QUERY_TAG"));
        assertTrue(Integer.parseInt(login.sessionParameters().get("STATEMENT_TIMEOUT_IN_SECONDS")) <= 30);
        for (SnowflakeResponder.Query query : responder.queries()) {
            int timeout = Integer.parseInt(query.parameters().get("STATEMENT_TIMEOUT_IN_SECONDS"));
            assertTrue(timeout >= 1 && timeout <= 30, "each statement carries a timeout within the deadline: " + query);
        }
        assertEquals(1, responder.deletedSessions(), "the session is closed at the end");
        assertTrue(responder.requests().stream().allMatch(r -> r.startsWith("POST /session") || r.startsWith("POST /queries/v1/")),
                responder.requests().toString());
    }

    @Test
    void aBlockedTransactionIsTracedToItsHeadBlockerWithTheAbortStatement() {
        responder = Scenario.healthy();
        Scenario.blockedTransactions(responder);
        Report report = run(responder);

        Reports.assertNoUnknown(report);
        Finding blocked = Reports.require(report, "SF_BLOCKED_TRANSACTIONS");
        assertEquals(Severity.CRITICAL, blocked.severity(), "waits of minutes exceed lock_wait_critical_seconds");
        assertEquals(List.of(Scenario.HEAD_TXN), blocked.evidence().get("headBlockers"));
        assertEquals(3, blocked.evidence().get("blockedTransactions"));
        assertTrue(blocked.title().contains("ANALYST_JO"), blocked.title());
        assertTrue(blocked.recommendation().startsWith("SELECT SYSTEM$ABORT_TRANSACTION(" + Scenario.HEAD_TXN + ");"), blocked.recommendation());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> tree = (List<Map<String, Object>>) blocked.evidence().get("blockingTree");
        assertEquals(1, tree.size());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> children = (List<Map<String, Object>>) tree.getFirst().get("blocked");
        assertEquals(2, children.size());
        String text = new TextReportRenderer(Style.PLAIN).render(report);
        assertTrue(text.contains("txn " + Scenario.HEAD_TXN + " running, open 25 min, holds DIAG.PUBLIC.ORDERS"), text);
        assertTrue(text.matches("(?s).*waiting 6 min( \\d+ s)? for DIAG\\.PUBLIC\\.ORDERS.*"), text);
        assertTrue(Reports.require(report, "SF_WAREHOUSE_BLOCKED_LOAD").recommendation().contains("blocked-transactions"));
        assertEquals(2, report.exitCode());
    }

    @Test
    void withoutAccountadminTheLockCheckFallsBackToTheRolesOwnLocks() {
        responder = Scenario.healthy();
        responder.fail(BlockedTransactionsCheck.LOCKS_IN_ACCOUNT, "003001", "42501",
                "SQL access control error:\nInsufficient privileges to operate on account 'TESTACCT'");
        responder.answer(BlockedTransactionsCheck.LOCKS_OWN, CannedResult.columns(Scenario.LOCK_COLUMNS));
        responder.answer(BlockedTransactionsCheck.TRANSACTIONS_OWN, CannedResult.columns(Scenario.TRANSACTION_COLUMNS));
        responder.answer(BlockedTransactionsCheck.BLOCKED_QUERIES, CannedResult.columns(Scenario.BLOCKED_COLUMNS)
                .row("01bc0009-0000-4e2a-0000-000000000001", 77, "BI_USER", "DIAG_WH", "BLOCKED", Scenario.ago(Duration.ofSeconds(30)), 30,
                        "UPDATE t SET x = 1"));
        Report report = run(responder);

        Finding blocked = Reports.require(report, "SF_BLOCKED_TRANSACTIONS");
        assertEquals(Severity.WARNING, blocked.severity());
        assertEquals(List.of(), blocked.evidence().get("headBlockers"), "lock findings always carry headBlockers");
        assertTrue(blocked.detail().contains("only its own locks"), blocked.detail());
        assertEquals("own sessions", Reports.check(report, "blocked-transactions").metrics().get("lock_visibility"));
    }

    @Test
    void aQueuedWarehouseGetsMoreClustersOrALargerSize() {
        responder = Scenario.healthy();
        Scenario.queuedWarehouse(responder);
        Report report = run(responder);

        Reports.assertNoUnknown(report);
        Finding load = Reports.require(report, "SF_WAREHOUSE_QUEUED_LOAD");
        assertEquals(Severity.CRITICAL, load.severity(), "an average queued load of 3.33 exceeds queued_load_critical");
        assertTrue(load.title().startsWith("Warehouse ETL_WH is overloaded"), load.title());
        assertTrue(load.recommendation().contains("ALTER WAREHOUSE ETL_WH SET MAX_CLUSTER_COUNT = 2;"), load.recommendation());
        assertTrue(load.recommendation().contains("ALTER WAREHOUSE ETL_WH SET WAREHOUSE_SIZE = 'LARGE';"), load.recommendation());
        Finding queued = Reports.require(report, "SF_QUERIES_QUEUED_OVERLOAD");
        assertEquals(Severity.CRITICAL, queued.severity(), "25 queued queries exceed queued_queries_critical");
        assertEquals(Map.of("ETL_WH", 25L), queued.evidence().get("perWarehouse"));
        assertEquals(2, report.exitCode());
    }
}
