package dbtool.plugin.snowflake.activity;

import static dbtool.testkit.CheckFixtures.leaving;
import static dbtool.testkit.CheckFixtures.row;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.plugin.snowflake.ReadOnlyStatements;
import dbtool.plugin.snowflake.SnowflakePlugin;
import dbtool.plugin.snowflake.SnowflakeSession;
import dbtool.spi.Activity;
import dbtool.spi.ActiveSession;
import dbtool.spi.Credentials;
import dbtool.spi.QueryPlan;
import dbtool.spi.SessionSettings;
import dbtool.spi.Target;
import dbtool.spi.TraceContext;
import dbtool.testkit.PluginRun;
import dbtool.testkit.snowflake.SnowflakeResponder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * dbtool top on Snowflake: the real plugin on the real Snowflake JDBC driver, logged in to the
 * testkit's responder on loopback, whose answers come from {@link ActivityScenario}'s account.
 */
class SnowflakeActivityTest {

    private ActivityScenario account;
    private SnowflakeResponder responder;

    @AfterEach
    void stop() {
        if (responder != null) {
            responder.assertOnlyExpectedTraffic();
            responder.close();
        }
    }

    private SnowflakeSession open() {
        account = ActivityScenario.start();
        responder = account.responder();
        Target target = PluginRun.target(responder.url(ActivityScenario.USER + ":" + ActivityScenario.PASSWORD, "DIAG", ""), "snowflake", Map.of());
        return (SnowflakeSession) new SnowflakePlugin().open(target, Credentials.none(), SessionSettings.defaults());
    }

    private static ActiveSession find(Activity activity, String id) {
        return activity.sessions().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow(() -> new AssertionError(id + " in "
                + activity.sessions().stream().map(ActiveSession::id).toList()));
    }

    @Test
    void theBlockedUpdateFollowsTheIdleTransactionHoldingItsLock() throws Exception {
        try (SnowflakeSession session = open()) {
            Activity activity = session.activity(leaving(Duration.ofSeconds(10)));

            List<String> ids = activity.sessions().stream().map(s -> s.id() + ":" + s.depth()).toList();
            assertEquals(List.of("txn " + ActivityScenario.HEAD_TXN + ":0", ActivityScenario.BLOCKED + ":1"), ids.subList(0, 2),
                    "the open transaction heads the tree, the blocked UPDATE under it: " + ids);
            assertFalse(ids.stream().anyMatch(id -> id.startsWith(ActivityScenario.OWN)), "dbtool's own query never shows: " + ids);

            ActiveSession head = activity.sessions().getFirst();
            assertEquals("idle in transaction", head.state());
            assertEquals("ANALYST_JO", head.user());
            assertTrue(head.running().toMinutes() >= 24, "open since the transaction started: " + head.running());
            assertNull(head.cancel(), "no query runs, so there is nothing to cancel");
            assertEquals("SELECT SYSTEM$ABORT_TRANSACTION(" + ActivityScenario.HEAD_TXN + ")", head.terminate());
            assertEquals(List.of("holds PARTITIONS on DIAG.PUBLIC.ORDERS"), head.locks());
            assertEquals(ActivityScenario.HEAD_LOCK_QUERY, head.details().get("lock taken by query"));

            ActiveSession blocked = activity.sessions().get(1);
            assertEquals("blocked", blocked.state());
            assertEquals("Lock", blocked.waitType());
            assertEquals("DIAG.PUBLIC.ORDERS", blocked.waitEvent());
            assertEquals(List.of(head.id()), blocked.blockedBy());
            assertEquals(List.of("waits for PARTITIONS on DIAG.PUBLIC.ORDERS"), blocked.locks());
            assertEquals("SELECT SYSTEM$CANCEL_QUERY('" + ActivityScenario.BLOCKED + "')", blocked.cancel());
            assertEquals("SELECT SYSTEM$ABORT_TRANSACTION(" + ActivityScenario.WAITING_TXN + ")", blocked.terminate());
            assertEquals(ActivityScenario.BLOCKED_TAG, blocked.application(), "the query tag names the tool that sent it");
            assertEquals(Optional.of(new TraceContext("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", "nightly-load")), blocked.trace(),
                    "the tag's trace context");
            assertEquals("ETL_WH (Medium)", blocked.details().get("warehouse"));
            assertTrue(blocked.details().get("blocked on locks").endsWith(" s"), blocked.details().toString());

            ActiveSession queued = find(activity, ActivityScenario.QUEUED);
            assertEquals("Queue", queued.waitType());
            assertEquals("overload", queued.waitEvent());
            assertTrue(queued.details().get("queued").startsWith("2"), "20 s queued for overload: " + queued.details());
            assertEquals("SELECT SYSTEM$ABORT_SESSION(6002)", queued.terminate(), "no transaction: the session is what ends it");

            assertEquals(Map.of("running", "1", "queued", "1", "blocked", "1", "warehouses", "ETL_WH 1 running, 1 queued (1 suspended)"),
                    activity.load());
            assertEquals(4, activity.statements());
            assertTrue(activity.counters().isEmpty(), "Snowflake keeps no cumulative counters dbtool could turn into rates");
        }
        assertTrue(responder.queries().stream().noneMatch(q -> q.sql().contains("SYSTEM$")),
                "the cancel and abort statements are shown, never sent: " + responder.queries());
    }

