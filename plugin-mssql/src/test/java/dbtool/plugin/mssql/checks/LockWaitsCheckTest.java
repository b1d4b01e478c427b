package dbtool.plugin.mssql.checks;

import static dbtool.testkit.CheckFixtures.context;
import static dbtool.testkit.CheckFixtures.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rows of sys.dm_os_waiting_tasks waiting on LCK_M_*, with the database of their request. */
class LockWaitsCheckTest {

    static Map<String, Object> wait(int session, int blocker, String waitType, long waitMs, String resource) {
        return row("session_id", session, "blocking_session_id", blocker, "wait_type", waitType, "wait_duration_ms", waitMs,
                "resource_description", resource, "database_name", "orders");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> waits(Finding finding) {
        return (List<Map<String, Object>>) finding.evidence().get("lockWaits");
    }

    @Test
    void lockWaitsSayOnWhatInWhichModeAndWhoHoldsIt() {
        CheckResult result = LockWaitsCheck.interpret(List.of(
                wait(55, 54, "LCK_M_IS", 95_000, "objectlock lockPartition=0 objid=581577110 subresource=FULL dbid=5 id=lock1 mode=Sch-M "
                        + "associatedObjectId=581577110"),
                wait(54, 53, "LCK_M_U", 40_000, "keylock hobtid=72057594043629568 dbid=5 id=lock2 mode=X associatedObjectId=72057594043629568"),
                wait(56, 53, "LCK_M_S", 200, "keylock hobtid=72057594043629568 dbid=5 id=lock2 mode=X associatedObjectId=72057594043629568")),
                context());
        Finding finding = result.findings().getFirst();
        assertEquals("MSSQL_LOCK_WAITS", finding.code());
        assertEquals(Severity.CRITICAL, finding.severity(), "95 s is over lock_wait_critical_seconds (60)");
        assertEquals("2 lock requests wait; the longest for 1 min 35 s: session 55 wants IS on OBJECT objid=581577110 in orders, "
                + "held by session 54", finding.title(), "the 200 ms wait is under lock_wait_seconds (5)");
        assertEquals(List.of(53L), finding.evidence().get("headBlockers"), "54 waits itself, so 53 is the head");
        Map<String, Object> key = waits(finding).get(1);
        assertEquals("KEY", key.get("resourceType"));
        assertEquals("U", key.get("mode"));
        assertEquals("72057594043629568", key.get("hobtid"));
        assertEquals("5", key.get("dbid"));
        assertEquals("581577110", waits(finding).getFirst().get("objid"));
        assertTrue(finding.recommendation().contains("SELECT OBJECT_NAME(581577110);"), finding.recommendation());
    }

    @Test
    void aSchemaLockIncidentIsNamedFromTheWaitTypeWithoutReadingMetadata() {
        Finding finding = LockWaitsCheck.interpret(List.of(
                wait(77, 75, "LCK_M_SCH_M_LOW_PRIORITY", 31_000, "objectlock lockPartition=0 objid=245575913 subresource=FULL dbid=5 "
                        + "id=lock8 mode=IX associatedObjectId=245575913"),
                wait(80, 77, "LCK_M_SCH_S", 30_000, "objectlock lockPartition=3 objid=245575913 subresource=FULL dbid=5 id=lock9 mode=Sch-M "
                        + "associatedObjectId=245575913"),
                wait(90, 88, "LCK_M_RIn_X", 9_000, "keylock hobtid=72057594046578688 dbid=5 id=lock7 mode=RangeS-S "
                        + "associatedObjectId=72057594046578688"),
                wait(91, 88, "LCK_M_X", 8_000, "ridlock fileid=1 pageid=880 dbid=5 id=lock6 mode=X associatedObjectId=72057594046578688")),
                context()).findings().getFirst();
        assertEquals(List.of("Sch-M", "Sch-S", "RangeI-X", "X"), waits(finding).stream().map(w -> w.get("mode")).toList());
        assertEquals(List.of("OBJECT", "OBJECT", "KEY", "RID"), waits(finding).stream().map(w -> w.get("resourceType")).toList());
        assertEquals(List.of(75L, 88L), finding.evidence().get("headBlockers"));
    }

    @Test
    void aSessionThatWaitsBrieflyInTheMiddleOfAChainIsNoHeadBlocker() {
        // A (40) <- B (41, waiting 3 s, under lock_wait_seconds) <- C (42, waiting 60 s)
        Finding finding = LockWaitsCheck.interpret(List.of(
                wait(42, 41, "LCK_M_X", 60_000, "keylock hobtid=72057594043629568 dbid=5 id=lock1 mode=X associatedObjectId=72057594043629568"),
                wait(41, 40, "LCK_M_U", 3_000, "keylock hobtid=72057594043629568 dbid=5 id=lock2 mode=X associatedObjectId=72057594043629568")),
                context()).findings().getFirst();
        assertEquals(List.of(42L), waits(finding).stream().map(w -> w.get("sessionId")).toList(), "only the long wait is shown");
        assertEquals(List.of(40L), finding.evidence().get("headBlockers"), "41 waits itself: 40 is the head");
    }

    @Test
    void aShortFreshWaitIsAWarningAndNoWaitIsHealthy() {
        CheckResult result = LockWaitsCheck.interpret(List.of(wait(70, 69, "LCK_M_X", 6_000,
                "pagelock fileid=1 pageid=312 dbid=5 id=lock5 mode=S associatedObjectId=72057594043629568")), context());
        assertEquals(Severity.WARNING, result.status());
        assertTrue(result.findings().getFirst().title().contains("wants X on PAGE page 1:312 in orders"), result.findings().getFirst().title());
        assertTrue(LockWaitsCheck.interpret(List.of(), context()).findings().isEmpty());
        assertEquals(0, LockWaitsCheck.interpret(List.of(), context()).metrics().get("lock_waits"));
    }
}
