package dbtool.plugin.mssql.activity;

import static dbtool.testkit.CheckFixtures.row;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dbtool.spi.Activity;
import dbtool.spi.ActiveSession;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import org.junit.jupiter.api.Test;

class SqlServerActivityTest {

    private static final Instant AT = Instant.parse("2026-12-07T10:00:00Z");

    static Map<String, Object> load(long userConnections) {
        return row("connections", 40, "user_connections", userConnections, "max_connections", 32767,
                "batch_requests", 5600L, "transactions", 1200L);
    }

    static Map<String, Object> request(long id, String status, long runningMs, String waitType, String resource, long blocker,
                                       long openTransactions, String text) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("session_id", (int) id);
        row.put("login_name", "app");
        row.put("database_name", "shop");
        row.put("program_name", "OrdersApi");
        row.put("client_net_address", "10.0.0.7");
        row.put("status", status);
        row.put("running_ms", runningMs);
        row.put("wait_type", waitType);
        row.put("wait_resource", resource);
        row.put("blocking_session_id", (short) blocker);
        row.put("open_transaction_count", openTransactions);
        row.put("cpu_ms", 1500);
        row.put("io_pages", 9000L);
        row.put("sql_text", text);
        return row;
    }

    @Test
    void waitersFollowTheSleepingSessionThatHoldsTheirLocks() {
        Activity activity = SqlServerActivity.interpret(AT, load(0), List.of(
                request(61, "running", 52_000, "PAGEIOLATCH_SH", "5:1:1234", 0, 0, "INSERT INTO Archive SELECT * FROM Orders"),
                request(53, "suspended", 8_000, "LCK_M_S", "KEY: 5:72057594043236352 (8194443284a0)", 54, 0, "SELECT Total FROM Orders"),
                request(54, "suspended", 9_000, "LCK_M_X", "KEY: 5:72057594043236352 (8194443284a0)", 52, 1, "UPDATE Orders SET Total = 0"),
                request(52, "sleeping", 300_000, null, null, 0, 1, null)));

        assertEquals(List.of("52:0", "54:1", "53:2", "61:0"),
                activity.sessions().stream().map(s -> s.id() + ":" + s.depth()).toList(), "the chain under its head, then the rest");
        ActiveSession head = activity.sessions().getFirst();
        assertEquals("sleeping", head.state());
        assertNull(head.waitType(), "a sleeping head blocker waits for its client, not for the server");
        assertEquals(List.of("1 transaction open: its locks are held until it ends"), head.locks());
        assertEquals("KILL 52", head.terminate());
        ActiveSession waiter = activity.sessions().get(2);
        assertEquals(List.of("54"), waiter.blockedBy());
        assertEquals("Lock", waiter.waitType());
        assertEquals("LCK_M_S", waiter.waitEvent());
        assertEquals(List.of("LCK_M_S waits on KEY: 5:72057594043236352 (8194443284a0)"), waiter.locks());
        assertEquals(Duration.ofSeconds(8), waiter.running());
        assertEquals(1500.0, waiter.cpuMillis());
        assertEquals(9000.0, waiter.ioCount());
        assertEquals("IO", activity.sessions().get(3).waitType());
    }

    @Test
    void theHeaderCountsConnectionsAgainstTheConfiguredLimitAndKeepsCountersForRates() {
        assertEquals(Map.of("connections", "40 of 32767"), SqlServerActivity.interpret(AT, load(0), List.of()).load(),
                "'user connections' 0 is the default: @@MAX_CONNECTIONS");
        Activity limited = SqlServerActivity.interpret(AT, load(500), List.of());
        assertEquals(Map.of("connections", "40 of 500"), limited.load());
        assertEquals(List.of("batch requests", "transactions"), List.copyOf(limited.counters().keySet()));
        assertEquals(5600.0, limited.counters().get("batch requests"));
        assertEquals(2, limited.statements());
    }

    @Test
    void onAnAvailabilityGroupPrimaryTheHeaderShowsHowFarTheSecondariesTrail() {
        Map<String, Object> primary = new LinkedHashMap<>(load(0));
        primary.put("ag_replicas", 2);
        primary.put("ag_lag_seconds", 189L);
        assertEquals("3 min 9 s", SqlServerActivity.interpret(AT, primary, List.of()).load().get("AG lag"));
        primary.put("ag_lag_seconds", null);
        assertEquals("read it on the primary", SqlServerActivity.interpret(AT, primary, List.of()).load().get("AG lag"));
        assertNull(SqlServerActivity.interpret(AT, load(0), List.of()).load().get("AG lag"), "no group, no figure");
    }

    @Test
    void aNegativeBlockerIsNoSessionButTheWaitSaysWhatItIs() {
        // -2: the lock belongs to an orphaned distributed transaction, which no session owns
        ActiveSession session = SqlServerActivity.interpret(AT, load(0), List.of(
                request(70, "suspended", 60_000, "LCK_M_U", "RID: 5:1:88:0", -2, 0, "UPDATE t SET a = 1"))).sessions().getFirst();
        assertEquals(List.of(), session.blockedBy());
        assertEquals(List.of("LCK_M_U waits on RID: 5:1:88:0 (blocking_session_id -2)"), session.locks());
    }

    static Map<String, Object> lock(long session, String type, long entity, String mode, String status, long count) {
        return row("session_id", (short) session, "resource_type", type, "database_name", "shop", "entity_id", entity,
                "request_mode", mode, "request_status", status, "lock_count", count);
    }

    static Map<String, Object> task(long session, int context, String waitType, long waitMs, Long blocker) {
        return row("session_id", (short) session, "exec_context_id", context, "wait_type", waitType, "wait_duration_ms", waitMs,
                "blocking_session_id", blocker == null ? null : blocker.shortValue());
    }

    @Test
    void theExpandedSessionListsTheLocksItHoldsAndWaitsForFromDmTranLocks() {
        List<Map<String, Object>> locks = List.of(
                lock(53, "KEY", 72057594043236352L, "S", "WAIT", 1),
                lock(53, "OBJECT", 1237579447L, "IS", "GRANT", 1),
                lock(52, "KEY", 72057594043236352L, "X", "GRANT", 412),
                lock(52, "PAGE", 72057594043236352L, "IX", "GRANT", 9),
                lock(52, "OBJECT", 1237579447L, "IX", "GRANT", 1));
        Activity activity = SqlServerActivity.interpret(AT, load(0), List.of(
                request(53, "suspended", 8_000, "LCK_M_S", "KEY: 5:72057594043236352 (8194443284a0)", 52, 0, "SELECT Total FROM Orders"),
                request(52, "sleeping", 300_000, null, null, 0, 1, null)), locks, List.of(), 3);

        assertEquals(3, activity.statements(), "the lock statement counts in what a refresh costs");
        ActiveSession head = activity.sessions().getFirst();
        assertEquals(List.of("1 transaction open: its locks are held until it ends", "holds 412 X on KEY (hobt 72057594043236352) in shop",
                "holds 9 IX on PAGE (hobt 72057594043236352) in shop", "holds IX on OBJECT 1237579447 in shop"), head.locks());
        ActiveSession waiter = activity.sessions().get(1);
        assertEquals(List.of("LCK_M_S waits on KEY: 5:72057594043236352 (8194443284a0)", "waits for S on KEY (hobt 72057594043236352) in shop",
                "holds IS on OBJECT 1237579447 in shop"), waiter.locks());
    }

    @Test
    void aSessionHoldingThousandsOfLockGroupsShowsTheLargestAndHowManyMore() {
        List<Map<String, Object>> locks = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            locks.add(lock(52, "OBJECT", 1000 + i, "X", "GRANT", 1));
        }
        ActiveSession head = SqlServerActivity.interpret(AT, load(0), List.of(request(52, "sleeping", 1_000, null, null, 0, 1, null)),
                locks, List.of(), 3).sessions().getFirst();
        assertEquals(1 + SqlServerActivity.LOCK_LINES + 1, head.locks().size(), head.locks().toString());
        assertEquals("... and 4 more groups of locks", head.locks().getLast());
    }

    @Test
    void aParallelRequestShowsItsTasksWaitsAndTheBlockerOnlyAWorkerSees() {
        Map<String, Object> parallel = request(61, "suspended", 40_000, "CXPACKET", null, 0, 0, "SELECT COUNT(*) FROM Orders o JOIN Lines l ON ...");
        parallel.put("dop", 8);
        List<Map<String, Object>> tasks = List.of(
                task(61, 0, "CXPACKET", 39_000, null),
                task(61, 1, "CXPACKET", 1_200, 61L),
                task(61, 2, "CXPACKET", 800, 61L),
                task(61, 3, "LCK_M_S", 9_000, 52L));
        Activity activity = SqlServerActivity.interpret(AT, load(0), List.of(parallel, request(52, "sleeping", 300_000, null, null, 0, 1, null)),
                List.of(), tasks, 4);

        ActiveSession head = activity.sessions().getFirst();
        assertEquals("52", head.id(), "the worker's lock wait puts the parallel request under the session holding the lock");
        ActiveSession request = activity.sessions().get(1);
        assertEquals(List.of("52"), request.blockedBy(), "a task waiting on its own request (61) is no blocker");
        assertEquals(1, request.depth());
        assertEquals("degree 8, task waits: CXPACKET x3 (longest 39.0 s), LCK_M_S x1 (longest 9.0 s, held by 52)",
                request.details().get("parallel"));
        assertEquals(Map.of(), head.details(), "a serial session has no parallel line");
    }

    @Test
    void theStatementsParseAsTSql() {
        for (String sql : List.of(SqlServerActivity.LOAD, SqlServerActivity.SESSIONS, SqlServerPlan.sql(53),
                SqlServerActivity.locks(List.of("52", "53")), SqlServerActivity.tasks(List.of("61")))) {
            assertDoesNotThrow(() -> CCJSqlParserUtil.parse(sql, parser -> parser.withSquareBracketQuotation(true)), sql);
        }
    }
}