    @Test
    void bytesScannedGrowBetweenRefreshesAndAFinishedQueryLeavesTheView() throws Exception {
        try (SnowflakeSession session = open()) {
            ActiveSession before = find(session.activity(leaving(Duration.ofSeconds(10))), ActivityScenario.REPORT);
            Thread.sleep(300);
            ActiveSession after = find(session.activity(leaving(Duration.ofSeconds(10))), ActivityScenario.REPORT);

            assertNull(after.cpuMillis(), "Snowflake reports no CPU per query");
            double grown = after.ioCount() - before.ioCount();
            assertTrue(grown >= ActivityScenario.REPORT_BYTES_PER_SECOND * 0.25, "bytes scanned grew with the clock: " + grown);
            assertTrue(after.running().compareTo(before.running()) > 0);

            account.reportFinishes();
            account.headCommits();
            Activity later = session.activity(leaving(Duration.ofSeconds(10)));
            List<String> ids = later.sessions().stream().map(ActiveSession::id).toList();
            assertFalse(ids.contains(ActivityScenario.REPORT), "a finished query is no longer in the view: " + ids);
            assertFalse(ids.contains("txn " + ActivityScenario.HEAD_TXN), "the committed transaction is gone: " + ids);
            assertEquals("running", find(later, ActivityScenario.BLOCKED).state(), "the waiter got its lock");
            assertTrue(find(later, ActivityScenario.BLOCKED).blockedBy().isEmpty());
            assertEquals("running", find(later, ActivityScenario.QUEUED).state());
        }
    }

