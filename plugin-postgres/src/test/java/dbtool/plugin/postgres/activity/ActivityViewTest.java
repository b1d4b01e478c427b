package dbtool.plugin.postgres.activity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.plugin.postgres.PostgresPlugin;
import dbtool.plugin.postgres.PostgresSession;
import dbtool.plugin.postgres.demo.Incident;
import dbtool.plugin.postgres.demo.LocalCluster;
import dbtool.spi.Activity;
import dbtool.spi.ActiveSession;
import dbtool.spi.CheckContext;
import dbtool.spi.Credentials;
import dbtool.spi.QueryPlan;
import dbtool.spi.SessionSettings;
import dbtool.spi.Target;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What {@code dbtool top} reads from a real server with a staged incident: sessions, trees, rates' counters, plans. */
class ActivityViewTest {

    static LocalCluster cluster;
    Incident incident;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalCluster.start(LocalCluster.Settings.defaults());
        cluster.execute("postgres", "CREATE DATABASE shop");
        cluster.execute("shop", "CREATE TABLE orders (id int PRIMARY KEY, total numeric)",
                "INSERT INTO orders SELECT g, g FROM generate_series(1, 1000) g", "ANALYZE orders");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @BeforeEach
    void stage() {
        incident = new Incident(cluster, "shop");
    }

    @AfterEach
    void end() {
        incident.close();
    }

    @Test
    void snapshotFoldsTheBlockingChainUnderItsHeadAndReadsTheLoad() throws Exception {
        int head = incident.blockingChain("accounts", 3);
        int sleeper = incident.longQuery("reports", 30);
        try (PostgresSession session = open("shop")) {
            Activity activity = session.activity(context());

            assertEquals(2, activity.statements());
            assertEquals("5 of 40", activity.load().get("connections"), "head, two waiters, the long query and dbtool, of the test cluster's max_connections");
            assertTrue(activity.counters().get("commits") > 0, activity.counters().toString());
            List<ActiveSession> sessions = activity.sessions();
            ActiveSession first = sessions.getFirst();
            assertEquals(String.valueOf(head), first.id(), "the head blocker leads its tree");
            assertEquals(0, first.depth());
            assertEquals("idle in transaction", first.state());
            assertEquals(List.of(1, 2), sessions.subList(1, 3).stream().map(ActiveSession::depth).toList(), "a chain: each waiter one level deeper");
            assertEquals(List.of(first.id()), sessions.get(1).blockedBy());
            assertEquals("Lock", sessions.get(1).waitType());
            assertTrue(sessions.get(1).locks().stream().anyMatch(lock -> lock.contains("waited for")), sessions.get(1).locks().toString());
            assertEquals("SELECT pg_terminate_backend(" + head + ")", first.terminate());
            ActiveSession sleeping = sessions.stream().filter(s -> s.id().equals(String.valueOf(sleeper))).findFirst().orElseThrow();
            assertEquals("reports", sleeping.application());
            assertTrue(sleeping.query().contains("nightly revenue report"));
            assertNotNull(sleeping.running());
        }
    }

    @Test
    void planOfARunningStatementWithoutRunningIt() throws Exception {
        try (PostgresSession session = open("shop")) {
            QueryPlan plan = session.plan(watched("shop", "SELECT * FROM orders WHERE id = 42"), context());

            assertTrue(plan.available(), plan.unavailable());
            assertTrue(plan.lines().getFirst().startsWith("Index Scan using orders_pkey on orders"), plan.lines().toString());
        }
    }

    @Test
    void planUnderAnExclusiveLockIsGivenUpAfterTheLockTimeoutAndSaysWhy() throws Exception {
        incident.accessExclusive("ledger");
        try (PostgresSession session = open("shop")) {
            long start = System.nanoTime();
            QueryPlan plan = session.plan(watched("shop", "SELECT count(*) FROM ledger"), context());
            long millis = (System.nanoTime() - start) / 1_000_000;

            assertFalse(plan.available());
            assertTrue(plan.unavailable().startsWith("a table it uses is locked by another session"), plan.unavailable());
            assertTrue(millis < 3000, "gave up after the 500 ms lock timeout, not the statement timeout: " + millis + " ms");
        }
    }

