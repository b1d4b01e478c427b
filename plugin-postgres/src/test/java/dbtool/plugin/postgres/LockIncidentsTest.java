package dbtool.plugin.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.report.Report;
import dbtool.plugin.postgres.demo.Incident;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.testkit.Poll;
import dbtool.testkit.Reports;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each test stages a real lock incident on a throwaway cluster and checks what dbtool reports. */
class LockIncidentsTest {

    @RegisterExtension
    static final TestCluster cluster = TestCluster.defaults("CREATE DATABASE shop", "CREATE DATABASE other");
    Incident incident;

    @BeforeEach
    void newIncident() {
        incident = new Incident(cluster.get(), "shop");
    }

    @AfterEach
    void endIncident() throws Exception {
        incident.close();
        // Let the server notice the closed sessions before the next test stages its own.
        awaitQuiet();
    }

    @ParameterizedTest(name = "chain of {0} sessions")
    @ValueSource(ints = {2, 3, 5})
    void blockingChainNamesItsHeadAndDrawsTheWholeTree(int depth) throws Exception {
        int head = incident.blockingChain("chain_" + depth, depth);

        Report report = Troubleshoot.run(cluster.url("shop"), Map.of());
        Finding chain = Reports.require(report, "PG_BLOCKING_CHAIN");

        assertEquals(Severity.CRITICAL, chain.severity(), "an idle-in-transaction head never finishes by itself");
        assertEquals(List.of((long) head), chain.evidence().get("headBlockers"));
        assertEquals(depth - 1, chain.evidence().get("blockedSessions"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> tree = (List<Map<String, Object>>) chain.evidence().get("blockingTree");
        assertEquals(1, tree.size());
        assertEquals(depth, treeDepth(tree.getFirst()), "the tree follows the whole chain");
        assertTrue(chain.recommendation().contains("SELECT pg_terminate_backend(" + head + ")"), chain.recommendation());
        assertEquals(Severity.CRITICAL, report.status());
        assertEquals(2, report.exitCode());
    }

    @Test
    void sessionChecksCoverTheTargetDatabaseOrTheWholeServerFromPostgres() throws Exception {
        int head = incident.blockingChain("scoped", 2);

        assertTrue(Reports.finding(Troubleshoot.run(cluster.url("other"), Map.of()), "PG_BLOCKING_CHAIN").isEmpty(),
                "a chain in another database is not this database's incident");
        Finding serverWide = Reports.require(Troubleshoot.run(cluster.url("postgres"), Map.of()), "PG_BLOCKING_CHAIN");
        assertEquals(List.of((long) head), serverWide.evidence().get("headBlockers"));
        assertEquals("server", serverWide.evidence().get("scope"));
        Finding forced = Reports.require(Troubleshoot.run(cluster.url("other"), Map.of("session_scope", "cluster")), "PG_BLOCKING_CHAIN");
        assertEquals(List.of((long) head), forced.evidence().get("headBlockers"));
    }

    @Test
    void activeHeadBlockerGetsCancelNotTerminate() throws Exception {
        cluster.execute("shop", "CREATE TABLE IF NOT EXISTS busy (id int PRIMARY KEY)", "INSERT INTO busy VALUES (1) ON CONFLICT DO NOTHING");
        ExecutorService background = Executors.newCachedThreadPool();
        try (Connection head = cluster.connect("shop", "postgres", null, "batch-job");
             Connection waiter = cluster.connect("shop", "postgres", null, "api")) {
            int headPid = pid(head);
            head.setAutoCommit(false);
            try (Statement statement = head.createStatement()) {
                statement.executeUpdate("UPDATE busy SET id = 1 WHERE id = 1");
            }
            background.submit(() -> head.createStatement().execute("SELECT pg_sleep(30)"));
            background.submit(() -> waiter.createStatement().executeUpdate("UPDATE busy SET id = 1 WHERE id = 1"));
            awaitLockWaiters(1);

            Finding chain = Reports.require(Troubleshoot.run(cluster.url("shop"), Map.of()), "PG_BLOCKING_CHAIN");

            assertEquals(Severity.WARNING, chain.severity(), "one fresh waiter behind a working session");
            assertEquals(List.of((long) headPid), chain.evidence().get("headBlockers"));
            assertTrue(chain.recommendation().startsWith("SELECT pg_cancel_backend(" + headPid + ")"), chain.recommendation());
            cluster.execute("shop", "SELECT pg_terminate_backend(" + headPid + ")");
        } finally {
            background.shutdownNow();
        }
    }

    @Test
    void idleInTransactionSessionIsReportedWithItsLocks() throws Exception {
        int pid = incident.idleInTransaction("notes", "forgetful-app");

        Report report = Troubleshoot.run(cluster.url("shop"), Map.of("idle_in_transaction_seconds", "0"));
        Finding idle = Reports.require(report, "PG_IDLE_IN_TRANSACTION");

        assertEquals(Severity.WARNING, idle.severity());
        assertEquals(List.of((long) pid), idle.evidence().get("pids"));
        assertEquals(List.of(), idle.evidence().get("headBlockers"), "it blocks nobody yet");
        assertTrue(idle.recommendation().contains("pg_terminate_backend(" + pid + ")"));
        assertTrue(Reports.finding(Troubleshoot.run(cluster.url("shop"), Map.of()), "PG_IDLE_IN_TRANSACTION").isEmpty(),
                "under the default 60 s threshold a fresh idle transaction is not a finding");
    }

    @Test
    void preparedTransactionHoldingLocksIsReported() throws Exception {
        cluster.execute("shop", "CREATE TABLE IF NOT EXISTS ledger (id int PRIMARY KEY)", "INSERT INTO ledger VALUES (1) ON CONFLICT DO NOTHING");
        try (Connection connection = cluster.connect("shop")) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.executeUpdate("UPDATE ledger SET id = 1 WHERE id = 1");
                statement.execute("PREPARE TRANSACTION 'xa-42'");
            }
        }
        try {
            Finding prepared = Reports.require(Troubleshoot.run(cluster.url("shop"), Map.of("prepared_xact_warning_seconds", "0")),
                    "PG_PREPARED_XACT");
            assertEquals(Severity.WARNING, prepared.severity());
            assertEquals(List.of("xa-42"), prepared.evidence().get("gids"));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> rows = (List<Map<String, Object>>) prepared.evidence().get("transactions");
            assertTrue(((Number) rows.getFirst().get("locks_held")).longValue() >= 1, "the row lock it holds is counted: " + rows);
            assertTrue(prepared.recommendation().contains("ROLLBACK PREPARED 'xa-42'"));
        } finally {
            cluster.execute("shop", "ROLLBACK PREPARED 'xa-42'");
        }
    }