    @Test
    void aRunningQuerysPlanComesFromItsLatestCompletedRun() throws Exception {
        try (SnowflakeSession session = open()) {
            Activity activity = session.activity(leaving(Duration.ofSeconds(10)));
            QueryPlan plan = session.plan(find(activity, ActivityScenario.REPORT), leaving(Duration.ofSeconds(10)));

            assertTrue(plan.available(), plan.unavailable());
            assertTrue(plan.lines().getFirst().startsWith("from the latest completed run of the same statement, query "
                    + ActivityScenario.EARLIER_REPORT), plan.lines().getFirst());
            assertEquals("6 operators; by share of the time:", plan.lines().get(1));
            assertEquals("TableScan DIAG.PUBLIC.SALES (operator 3): 61.9% of the time, 1180 of 1200 partitions, 2.0M rows out",
                    plan.lines().get(2));
            assertTrue(plan.lines().contains("spilled 2.1 GB to remote storage on Sort (operator 5): the warehouse is short of memory for it"),
                    String.join("\n", plan.lines()));
            assertTrue(plan.lines().contains("InnerJoin (operator 2) produces 41.0M rows from 2.1M (19.5x): an exploding join?"),
                    String.join("\n", plan.lines()));
            assertTrue(plan.lines().contains("TableScan DIAG.PUBLIC.SALES (operator 3) scans 1180 of 1200 partitions: the filter prunes little"));

            QueryPlan blocked = session.plan(find(activity, ActivityScenario.BLOCKED), leaving(Duration.ofSeconds(10)));
            assertEquals("the query is blocked and GET_QUERY_OPERATOR_STATS reads completed queries only, and no completed run of the same "
                    + "statement is in the recent query history (Snowsight's Query Profile shows it live)", blocked.unavailable());
            assertEquals("an open transaction that runs no query has no plan",
                    session.plan(activity.sessions().getFirst(), leaving(Duration.ofSeconds(10))).unavailable());

            account.reportFinishes();
            QueryPlan finished = session.plan(new ActiveSession(ActivityScenario.REPORT, null, null, null, null, "success", null, null, null,
                    List.of(), 0, null, null, null, List.of(), null, null), leaving(Duration.ofSeconds(10)));
            assertEquals("6 operators; by share of the time:", finished.lines().getFirst(), "a completed query is read directly");
        }
    }

    @Test
    void withoutAccountadminTheViewReadsTheRolesOwnLocksAndSaysSo() throws Exception {
        try (SnowflakeSession session = open()) {
            responder.fail(SnowflakeActivity.LOCKS_IN_ACCOUNT, "003001", "42501",
                    "SQL access control error:\nInsufficient privileges to operate on account 'TESTACCT'");
            Activity first = session.activity(leaving(Duration.ofSeconds(10)));
            Activity second = session.activity(leaving(Duration.ofSeconds(10)));

            assertEquals("own sessions only (SHOW LOCKS IN ACCOUNT needs ACCOUNTADMIN)", first.load().get("locks"));
            assertEquals(5, first.statements(), "the refused SHOW counts in what the refresh cost");
            assertEquals(4, second.statements());
            assertEquals(1, responder.queries().stream().filter(q -> q.sql().equals(SnowflakeActivity.LOCKS_IN_ACCOUNT)).count(),
                    "a refused SHOW ... IN ACCOUNT is not sent again on every refresh");
        }
    }

    @Test
    void onlyAWellFormedQueryIdReachesAStatement() {
        assertEquals("SELECT SYSTEM$CANCEL_QUERY('01bc0a00-0000-4e2a-0000-00000000000b')",
                SnowflakeActivity.cancelStatement("01bc0a00-0000-4e2a-0000-00000000000b"));
        assertNull(SnowflakeActivity.cancelStatement("x'); DROP TABLE t; --"));
        assertEquals("not a Snowflake query id: x'); DROP TABLE t; --", assertDoesNotThrow(() -> SnowflakePlan.read(null, null,
                new ActiveSession("x'); DROP TABLE t; --", null, null, null, null, "running", null, null, null, List.of(), 0, null, null,
                        null, List.of(), null, null), null)).unavailable());
    }

