package dbtool.plugin.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.report.Report;
import dbtool.plugin.postgres.demo.Incident;
import dbtool.plugin.postgres.demo.LocalCluster;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.testkit.Poll;
import dbtool.testkit.Reports;
import dbtool.core.report.CheckReport;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Resource and query incidents staged for real: long queries, pile-ups, slots, dead rows, long transactions. */
class ResourceIncidentsTest {

    @RegisterExtension
    static final TestCluster cluster = new TestCluster(LocalCluster.Settings.defaults().withMaxConnections(20), "CREATE DATABASE app");

    @Test
    void longQueryIsReportedWithPidAndCancelStatement() throws Exception {
        try (Incident incident = new Incident(cluster.get(), "app")) {
            int pid = incident.longQuery("nightly-report", 60);

            Finding query = Reports.require(Troubleshoot.run(cluster.url("app"), Map.of("long_query_seconds", "0")), "PG_LONG_QUERY");

            assertEquals(Severity.WARNING, query.severity());
            assertEquals(List.of((long) pid), query.evidence().get("pids"));
            assertTrue(query.recommendation().contains("SELECT pg_cancel_backend(" + pid + ")"));
            assertTrue(Reports.finding(Troubleshoot.run(cluster.url("app"), Map.of()), "PG_LONG_QUERY").isEmpty(),
                    "a query seconds old is not long under the default threshold");
        }
    }

    @Test
    void connectionPileUpNearMaxConnectionsWarns() throws Exception {
        endOtherSessions(); // a pg_sleep of an earlier test outlives its closed connection
        try (Incident incident = new Incident(cluster.get(), "app")) {
            // 20 max_connections, 3 reserved: 17 usable; 14 idle (82 %): dbtool's own session is not counted.
            incident.idleConnections("web-pool", 14);

            Report report = Troubleshoot.run(cluster.url("app"), Map.of());
            Finding headroom = Reports.require(report, "PG_CONNECTIONS_NEAR_LIMIT");

            assertEquals(Severity.WARNING, headroom.severity());
            assertEquals(17L, headroom.evidence().get("usableSlots"));
            assertEquals(14L, headroom.evidence().get("connections"), "the pool's sessions, not dbtool's own");
            assertTrue(headroom.title().startsWith("14 of 17 "), headroom.title());
        }
    }

    @Test
    void inactiveReplicationSlotRetainingWalIsReported() throws Exception {
        cluster.execute("app", "SELECT pg_create_physical_replication_slot('stale_standby', true)",
                "CREATE TABLE wal_maker (payload text)",
                "INSERT INTO wal_maker SELECT repeat('x', 1000) FROM generate_series(1, 5000)",
                "SELECT pg_switch_wal()");
        try {
            Finding slot = Reports.require(Troubleshoot.run(cluster.url("app"), Map.of()), "PG_INACTIVE_SLOT");

            assertEquals(Severity.WARNING, slot.severity());
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> slots = (List<Map<String, Object>>) slot.evidence().get("slots");
            assertEquals("stale_standby", slots.getFirst().get("slot"));
            assertTrue(((Number) slots.getFirst().get("retained_bytes")).longValue() > 1_000_000, slots.toString());
            assertTrue(slot.recommendation().contains("pg_drop_replication_slot('stale_standby')"));
        } finally {
            cluster.execute("app", "SELECT pg_drop_replication_slot('stale_standby')", "DROP TABLE wal_maker");
        }
    }

    @Test
    void tableWithDeadRowsAndNoAutovacuumIsOverdue() throws Exception {
        try (Connection connection = cluster.connect("app"); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE churn (id int) WITH (autovacuum_enabled = false)");
            statement.execute("INSERT INTO churn SELECT generate_series(1, 30000)");
            statement.execute("ANALYZE churn");
            statement.execute("DELETE FROM churn");
            statement.execute("SELECT pg_stat_force_next_flush()");
        }
        try {
            Finding overdue = null;
            for (int attempt = 0; attempt < 40 && overdue == null; attempt++) {
                overdue = Reports.finding(Troubleshoot.run(cluster.url("app"), Map.of()), "PG_VACUUM_OVERDUE").orElse(null);
                if (overdue == null) {
                    Thread.sleep(250);
                }
            }
            assertTrue(overdue != null, "statistics never showed the dead rows");
            assertTrue(overdue.title().contains("public.churn"), overdue.title());
            assertTrue(overdue.recommendation().contains("VACUUM (VERBOSE, ANALYZE) public.churn;"));
        } finally {
            cluster.execute("app", "DROP TABLE churn");
        }
    }

