package dbtool.plugin.mssql.checks;

import static dbtool.testkit.CheckFixtures.context;
import static dbtool.testkit.CheckFixtures.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The system_health ring_buffer target's target_data, with xml_deadlock_report events as SQL Server writes them. */
class DeadlocksCheckTest {

    static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    /** Two sessions updating the same two rows in opposite order; 54 is the victim. */
    static String deadlock(String timestamp) {
        return """
                <event name="xml_deadlock_report" package="sqlserver" timestamp="%s">
                  <data name="xml_report"><type name="xml" package="package0"/><value>
                    <deadlock>
                      <victim-list><victimProcess id="process1f3a"/></victim-list>
                      <process-list>
                        <process id="process1f3a" taskpriority="0" logused="300" waitresource="KEY: 5:72057594043629568 (8194443284a0)"
                                 waittime="3015" transactionname="user_transaction" lockMode="U" status="suspended" spid="54" trancount="2"
                                 clientapp="orders-api" hostname="web01" loginname="app" isolationlevel="read committed (2)"
                                 currentdb="5" currentdbname="orders">
                          <executionStack><frame procname="adhoc" line="1">unknown</frame></executionStack>
                          <inputbuf>UPDATE dbo.accounts SET balance = balance - 10 WHERE id = 2;</inputbuf>
                        </process>
                        <process id="process2b7c" taskpriority="0" logused="300" waitresource="KEY: 5:72057594043629568 (61a06abd401c)"
                                 waittime="4120" transactionname="user_transaction" lockMode="U" status="suspended" spid="61" trancount="2"
                                 clientapp="billing-job" hostname="batch02" loginname="billing" isolationlevel="read committed (2)"
                                 currentdb="5" currentdbname="orders">
                          <inputbuf>UPDATE dbo.accounts SET balance = balance + 10 WHERE id = 1;</inputbuf>
                        </process>
                      </process-list>
                      <resource-list>
                        <keylock hobtid="72057594043629568" dbid="5" objectname="orders.dbo.accounts" indexname="PK_accounts" id="lock1" mode="X">
                          <owner-list><owner id="process2b7c" mode="X"/></owner-list>
                          <waiter-list><waiter id="process1f3a" mode="U" requestType="wait"/></waiter-list>
                        </keylock>
                        <keylock hobtid="72057594043629568" dbid="5" objectname="orders.dbo.accounts" indexname="PK_accounts" id="lock2" mode="X">
                          <owner-list><owner id="process1f3a" mode="X"/></owner-list>
                          <waiter-list><waiter id="process2b7c" mode="U" requestType="wait"/></waiter-list>
                        </keylock>
                      </resource-list>
                    </deadlock>
                  </value></data>
                </event>
                """.formatted(timestamp);
    }

    static List<Map<String, Object>> ringBuffer(String... events) {
        return ringBuffer(false, events);
    }

    static List<Map<String, Object>> ringBuffer(boolean truncated, String... events) {
        return List.of(row("target_data", "<RingBufferTarget truncated=\"" + (truncated ? 1 : 0) + "\" eventCount=\"" + events.length + "\">"
                + "<event name=\"wait_info\" package=\"sqlos\" timestamp=\"2026-12-01T11:50:00.000Z\"><data name=\"wait_type\"><value>1</value></data></event>"
                + String.join("", events) + "</RingBufferTarget>"));
    }

