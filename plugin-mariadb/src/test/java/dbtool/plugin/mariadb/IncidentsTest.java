package dbtool.plugin.mariadb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.report.Report;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.testkit.Poll;
import dbtool.testkit.Reports;
import dbtool.testkit.mariadb.LocalMariaDb;
import dbtool.testkit.mariadb.MariaDbIncident;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each test stages a real incident on a throwaway MariaDB (performance_schema off, MariaDB's
 * default) and checks what dbtool reports, through core's runner as `dbtool troubleshoot` does.
 */
class IncidentsTest {

    static LocalMariaDb server;
    MariaDbIncident incident;

    @BeforeAll
    static void start() throws Exception {
        server = LocalMariaDb.start(LocalMariaDb.Settings.defaults());
        server.execute("CREATE DATABASE shop",
                // a monitoring account with what docs/mariadb.md asks for, and no more
                "CREATE USER 'monitor'@'127.0.0.1' IDENTIFIED BY 'Sup3r-Secret-Pw'",
                "GRANT PROCESS, SLAVE MONITOR ON *.* TO 'monitor'@'127.0.0.1'",
                "GRANT SELECT ON shop.* TO 'monitor'@'127.0.0.1'");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void newIncident() {
        incident = new MariaDbIncident(server, "shop");
    }

    @AfterEach
    void endIncident() throws Exception {
        incident.close();
        awaitQuiet();
    }

    private static String monitorUrl() {
        return "mariadb://monitor:Sup3r-Secret-Pw@127.0.0.1:" + server.port() + "/shop";
    }

    @Test
    void healthyServerConnectsInStagesAndEveryCheckAnswers() {
        Report report = Troubleshoot.run(monitorUrl(), Map.of());

        Reports.assertNoUnknown(report);
        Finding connected = Reports.require(report, "MARIADB_CONNECTED");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> stages = (List<Map<String, Object>>) connected.evidence().get("stages");
        assertEquals(List.of("dns", "tcp", "greeting", "login"), stages.stream().map(s -> s.get("stage")).toList());
        assertTrue(connected.title().startsWith("MariaDB 10.") || connected.title().startsWith("MariaDB 11."), connected.title());
        assertEquals("monitor@127.0.0.1", connected.evidence().get("account"));
        assertEquals(0L, ((Number) Reports.check(report, "blocking").metrics().get("blocked_sessions")).longValue());
        assertEquals(0L, ((Number) Reports.check(report, "replication").metrics().get("replication_channels")).longValue());
        assertEquals(Severity.OK, report.status(), Reports.describe(report));
        assertFalse(Reports.everything(report).contains("Sup3r-Secret-Pw"));
    }

    @Test
    void rowLockChainNamesTheIdleHeadBlocker() throws Exception {
        long head = incident.rowLockChain("accounts", 2);

        Report report = Troubleshoot.run(monitorUrl(), Map.of());
        Finding chain = Reports.require(report, "MARIADB_BLOCKING_CHAIN");

        assertEquals(Severity.CRITICAL, chain.severity(), "an idle-in-transaction head never finishes by itself");
        assertEquals(List.of(head), chain.evidence().get("headBlockers"));
        assertEquals(2, chain.evidence().get("blockedSessions"));
        assertTrue(chain.recommendation().startsWith("KILL " + head + ";"), chain.recommendation());
        assertEquals("docs/playbooks/mariadb-blocking-chain.md", chain.playbook());
        assertTrue(Reports.text(report).contains("session " + head + " idle in transaction"), Reports.text(report));
        assertEquals(2, report.exitCode());
    }

    @Test
    void metadataLockWaitFromTheProcesslistInfersTheHolder() throws Exception {
        long[] ids = incident.metadataLockWait("orders");

        Report report = Troubleshoot.run(monitorUrl(), Map.of());
        Finding wait = Reports.require(report, "MARIADB_METADATA_LOCK_WAIT");

        assertEquals(List.of(ids[0]), wait.evidence().get("headBlockers"), () -> Reports.describe(report) + wait.evidence()
                + "\n" + incident.sessions());
        assertEquals("processlist (holders inferred)", wait.evidence().get("source"));
        assertEquals(2, wait.evidence().get("blockedSessions"), "the ALTER and the SELECT behind it");
        assertEquals(Severity.CRITICAL, wait.severity());
        assertTrue(wait.recommendation().contains("wait/lock/metadata/sql/mdl"), wait.recommendation());
        // dbtool itself never queued behind the lock: every check answered within the deadline.
        Reports.assertNoUnknown(report);
    }

    @Test
    void longQueryIsReportedWithItsSession() throws Exception {
        long id = incident.longQuery(30);
        Thread.sleep(1100);

        Report report = Troubleshoot.run(monitorUrl(), Map.of("long_query_seconds", "1"));
        Finding slow = Reports.require(report, "MARIADB_LONG_QUERY");

        assertEquals(List.of(id), slow.evidence().get("ids"));
        assertEquals(Severity.WARNING, slow.severity());
        assertTrue(slow.recommendation().contains("KILL QUERY " + id + ";"), slow.recommendation());
    }

    @Test
    void connectionHeadroomCountsOthersButNotDbtool() throws Exception {
        incident.idleConnections(3);

        Report report = Troubleshoot.run(monitorUrl(), Map.of("connections_warning_ratio", "0.01"));
        Finding near = Reports.require(report, "MARIADB_CONNECTIONS_NEAR_LIMIT");

        assertEquals(3L, ((Number) near.evidence().get("used")).longValue(), "three idle connections, dbtool's own not counted");
        assertEquals(151L, ((Number) near.evidence().get("max")).longValue());
        assertEquals(Severity.WARNING, near.severity());
    }

    @Test
    void brokenReplicationIsCritical() throws Exception {
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        server.execute("CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + closed
                + ", MASTER_USER='repl', MASTER_PASSWORD='x', MASTER_CONNECT_RETRY=1", "START SLAVE");
        try {
            awaitIoError();
            Report report = Troubleshoot.run(monitorUrl(), Map.of());
            Finding broken = Reports.require(report, "MARIADB_REPLICATION_BROKEN");

            assertEquals(Severity.CRITICAL, broken.severity());
            assertEquals(2003L, ((Number) broken.evidence().get("lastIoErrno")).longValue());
            assertTrue(broken.title().contains("IO thread connecting"), broken.title());
        } finally {
            server.execute("STOP SLAVE", "RESET SLAVE ALL");
        }
    }

    @Test
    void sessionIsReadOnlyWithStatementAndLockLimits() {
        List<Map<String, Object>> seen = new java.util.ArrayList<>();
        dbtool.spi.Check probe = new dbtool.spi.AbstractCheck<>(MariaDbSession.class, "probe", "probe", "reads the session's limits") {
            @Override
            protected dbtool.spi.CheckResult check(MariaDbSession session, dbtool.spi.CheckContext context) throws Exception {
                seen.add(session.queryOne("SELECT @@max_statement_time AS statement, @@innodb_lock_wait_timeout AS innodb,"
                        + " @@lock_wait_timeout AS mdl, @@tx_read_only AS read_only", context));
                try {
                    session.query("SELECT * FROM shop.accounts FOR UPDATE", context);
                    seen.add(Map.of("write", "allowed"));
                } catch (java.sql.SQLException e) {
                    seen.add(Map.of("write", e.getErrorCode()));
                }
                return dbtool.spi.CheckResult.healthy();
            }
        };
        Report report = Troubleshoot.run("mariadb://root@127.0.0.1:" + server.port() + "/shop", Map.of(),
                dbtool.spi.Credentials.none(), List.of(probe));

        Reports.assertNoUnknown(report);
        Map<String, Object> limits = seen.getFirst();
        assertEquals(5.0, ((Number) limits.get("statement")).doubleValue(), "SessionSettings' 5 s statement timeout");
        assertEquals(1L, ((Number) limits.get("innodb")).longValue(), "500 ms lock timeout, rounded up to the server's 1 s");
        assertEquals(1L, ((Number) limits.get("mdl")).longValue());
        assertEquals(1L, ((Number) limits.get("read_only")).longValue());
        assertEquals(1792, seen.get(1).get("write"), "a locking read is refused in a read-only transaction");
    }

    @Test
    void wrongPasswordIsAccessDeniedAfterAGoodGreetingAndNeverShown() {
        Report report = Troubleshoot.run("mariadb://monitor:Wr0ng-Pw-Here@127.0.0.1:" + server.port() + "/shop", Map.of());
        Finding denied = Reports.require(report, "MARIADB_ACCESS_DENIED");

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> stages = (List<Map<String, Object>>) denied.evidence().get("stages");
        assertEquals(List.of("dns", "tcp", "greeting", "login"), stages.stream().map(s -> s.get("stage")).toList());
        assertTrue(stages.getLast().get("result").toString().startsWith("failed: "), stages.toString());
        assertEquals(Severity.CRITICAL, report.status());
        assertFalse(Reports.everything(report).contains("Wr0ng-Pw-Here"));
        // Later checks fail at once with the remembered reason instead of logging in again.
        assertTrue(Reports.check(report, "blocking").error().contains("not connected"), Reports.describe(report));
    }

    @Test
    void urlPasswordKeepsItsPlusAndPercentDecodes() throws Exception {
        server.execute("CREATE USER 'plus'@'127.0.0.1' IDENTIFIED BY 'a+b@c'", "GRANT PROCESS, SLAVE MONITOR ON *.* TO 'plus'@'127.0.0.1'");
        Report report = Troubleshoot.run("mariadb://plus:a+b%40c@127.0.0.1:" + server.port() + "/", Map.of());

        Reports.assertNoUnknown(report);
        assertEquals("plus@127.0.0.1", Reports.require(report, "MARIADB_CONNECTED").evidence().get("account"));
    }

    @Test
    void nothingListeningIsConnectionRefused() throws Exception {
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        Report report = Troubleshoot.run("mysql://monitor@127.0.0.1:" + closed + "/shop", Map.of());

        Finding refused = Reports.require(report, "MARIADB_CONNECTION_REFUSED");
        assertEquals(Severity.CRITICAL, refused.severity());
        assertTrue(refused.title().contains("127.0.0.1:" + closed), refused.title());
    }

    @Test
    void tlsRequiredByTheTargetButNotOfferedFailsAtTheTlsStage() {
        Report report = Troubleshoot.run(monitorUrl() + "?sslMode=verify-full", Map.of());

        Finding failed = Reports.require(report, "MARIADB_TLS_FAILED");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> stages = (List<Map<String, Object>>) failed.evidence().get("stages");
        assertEquals(List.of("dns", "tcp", "greeting", "tls"), stages.stream().map(s -> s.get("stage")).toList());
        assertTrue(failed.title().contains("does not offer TLS"), failed.title());
    }

    @Test
    void withoutTheHandshakeProbeTheDriverTimesTcpTlsAndLoginAsOneStage() {
        MariaDbPlugin plugin = new MariaDbPlugin();
        dbtool.spi.Target target = dbtool.testkit.PluginRun.target(monitorUrl(), plugin.id(), Map.of("handshake_probe", "off"));
        Report report = new dbtool.core.run.TroubleshootRunner("test").run(new dbtool.core.run.TroubleshootRunner.Request(target,
                plugin, plugin.checks(), dbtool.spi.Credentials.none(), java.time.Duration.ofSeconds(10), Map.of()));

        Reports.assertNoUnknown(report);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> stages = (List<Map<String, Object>>) Reports.require(report, "MARIADB_CONNECTED").evidence().get("stages");
        assertEquals(List.of("dns", "login"), stages.stream().map(s -> s.get("stage")).toList());
    }

    private static void awaitIoError() throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        try (Connection admin = DriverManager.getConnection(server.jdbcUrl("shop")); Statement statement = admin.createStatement()) {
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = statement.executeQuery("SHOW SLAVE STATUS")) {
                    if (rs.next() && rs.getInt("Last_IO_Errno") != 0) {
                        return;
                    }
                }
                Thread.sleep(100);
            }
        }
        throw new AssertionError("the replica never reported its IO error");
    }

    /** Waits until only the admin connection is left, so that the next test counts only its own sessions. */
    private static void awaitQuiet() throws Exception {
        try (Connection admin = DriverManager.getConnection(server.jdbcUrl("shop"))) {
            Poll.untilCount(admin, "SELECT COUNT(*) FROM information_schema.PROCESSLIST"
                    + " WHERE ID <> CONNECTION_ID() AND USER NOT IN ('system user', 'event_scheduler')", n -> n == 0,
                    Duration.ofSeconds(20), "staged sessions did not end");
        }
    }
}