    @Test
    void accessExclusiveLockDoesNotStallTheDiagnosisAndIsReported() throws Exception {
        int migration = incident.accessExclusive("orders");
        ExecutorService background = Executors.newCachedThreadPool();
        try (Connection reader = cluster.connect("shop", "postgres", null, "reporting")) {
            background.submit(() -> reader.createStatement().executeQuery("SELECT count(*) FROM orders"));
            awaitLockWaiters(1);

            long start = System.nanoTime();
            Report report = Troubleshoot.run(cluster.url("shop"), Map.of(), Duration.ofSeconds(8), List.of());
            long millis = (System.nanoTime() - start) / 1_000_000;

            Reports.assertNoUnknown(report);
            assertTrue(millis < 8000, "the run must finish within its deadline, took " + millis + " ms");
            Finding held = Reports.require(report, "PG_ACCESS_EXCLUSIVE_HELD");
            assertTrue(held.title().contains("orders"), held.title());
            assertEquals(List.of((long) migration), held.evidence().get("pids"));
            Finding chain = Reports.require(report, "PG_BLOCKING_CHAIN");
            assertEquals(List.of((long) migration), chain.evidence().get("headBlockers"));
            assertEquals(List.of((long) migration), held.evidence().get("headBlockers"));
            assertEquals(List.of((long) migration), Reports.require(report, "PG_LOCK_WAITS").evidence().get("headBlockers"));
        } finally {
            background.shutdownNow();
        }
    }

    private static int treeDepth(Map<String, Object> node) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> children = (List<Map<String, Object>>) node.get("blocked");
        return 1 + children.stream().mapToInt(LockIncidentsTest::treeDepth).max().orElse(0);
    }

    private static int pid(Connection connection) throws Exception {
        try (var rs = connection.createStatement().executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void awaitLockWaiters(int count) throws Exception {
        try (Connection admin = cluster.connect("shop")) {
            Poll.untilCount(admin, "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'", n -> n >= count,
                    Duration.ofSeconds(5), "no lock waiter appeared");
        }
    }

    private static void awaitQuiet() throws Exception {
        try (Connection admin = cluster.connect("shop")) {
            Poll.untilCount(admin, "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()",
                    n -> n == 0, Duration.ofSeconds(5), "the staged sessions did not end");
        }
    }
}