    @Test
    void longTransactionAndTheXminHorizonItHolds() throws Exception {
        try (Connection connection = cluster.connect("app", "postgres", null, "etl")) {
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            int pid;
            try (Statement statement = connection.createStatement(); var rs = statement.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                pid = rs.getInt(1);
            }
            cluster.execute("app", "CREATE TABLE IF NOT EXISTS bump (id int)", "INSERT INTO bump VALUES (1)");

            Report report = Troubleshoot.run(cluster.url("app"), Map.of("long_transaction_seconds", "0", "xmin_age_warning", "1"));

            Finding transaction = Reports.require(report, "PG_LONG_TRANSACTION");
            assertTrue(((List<?>) transaction.evidence().get("pids")).contains((long) pid));
            Finding horizon = Reports.require(report, "PG_XMIN_HORIZON");
            assertTrue(horizon.title().contains("session " + pid), horizon.title());
            connection.rollback();
        }
    }

    @Test
    void aDeadlockAndCommitsShowAsCountersOfTheTargetsDatabase() throws Exception {
        cluster.execute("app", "CREATE TABLE accounts (id int PRIMARY KEY, balance int)", "INSERT INTO accounts VALUES (1, 0), (2, 0)");
        try {
            Map<String, Object> before = Reports.check(Troubleshoot.run(cluster.url("app"), Map.of()), "database-stats").metrics();
            stageDeadlock();
            try (Connection admin = cluster.connect("app")) {
                Poll.untilCount(admin, "SELECT deadlocks FROM pg_stat_database WHERE datname = 'app'", n -> n >= 1,
                        Duration.ofSeconds(10), "the server never counted the deadlock");
            }

            CheckReport stats = Reports.check(Troubleshoot.run(cluster.url("app"), Map.of()), "database-stats");

            assertEquals(1L, stats.metrics().get("deadlocks"), "the deadlock of this database, once");
            assertTrue((Long) stats.metrics().get("xact_rollback") > (Long) before.get("xact_rollback"), stats.metrics().toString());
            assertTrue((Long) stats.metrics().get("xact_commit") > (Long) before.get("xact_commit"), stats.metrics().toString());
            assertTrue((Long) stats.metrics().get("sessions") > 0, "PostgreSQL 14+ session counters: " + stats.metrics());
            assertTrue(stats.counters().containsAll(List.of("deadlocks", "xact_commit", "xact_rollback", "sessions")),
                    "exported as counters by dbtool serve: " + stats.counters());
            assertEquals(0L, Reports.check(Troubleshoot.run(cluster.url("postgres"), Map.of()), "database-stats").metrics().get("deadlocks"),
                    "another database's deadlock is not counted");
        } finally {
            cluster.execute("app", "DROP TABLE accounts");
        }
    }

    /** Ends every client session but the caller's, and waits until the server has let them go. */
    private static void endOtherSessions() throws Exception {
        try (Connection admin = cluster.connect("postgres"); Statement statement = admin.createStatement()) {
            statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    + " WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()");
            Poll.untilCount(admin, "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()",
                    n -> n == 0, Duration.ofSeconds(5), "other sessions did not end");
        }
    }

    /** Two transfers that lock the same two rows in opposite order: the server aborts one after deadlock_timeout (1 s). */
    private static void stageDeadlock() throws Exception {
        try (Connection first = cluster.connect("app"); Connection second = cluster.connect("app")) {
            first.setAutoCommit(false);
            second.setAutoCommit(false);
            first.createStatement().execute("UPDATE accounts SET balance = balance - 1 WHERE id = 1");
            second.createStatement().execute("UPDATE accounts SET balance = balance - 1 WHERE id = 2");
            // A thread of its own: on two cores the common pool has one thread, which a blocked task would hold.
            CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> {
                try {
                    first.createStatement().execute("UPDATE accounts SET balance = balance + 1 WHERE id = 2");
                } catch (SQLException e) {
                    throw new CompletionException(e);
                }
            }, Thread.ofPlatform().daemon()::start);
            try (Connection admin = cluster.connect("app")) {
                Poll.untilCount(admin, "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = 'app'",
                        n -> n == 1, Duration.ofSeconds(5), "the first transfer never waited");
            }
            SQLException victim = null;
            try {
                second.createStatement().execute("UPDATE accounts SET balance = balance + 1 WHERE id = 1");
            } catch (SQLException e) {
                victim = e;
            }
            try {
                waiting.get(10, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                victim = (SQLException) e.getCause(); // get() unwraps the CompletionException
            }
            assertTrue(victim != null && "40P01".equals(victim.getSQLState()), "one transfer is the deadlock's victim: " + victim);
            first.rollback();
            second.rollback();
        }
    }
}