    @Test
    void deadlocksOfTheLastHourNameTheVictimTheProcessesAndTheResources() {
        CheckResult result = DeadlocksCheck.interpret(ringBuffer(deadlock("2026-12-01T10:30:00.000Z"), deadlock("2026-12-01T11:20:00.123Z"),
                deadlock("2026-12-01T11:45:10.456Z")), null, null, NOW, context());
        Finding finding = result.findings().getFirst();
        assertEquals("MSSQL_DEADLOCKS", finding.code());
        assertEquals(Severity.WARNING, finding.severity());
        assertEquals("2 deadlocks in the last 60 min; the latest chose session 54 (orders-api) as victim on orders.dbo.accounts",
                finding.title(), "the one at 10:30 is older than an hour");
        assertEquals(List.of(), finding.evidence().get("headBlockers"), "locks findings always carry headBlockers");
        @SuppressWarnings("unchecked")
        Map<String, Object> latest = ((List<Map<String, Object>>) finding.evidence().get("deadlocks")).getFirst();
        assertEquals("2026-12-01T11:45:10.456Z", latest.get("time"));
        assertEquals(List.of(54L), latest.get("victims"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> processes = (List<Map<String, Object>>) latest.get("processes");
        assertEquals("UPDATE dbo.accounts SET balance = balance + 10 WHERE id = 1;", processes.get(1).get("statement"));
        assertEquals("KEY: 5:72057594043629568 (61a06abd401c)", processes.get(1).get("waitResource"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> resources = (List<Map<String, Object>>) latest.get("resources");
        assertEquals("keylock", resources.getFirst().get("type"));
        assertEquals("PK_accounts", resources.getFirst().get("index"));
        assertEquals(List.of("61 X"), resources.getFirst().get("owners"));
        assertEquals(List.of("54 U"), resources.getFirst().get("waiters"));
    }

    @Test
    void manyDeadlocksAreCritical() {
        String[] events = new String[10];
        for (int i = 0; i < events.length; i++) {
            events[i] = deadlock("2026-12-01T11:" + (10 + i) + ":00.000Z");
        }
        assertEquals(Severity.CRITICAL, DeadlocksCheck.interpret(ringBuffer(events), null, null, NOW, context()).status());
    }

    /** The event files' rows: one xml_deadlock_report event per row, the same XML as in the ring buffer. */
    static List<Map<String, Object>> eventFile(String... events) {
        return java.util.Arrays.stream(events).map(e -> row("event_data", e)).toList();
    }

    @Test
    void aTruncatedRingBufferIsCompletedFromTheEventFilesWithoutCountingADeadlockTwice() {
        List<Map<String, Object>> ring = ringBuffer(true, deadlock("2026-12-01T11:20:00.123Z"));
        assertTrue(DeadlocksCheck.ringBuffer(ring, NOW.minusSeconds(3600)).needsFiles(), "truncated: the newest may be missing");
        CheckResult result = DeadlocksCheck.interpret(ring, eventFile(deadlock("2026-12-01T11:20:00.123Z"), deadlock("2026-12-01T11:45:10.456Z"),
                deadlock("2026-12-01T11:58:00.000Z")), null, NOW, context());
        assertEquals(List.of("MSSQL_DEADLOCKS"), result.findings().stream().map(Finding::code).toList(), "the files are the whole history");
        assertEquals(3, result.metrics().get("deadlocks"), "the 11:20 report is in both");
        assertEquals("event_file", result.metrics().get("deadlock_source"));
        @SuppressWarnings("unchecked")
        Map<String, Object> latest = ((List<Map<String, Object>>) result.findings().getFirst().evidence().get("deadlocks")).getFirst();
        assertEquals("2026-12-01T11:58:00Z", latest.get("time"), "the newest, which the ring buffer left out");
    }

    @Test
    void aTornRingBufferIsAnInfoAndTheEventFilesStillCount() {
        List<Map<String, Object>> torn = List.of(row("target_data", "<RingBufferTarget truncated=\"0\"><event name=\"xml_deadlock_rep"));
        CheckResult result = DeadlocksCheck.interpret(torn, eventFile(deadlock("2026-12-01T11:45:10.456Z")), null, NOW, context());
        assertEquals(Severity.WARNING, result.status(), "never UNKNOWN for the whole check");
        assertEquals(List.of("MSSQL_DEADLOCK_HISTORY_INCOMPLETE", "MSSQL_DEADLOCKS"), result.findings().stream().map(Finding::code).toList());
        Finding incomplete = result.findings().getFirst();
        assertEquals(Severity.INFO, incomplete.severity());
        assertEquals("Deadlock history incomplete: the ring buffer's XML cannot be read; the deadlocks come from the event files",
                incomplete.title());
        assertEquals(1, result.metrics().get("deadlocks"));
    }

    @Test
    void aTornRingBufferWhoseFilesCannotBeReadIsAnInfoOnly() {
        List<Map<String, Object>> torn = List.of(row("target_data", "<RingBufferTarget truncated=\"0\"><event"));
        CheckResult result = DeadlocksCheck.interpret(torn, null, "permission denied (error 300)", NOW, context());
        assertEquals(Severity.OK, result.status(), "an INFO, not UNKNOWN");
        assertEquals(Severity.INFO, result.findings().getFirst().severity());
        assertEquals("Deadlock history incomplete: the ring buffer's XML cannot be read and the event files could not be read "
                + "(permission denied (error 300))", result.findings().getFirst().title());
        assertEquals(0, result.metrics().get("deadlocks"));
    }

    @Test
    void withNoDeadlockInTheRingBufferTheFilesAreReadAndOlderEventsLeftOut() {
        List<Map<String, Object>> ring = ringBuffer();
        assertTrue(DeadlocksCheck.ringBuffer(ring, NOW.minusSeconds(3600)).needsFiles());
        // 2016's file read has no timestamp_utc filter: the 10:30 event arrives and is left out here
        CheckResult result = DeadlocksCheck.interpret(ring, eventFile(deadlock("2026-12-01T10:30:00.000Z"), deadlock("2026-12-01T11:40:00.000Z")),
                null, NOW, context());
        assertEquals(1, result.metrics().get("deadlocks"));
        assertEquals("1 deadlock in the last 60 min; the latest chose session 54 (orders-api) as victim on orders.dbo.accounts",
                result.findings().getFirst().title());
        assertFalse(DeadlocksCheck.ringBuffer(ringBuffer(deadlock("2026-12-01T11:40:00.000Z")), NOW.minusSeconds(3600)).needsFiles(),
                "a whole ring buffer with a deadlock in the window is enough");
    }

    @Test
    void anEmptyTargetIsReadFromTheFilesAndAStoppedSessionIsAWarning() {
        List<Map<String, Object>> empty = List.of(row("target_data", ""));
        assertTrue(DeadlocksCheck.ringBuffer(empty, NOW.minusSeconds(3600)).needsFiles());
        CheckResult healthy = DeadlocksCheck.interpret(empty, eventFile(), null, NOW, context());
        assertTrue(healthy.findings().isEmpty(), "the session runs; its files hold no deadlock");
        assertEquals("event_file", healthy.metrics().get("deadlock_source"));

        assertFalse(DeadlocksCheck.ringBuffer(List.of(), NOW.minusSeconds(3600)).needsFiles(), "no session, no files to read");
        CheckResult stopped = DeadlocksCheck.interpret(List.of(), null, null, NOW, context());
        Finding finding = stopped.findings().getFirst();
        assertEquals("MSSQL_DEADLOCK_SESSION_STOPPED", finding.code());
        assertEquals(Severity.WARNING, finding.severity());
        assertEquals("The system_health session is not running: deadlocks are not being recorded", finding.title());
        assertTrue(finding.recommendation().startsWith("ALTER EVENT SESSION system_health ON SERVER STATE = START;"), finding.recommendation());
    }

    @Test
    void noDeadlockIsHealthy() {
        CheckResult none = DeadlocksCheck.interpret(ringBuffer(), eventFile(), null, NOW, context());
        assertTrue(none.findings().isEmpty());
        assertEquals(0, none.metrics().get("deadlocks"));
    }
}