    @Test
    void parametersNeedGenericPlanWhichThisServerMayLack() throws Exception {
        try (PostgresSession session = open("shop")) {
            QueryPlan plan = session.plan(watched("shop", "SELECT * FROM orders WHERE id = $1"), context());
            if (session.serverVersion() >= 160000) {
                assertTrue(plan.available(), plan.unavailable());
            } else {
                assertEquals("the statement has parameters ($1...): planning it needs EXPLAIN (GENERIC_PLAN), PostgreSQL 16 or later"
                        + " (this server runs " + session.serverVersion() / 10000 + ")", plan.unavailable());
            }
        }
    }

    /**
     * The statement chosen per server version, without a server of each version: plain EXPLAIN
     * whenever the text has no parameters, EXPLAIN (GENERIC_PLAN) for one with parameters from
     * PostgreSQL 16 on, and before 16 no statement at all but the reason. Never ANALYZE.
     */
    @Test
    void theExplainChosenFollowsTheServerVersion() {
        String plain = "SELECT * FROM orders WHERE id = 7";
        String parameterised = "SELECT * FROM orders WHERE id = $1 AND status = $2";
        for (int version : new int[] {120018, 150010, 160000, 160004, 170002, 180000}) {
            assertEquals(new PostgresPlan.Explain("EXPLAIN " + plain, null), PostgresPlan.explain(plain, version), "server " + version);
        }
        for (int version : new int[] {160000, 160004, 170002, 180000}) {
            assertEquals(new PostgresPlan.Explain("EXPLAIN (GENERIC_PLAN) " + parameterised, null),
                    PostgresPlan.explain(parameterised, version), "server " + version);
        }
        for (int version : new int[] {120018, 140011, 150010, 159999}) {
            PostgresPlan.Explain refused = PostgresPlan.explain(parameterised, version);
            assertEquals(null, refused.statement(), "server " + version + " cannot plan a text with parameters");
            assertEquals("the statement has parameters ($1...): planning it needs EXPLAIN (GENERIC_PLAN), PostgreSQL 16 or later"
                    + " (this server runs " + version / 10000 + ")", refused.unavailable());
        }
    }

    @Test
    void textsThatAreNotOnePlannableStatementInThisDatabaseAreRefused() throws Exception {
        try (PostgresSession session = open("shop")) {
            assertEquals("a COMMIT statement has no plan", session.plan(watched("shop", "COMMIT"), context()).unavailable());
            assertEquals("the text holds several statements",
                    session.plan(watched("shop", "SELECT 1; DROP TABLE orders"), context()).unavailable());
            assertTrue(session.plan(watched("postgres", "SELECT 1"), context()).unavailable().startsWith("the session runs in database postgres"));
            assertEquals(List.of(1000L), List.of(session.queryOne("SELECT count(*) AS n FROM orders", null).get("n")), "nothing was run");
        }
    }

    private static ActiveSession watched(String database, String query) {
        return new ActiveSession("1", "app", database, "x", null, "active", null, null, null, List.of(), 0, null, null, query,
                List.of(), null, null);
    }

    private static CheckContext context() {
        Instant deadline = Instant.now().plusSeconds(10);
        return new CheckContext() {
            @Override
            public Instant deadline() {
                return deadline;
            }

            @Override
            public Map<String, String> settings() {
                return Map.of();
            }
        };
    }

    private static PostgresSession open(String database) {
        URI url = URI.create(cluster.url(database));
        Target target = new Target("t", url, "postgresql", "127.0.0.1", cluster.port(), database, List.of(), Map.of());
        return (PostgresSession) new PostgresPlugin().open(target, Credentials.none(), SessionSettings.defaults());
    }
}