    @Test
    void operatorStatisticsAreSummarisedByShareOfTimeWithWhatTheProfileWouldFlag() {
        QueryPlan plan = SnowflakePlan.interpret(List.of(
                row("OPERATOR_ID", 0, "OPERATOR_TYPE", "Result", "TIME_PERCENT", 1.0, "INPUT_ROWS", 10, "OUTPUT_ROWS", 10),
                row("OPERATOR_ID", 1, "OPERATOR_TYPE", "Sort", "TIME_PERCENT", 30.0, "INPUT_ROWS", 10, "OUTPUT_ROWS", 10,
                        "SPILLED_LOCAL", 3L * 1024 * 1024 * 1024, "SPILLED_REMOTE", 0),
                row("OPERATOR_ID", 2, "OPERATOR_TYPE", "TableScan", "TIME_PERCENT", 69.0, "OUTPUT_ROWS", 10, "PARTITIONS_SCANNED", 2,
                        "PARTITIONS_TOTAL", 5000, "TABLE_NAME", "DB.S.T")));
        assertEquals(List.of("3 operators; by share of the time:",
                "TableScan DB.S.T (operator 2): 69.0% of the time, 2 of 5000 partitions, 10 rows out",
                "Sort (operator 1): 30.0% of the time, 10 rows in, 10 rows out",
                "Result (operator 0): 1.0% of the time, 10 rows in, 10 rows out",
                "spilled 3.0 GB to local storage on Sort (operator 1)"), plan.lines(), "good pruning is not flagged");
        assertEquals("GET_QUERY_OPERATOR_STATS returned no operators (a query answered from the result cache or from metadata has none)",
                SnowflakePlan.interpret(List.of()).unavailable());
    }

    /** Columns of the documented outputs used by the view's statements. */
    static final List<String> QUERY_HISTORY = List.of("QUERY_ID", "QUERY_TEXT", "SESSION_ID", "USER_NAME", "ROLE_NAME", "DATABASE_NAME",
            "WAREHOUSE_NAME", "WAREHOUSE_SIZE", "QUERY_TAG", "EXECUTION_STATUS", "START_TIME", "END_TIME", "TOTAL_ELAPSED_TIME",
            "BYTES_SCANNED", "QUEUED_PROVISIONING_TIME", "QUEUED_OVERLOAD_TIME", "TRANSACTION_BLOCKED_TIME", "QUERY_PARAMETERIZED_HASH");
    static final List<String> OPERATOR_STATS = List.of("OPERATOR_ID", "OPERATOR_TYPE", "OPERATOR_STATISTICS", "EXECUTION_TIME_BREAKDOWN",
            "OPERATOR_ATTRIBUTES");

    @Test
    void everyStatementIsOneReadOnlyStatementOnDocumentedColumns() {
        for (String sql : List.of(SnowflakeActivity.QUERIES, SnowflakeActivity.LOCKS_IN_ACCOUNT, SnowflakeActivity.LOCKS_OWN,
                SnowflakeActivity.TRANSACTIONS_IN_ACCOUNT, SnowflakeActivity.TRANSACTIONS_OWN, SnowflakeActivity.WAREHOUSES,
                SnowflakePlan.operatorStats(ActivityScenario.REPORT), SnowflakePlan.latestRun(ActivityScenario.REPORT_HASH))) {
            assertDoesNotThrow(() -> ReadOnlyStatements.require(sql), sql);
        }
        selects(SnowflakeActivity.QUERIES, QUERY_HISTORY);
        selects(SnowflakePlan.latestRun("ab12"), QUERY_HISTORY);
        selects(SnowflakePlan.operatorStats(ActivityScenario.REPORT), OPERATOR_STATS);
    }

    /** The select list's source columns (aliases, casts, VARIANT paths and function wrappers removed) must be documented ones. */
    private static void selects(String sql, List<String> documented) {
        Matcher select = Pattern.compile("(?is)SELECT(.*?)\\bFROM\\s+TABLE\\(").matcher(sql);
        assertTrue(select.find(), sql);
        for (String item : select.group(1).split(",(?![^(]*\\))")) {
            String expression = item.trim().replaceAll("(?i)\\s+AS\\s+\\w+$", "").replaceAll("::\\w+", "").replaceAll(":[\\w:]+", "")
                    .replaceAll("'[^']*'", "");
            Matcher identifiers = Pattern.compile("\\b[A-Z][A-Z_]+\\b").matcher(expression);
            while (identifiers.find()) {
                String identifier = identifiers.group();
                if (List.of("LEFT", "UPPER", "DATEDIFF", "CURRENT_TIMESTAMP").contains(identifier)) {
                    continue;
                }
                assertTrue(documented.contains(identifier), "column " + identifier + " is not documented: " + sql);
            }
        }
    }
}
