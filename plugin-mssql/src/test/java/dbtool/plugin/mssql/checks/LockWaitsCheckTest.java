package dbtool.plugin.mssql.checks;

import static dbtool.plugin.mssql.checks.Fixtures.context;
import static dbtool.plugin.mssql.checks.Fixtures.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rows of sys.dm_tran_locks (request_status WAIT) joined to sys.dm_os_waiting_tasks. */
class LockWaitsCheckTest {

    static Map<String, Object> wait(int session, int blocker, String type, String mode, String object, long waitMs, String resource) {
        return row("session_id", session, "blocking_session_id", blocker, "resource_type", type, "request_mode", mode,
                "database_name", "orders", "object_name", object, "resource_description", "(8194443284a0)",
                "wait_type", "LCK_M_" + mode, "wait_duration_ms", waitMs, "wait_resource", resource);
    }

    @Test
    void lockWaitsSayOnWhatInWhichModeAndWhoHoldsIt() {
        CheckResult result = LockWaitsCheck.interpret(List.of(
                wait(55, 54, "OBJECT", "IS", "accounts", 95_000, "objectlock lockPartition=0 objid=581577110 subresource=FULL dbid=5 mode=Sch-M"),
                wait(54, 53, "KEY", "U", null, 40_000, "keylock hobtid=72057594043629568 dbid=5 mode=X"),
                wait(56, 53, "KEY", "S", null, 200, "keylock hobtid=72057594043629568 dbid=5 mode=X")), context());
        Finding finding = result.findings().getFirst();
        assertEquals("MSSQL_LOCK_WAITS", finding.code());
        assertEquals(Severity.CRITICAL, finding.severity(), "95 s is over lock_wait_critical_seconds (60)");
        assertEquals("2 lock requests wait; the longest for 1 min 35 s: session 55 wants IS on orders.accounts, held by session 54",
                finding.title(), "the 200 ms wait is under lock_wait_seconds (5)");
        assertEquals(List.of(53L), finding.evidence().get("headBlockers"), "54 waits itself, so 53 is the head");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> waits = (List<Map<String, Object>>) finding.evidence().get("lockWaits");
        assertEquals("keylock hobtid=72057594043629568 dbid=5 mode=X", waits.get(1).get("resource"));
        assertEquals("U", waits.get(1).get("mode"));
    }

    @Test
    void aShortFreshWaitIsAWarningAndNoWaitIsHealthy() {
        CheckResult result = LockWaitsCheck.interpret(List.of(wait(70, 69, "PAGE", "X", null, 6_000, "pagelock fileid=1 pageid=312 dbid=5")),
                context());
        assertEquals(Severity.WARNING, result.status());
        assertTrue(result.findings().getFirst().title().contains("wants X on PAGE pagelock fileid=1 pageid=312 dbid=5"));
        assertTrue(LockWaitsCheck.interpret(List.of(), context()).findings().isEmpty());
        assertEquals(0, LockWaitsCheck.interpret(List.of(), context()).metrics().get("lock_waits"));
    }
}
