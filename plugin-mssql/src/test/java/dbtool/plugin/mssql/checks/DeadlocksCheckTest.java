package dbtool.plugin.mssql.checks;

import static dbtool.plugin.mssql.checks.Fixtures.context;
import static dbtool.plugin.mssql.checks.Fixtures.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
        return List.of(row("target_data", "<RingBufferTarget truncated=\"0\" eventCount=\"" + events.length + "\">"
                + "<event name=\"wait_info\" package=\"sqlos\" timestamp=\"2026-12-01T11:50:00.000Z\"><data name=\"wait_type\"><value>1</value></data></event>"
                + String.join("", events) + "</RingBufferTarget>"));
    }

    @Test
    void deadlocksOfTheLastHourNameTheVictimTheProcessesAndTheResources() {
        CheckResult result = DeadlocksCheck.interpret(ringBuffer(deadlock("2026-12-01T10:30:00.000Z"), deadlock("2026-12-01T11:20:00.123Z"),
                deadlock("2026-12-01T11:45:10.456Z")), NOW, context());
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
        assertEquals(Severity.CRITICAL, DeadlocksCheck.interpret(ringBuffer(events), NOW, context()).status());
    }

    @Test
    void noDeadlockIsHealthyAndAStoppedSessionIsSaid() {
        CheckResult none = DeadlocksCheck.interpret(ringBuffer(), NOW, context());
        assertTrue(none.findings().isEmpty());
        assertEquals(0, none.metrics().get("deadlocks"));
        CheckResult stopped = DeadlocksCheck.interpret(List.of(), NOW, context());
        assertEquals("MSSQL_DEADLOCK_HISTORY_UNAVAILABLE", stopped.findings().getFirst().code());
        assertEquals(Severity.INFO, stopped.findings().getFirst().severity());
    }
}
