package dbtool.plugin.mssql.checks;

import static dbtool.testkit.CheckFixtures.context;
import static dbtool.testkit.CheckFixtures.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rows as sys.dm_exec_sessions / sys.dm_exec_requests return them (session_id smallint, wait_time ms). */
class BlockingCheckTest {

    static Map<String, Object> session(int id, int blocker, String status, int openTransactions, String waitType, int waitMs, String sql) {
        return row("session_id", id, "blocking_session_id", blocker, "status", status, "login_name", "app", "host_name", "web01",
                "program_name", "orders-api", "open_transaction_count", openTransactions, "wait_type", waitType, "wait_ms", waitMs,
                "command", waitType == null ? null : "UPDATE", "seconds_since_request", 300, "sql_text", sql);
    }

    @Test
    void headBlockersAreThoseThatBlockAndWaitForNobodyLikeWhoIsActiveBlockLeaders() {
        CheckResult result = BlockingCheck.interpret(List.of(
                session(53, 0, "sleeping", 1, null, 0, "UPDATE dbo.accounts SET balance = 0 WHERE id = 1"),
                session(54, 53, "suspended", 1, "LCK_M_U", 120_000, "UPDATE dbo.accounts SET balance = 1 WHERE id = 1"),
                session(55, 54, "suspended", 0, "LCK_M_S", 90_000, "SELECT * FROM dbo.accounts"),
                session(60, 0, "running", 1, null, 0, "ALTER INDEX ALL ON dbo.orders REBUILD"),
                session(61, 60, "suspended", 0, "LCK_M_IS", 2_000, "SELECT count(*) FROM dbo.orders")), context());

        Finding finding = result.findings().getFirst();
        assertEquals("MSSQL_BLOCKING", finding.code());
        assertEquals(Severity.CRITICAL, finding.severity(), "a sleeping head with an open transaction never finishes by itself");
        assertEquals(List.of(53L, 60L), finding.evidence().get("headBlockers"));
        assertEquals(3, finding.evidence().get("blockedSessions"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> tree = (List<Map<String, Object>>) finding.evidence().get("blockingTree");
        @SuppressWarnings("unchecked")
        Map<String, Object> child = ((List<Map<String, Object>>) tree.getFirst().get("blocked")).getFirst();
        assertEquals(54L, child.get("sessionId"));
        @SuppressWarnings("unchecked")
        Map<String, Object> grandchild = ((List<Map<String, Object>>) child.get("blocked")).getFirst();
        assertEquals(55L, grandchild.get("sessionId"));
        assertTrue(String.valueOf(tree.getFirst().get("label")).startsWith("session 53 sleeping"), String.valueOf(tree.getFirst().get("label")));
        assertTrue(finding.recommendation().startsWith("KILL 53;"), finding.recommendation());
    }

    @Test
    void eachSessionCarriesTheTraceContextItsApplicationSent() {
        String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        Map<String, Object> head = new LinkedHashMap<>(session(53, 0, "sleeping", 1, null, 0, "UPDATE dbo.accounts SET balance = 0"));
        head.put("program_name", "OrdersApi 00-" + trace + "-00f067aa0ba902b7-01");
        Map<String, Object> commented = new LinkedHashMap<>(session(54, 53, "suspended", 0, "LCK_M_U", 60_000, "UPDATE dbo.accounts SET balance = 1"));
        // sql_text is cut at 300 characters; the comment comes from the whole batch.
        commented.put("trace_comment", "/*application='billing',traceparent='00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'*/");
        Map<String, Object> contextInfo = new LinkedHashMap<>(session(55, 53, "suspended", 0, "LCK_M_S", 30_000, "SELECT 1"));
        // SET CONTEXT_INFO pads the 128 bytes with zeros.
        contextInfo.put("context_info", "00-5b8aa5a2d2c872e8321cf37308d69df2-051581bf3cb55c13-01" + "\0".repeat(73));

        Finding finding = BlockingCheck.interpret(List.of(head, commented, contextInfo), context()).findings().getFirst();
        @SuppressWarnings("unchecked")
        Map<String, Object> root = ((List<Map<String, Object>>) finding.evidence().get("blockingTree")).getFirst();
        assertEquals(trace, root.get("traceId"));
        assertEquals("OrdersApi", root.get("service"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> waiters = (List<Map<String, Object>>) root.get("blocked");
        assertEquals("0af7651916cd43dd8448eb211c80319c", waiters.get(0).get("traceId"));
        assertEquals("billing", waiters.get(0).get("service"));
        assertEquals("5b8aa5a2d2c872e8321cf37308d69df2", waiters.get(1).get("traceId"));
        assertEquals("051581bf3cb55c13", waiters.get(1).get("spanId"));
        assertTrue(!waiters.get(1).containsKey("service"), "context_info holds the traceparent alone: " + waiters.get(1));
    }

    @Test
    void oneFreshWaiterBehindAWorkingSessionIsAWarning() {
        CheckResult result = BlockingCheck.interpret(List.of(
                session(70, 0, "running", 1, null, 0, "UPDATE t SET x = 1"),
                session(71, 70, "suspended", 0, "LCK_M_X", 3_000, "UPDATE t SET x = 2")), context());
        assertEquals(Severity.WARNING, result.findings().getFirst().severity());
    }

    @Test
    void negativeBlockersAreHeadsWithPlainLabels() {
        CheckResult result = BlockingCheck.interpret(List.of(
                session(83, -2, "suspended", 1, "LCK_M_X", 20_000, "UPDATE t SET x = 1"),
                session(84, -3, "suspended", 0, "LCK_M_S", 10_000, "SELECT x FROM t"),
                session(85, -4, "suspended", 0, "PAGELATCH_EX", 1_000, "INSERT t VALUES (1)")), List.of(), List.of(), context());
        Finding finding = result.findings().getFirst();
        assertEquals(List.of(-2L, -3L, -4L), finding.evidence().get("headBlockers"));
        assertEquals(Severity.CRITICAL, finding.severity());
        assertTrue(finding.detail().contains("an orphaned distributed transaction (blocker -2); a deferred recovery transaction (blocker -3); "
                + "a latch whose owner is not known right now (blocker -4)"), finding.detail());
        assertTrue(finding.recommendation().contains("SELECT DISTINCT request_owner_guid FROM sys.dm_tran_locks WHERE request_session_id = -2;"),
                "without the unit of work, how to find it: " + finding.recommendation());
    }

    @Test
    void aWorkerTaskWaitingForALockMakesItsSessionBlocked() {
        CheckResult result = BlockingCheck.interpret(List.of(
                session(52, 0, "sleeping", 1, null, 0, "UPDATE t SET x = 1"),
                session(91, 0, "suspended", 0, "CXCONSUMER", 30_000, "SELECT x FROM t")),
                List.of(row("session_id", 91, "blocking_session_id", 52, "wait_type", "LCK_M_S", "wait_ms", 30_000L)), List.of(), context());
        assertEquals(List.of(52L), result.findings().getFirst().evidence().get("headBlockers"));
        assertEquals(1L, ((Number) result.metrics().get("blocked_sessions")).longValue());
    }

    @Test
    void noBlockingIsHealthy() {
        CheckResult result = BlockingCheck.interpret(List.of(), context());
        assertTrue(result.findings().isEmpty());
        assertEquals(0, result.metrics().get("blocked_sessions"));
    }
}
