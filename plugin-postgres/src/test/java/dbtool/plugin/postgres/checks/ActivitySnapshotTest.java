package dbtool.plugin.postgres.checks;

import static dbtool.testkit.CheckFixtures.context;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.plugin.postgres.PostgresPlugin;
import dbtool.plugin.postgres.PostgresSession;
import dbtool.plugin.postgres.demo.Incident;
import dbtool.plugin.postgres.demo.LocalCluster;
import dbtool.spi.CheckContext;
import dbtool.spi.Credentials;
import dbtool.spi.SessionSettings;
import dbtool.testkit.CheckFixtures;
import dbtool.testkit.PluginRun;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The checks that look at sessions share one read of pg_stat_activity per run: each still gets the rows
 * its own statement returned (compared here with those statements, kept below as they were, on a staged
 * incident), and the snapshot is read once per run, not once per check.
 */
class ActivitySnapshotTest {

    /** Ages move between two reads; everything else must be the same. */
    private static final Set<String> AGES = Set.of("xact_seconds", "state_seconds", "query_seconds", "idle_seconds", "seconds");

    private static LocalCluster cluster;
    private static Incident incident;
    private static Connection longText;

    @BeforeAll
    static void stageIncident() throws Exception {
        cluster = LocalCluster.start(LocalCluster.Settings.defaults());
        cluster.execute("postgres", "CREATE DATABASE shop", "CREATE DATABASE other");
        incident = new Incident(cluster, "shop");
        incident.blockingChain("chain", 3);
        incident.longQuery("nightly-report", 600);
        new Incident(cluster, "other").idleInTransaction("notes", "other-app");
        // Idle in a transaction after a statement longer than every cut, with whitespace runs and characters
        // outside the BMP (two UTF-16 units each): left() counts characters, the snapshot must cut the same.
        longText = cluster.connect("shop", "postgres", null, "long-text");
        longText.setAutoCommit(false);
        try (Statement statement = longText.createStatement()) {
            statement.execute("SELECT /* traceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01 */ '"
                    + "\uD83D\uDE00 spaced\n\t  out ".repeat(40) + "'");
        }
    }

    @AfterAll
    static void endIncident() throws Exception {
        if (longText != null) {
            longText.close();
        }
        if (incident != null) {
            incident.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static PostgresSession session(String database) {
        return (PostgresSession) new PostgresPlugin().open(PluginRun.target(cluster.url(database), "postgresql", Map.of()),
                Credentials.none(), SessionSettings.defaults());
    }

    @ParameterizedTest(name = "cluster-wide {0}")
    @ValueSource(booleans = {true, false})
    void eachCheckGetsTheRowsItsOwnStatementReturned(boolean clusterWide) throws Exception {
        try (PostgresSession session = session("shop")) {
            CheckContext context = context();
            ActivitySnapshot snapshot = ActivitySnapshot.of(session, context);
            // SESSIONS and EDGES had no ORDER BY: their rows came in whatever order the plan gave (which differs
            // between a prepared statement and a plain one), so they are compared by pid.
            assertSameRows(byPid(session.query(SESSIONS, context, clusterWide)), byPid(BlockingChainCheck.sessions(snapshot, clusterWide)));
            assertSameRows(session.query(IDLE, context, clusterWide), IdleInTransactionCheck.idle(snapshot, clusterWide));
            assertSameRows(byPid(session.query(EDGES, context, clusterWide)), byPid(LockWaitsCheck.edges(snapshot, clusterWide)));
            assertSameRows(session.query(STATES, context), List.of(ConnectionStatesCheck.states(snapshot)));
            assertSameRows(session.query(LONG, context, clusterWide), LongTransactionsCheck.oldest(snapshot, clusterWide));
            // 0: every active session (the chain's waiters too); 3600: none. Nothing sits near a boundary between the two reads.
            for (double threshold : new double[] {0, 3600}) {
                assertSameRows(session.query(RUNNING, context, threshold, clusterWide), LongQueriesCheck.running(snapshot, threshold, clusterWide));
            }
        }
    }

    @Test
    void theIncidentIsInTheSnapshot() throws Exception {
        try (PostgresSession session = session("shop")) {
            CheckContext context = context();
            ActivitySnapshot snapshot = ActivitySnapshot.of(session, context);
            // The chain's two waiters, the head idle in its transaction, the sleeping report and the long text.
            assertEquals(2, LockWaitsCheck.edges(snapshot, false).size());
            assertTrue(LongQueriesCheck.running(snapshot, 0, false).stream().anyMatch(row -> "nightly-report".equals(row.get("application"))));
            assertEquals(3, IdleInTransactionCheck.idle(snapshot, true).size(), "the head, the long text and the other database's");
            assertEquals(2, IdleInTransactionCheck.idle(snapshot, false).size(), "the target's database only");
            Map<String, Object> text = IdleInTransactionCheck.idle(snapshot, false).stream()
                    .filter(row -> "long-text".equals(row.get("application"))).findFirst().orElseThrow();
            assertEquals(120, ((String) text.get("last_query")).codePointCount(0, ((String) text.get("last_query")).length()));
        }
    }

    @Test
    void oneRunReadsTheViewOnceAndTheNextRunReadsItAgain() throws Exception {
        Connection probe = cluster.connect("shop", "postgres", null, "snapshot-probe");
        try (PostgresSession session = session("shop")) {
            probe.setAutoCommit(false);
            try (Statement statement = probe.createStatement()) {
                statement.execute("SELECT 1");
            }
            CheckContext run = context();
            ActivitySnapshot first = ActivitySnapshot.of(session, run);
            assertTrue(hasProbe(first), "the probe is idle in its transaction when the run starts");
            long sessions = (Long) new ConnectionStatesCheck().run(session, run).metrics().get("total");

            probe.rollback();
            probe.close();
            awaitGone("snapshot-probe");

            // The rest of the run sees the sessions as they were when its first check read them, once.
            assertSame(first, ActivitySnapshot.of(session, run));
            assertEquals(sessions, new ConnectionStatesCheck().run(session, run).metrics().get("total"));
            assertTrue(IdleInTransactionCheck.idle(ActivitySnapshot.of(session, run), false).stream()
                    .anyMatch(row -> "snapshot-probe".equals(row.get("application"))));
            assertSame(first, session.sharedRead(run, "pg_stat_activity", s -> {
                throw new AssertionError("read a second time within one run");
            }));

            // A new run (a new context) reads the view again.
            CheckContext next = context();
            ActivitySnapshot second = ActivitySnapshot.of(session, next);
            assertNotEquals(first, second);
            assertTrue(!hasProbe(second), "the probe is gone for the next run");
            assertEquals(sessions - 1, new ConnectionStatesCheck().run(session, next).metrics().get("total"));
        } finally {
            probe.close(); // again, when an assertion failed before the probe ended
        }
    }

    @Test
    void leftCountsCharactersAsTheServerDoes() {
        assertEquals("a\uD83D\uDE00", ActivitySnapshot.left("a\uD83D\uDE00b", 2));
        assertEquals("ab", ActivitySnapshot.left("ab", 5));
        assertEquals(null, ActivitySnapshot.left(null, 5));
    }

    @Test
    void oldestFirstPutsUnknownAgesLast() {
        List<Map<String, Object>> rows = List.of(CheckFixtures.row("pid", 1L, "xact_age", null), CheckFixtures.row("pid", 2L, "xact_age", 5.5),
                CheckFixtures.row("pid", 3L, "xact_age", 70.25));
        assertEquals(List.of(3L, 2L), ActivitySnapshot.oldestFirst(rows, "xact_age", 2).stream().map(row -> row.get("pid")).toList());
        assertEquals(1L, ActivitySnapshot.oldestFirst(rows, "xact_age", 3).getLast().get("pid"));
    }

    private static boolean hasProbe(ActivitySnapshot snapshot) {
        return snapshot.rows().stream().anyMatch(row -> "snapshot-probe".equals(row.get("application")));
    }

    private static void awaitGone(String application) throws Exception {
        try (Connection watcher = cluster.connect("postgres")) {
            for (int i = 0; i < 200; i++) {
                try (Statement statement = watcher.createStatement();
                     ResultSet rs = statement.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + application + "'")) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        return;
                    }
                }
                Thread.sleep(50);
            }
        }
        throw new AssertionError(application + " still in pg_stat_activity");
    }

    /** Same rows, same columns in the same order, same values but for the ages (they move between the two reads). */
    private static void assertSameRows(List<Map<String, Object>> expected, List<Map<String, Object>> actual) {
        assertEquals(withoutAges(expected), withoutAges(actual));
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(List.copyOf(expected.get(i).keySet()), List.copyOf(actual.get(i).keySet()), "columns and their order");
        }
    }

    private static List<Map<String, Object>> byPid(List<Map<String, Object>> rows) {
        return rows.stream().sorted(Comparator.comparingLong(row -> ((Number) row.get("pid")).longValue())).toList();
    }

    private static List<Map<String, Object>> withoutAges(List<Map<String, Object>> rows) {
        return rows.stream().map(row -> {
            Map<String, Object> copy = new LinkedHashMap<>(row);
            copy.keySet().removeAll(AGES);
            return copy;
        }).toList();
    }

    // The statements the checks sent before the snapshot, as they were.
    private static final String SESSIONS = """
            SELECT a.pid,
                   CASE WHEN a.wait_event_type = 'Lock' THEN pg_blocking_pids(a.pid) ELSE '{}'::int[] END AS blocked_by,
                   a.usename AS user, a.application_name AS application, a.client_addr::text AS client,
                   a.state, a.wait_event_type, a.wait_event,
                   EXTRACT(EPOCH FROM now() - a.xact_start)::bigint AS xact_seconds,
                   EXTRACT(EPOCH FROM now() - a.state_change)::bigint AS state_seconds,
                   EXTRACT(EPOCH FROM now() - a.query_start)::bigint AS query_seconds,
                   left(regexp_replace(a.query, '\\s+', ' ', 'g'), 200) AS query, %s
            FROM pg_stat_activity a
            WHERE a.pid <> pg_backend_pid() AND a.backend_type = 'client backend'
              AND (? OR a.datname = current_database())
            """.formatted(PostgresCheck.TRACE_COMMENT);
    private static final String IDLE = """
            SELECT a.pid, a.usename AS user, a.application_name AS application, a.client_addr::text AS client, a.state,
                   EXTRACT(EPOCH FROM now() - a.state_change)::bigint AS idle_seconds,
                   EXTRACT(EPOCH FROM now() - a.xact_start)::bigint AS xact_seconds,
                   (SELECT count(*) FROM pg_locks l WHERE l.pid = a.pid AND l.granted) AS locks_held,
                   EXISTS (SELECT 1 FROM pg_stat_activity w
                           WHERE w.wait_event_type = 'Lock' AND a.pid = ANY (pg_blocking_pids(w.pid))) AS blocking_others,
                   left(regexp_replace(a.query, '\\s+', ' ', 'g'), 120) AS last_query, %s
            FROM pg_stat_activity a
            WHERE a.state IN ('idle in transaction', 'idle in transaction (aborted)')
              AND a.pid <> pg_backend_pid()
              AND (? OR a.datname = current_database())
            ORDER BY a.state_change
            LIMIT 20
            """.formatted(PostgresCheck.TRACE_COMMENT);
    private static final String EDGES = """
            SELECT w.pid, pg_blocking_pids(w.pid) AS blocked_by
            FROM pg_stat_activity w
            WHERE w.wait_event_type = 'Lock' AND (? OR w.datname = current_database())
            """;
    private static final String STATES = """
            SELECT count(*) AS total,
                   count(*) FILTER (WHERE state = 'active') AS active,
                   count(*) FILTER (WHERE state = 'idle') AS idle,
                   count(*) FILTER (WHERE state LIKE 'idle in transaction%') AS idle_in_transaction,
                   count(*) FILTER (WHERE wait_event_type = 'Lock') AS waiting_on_locks
            FROM pg_stat_activity
            WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()
            """;
    private static final String LONG = """
            SELECT a.pid, a.usename AS user, a.application_name AS application, a.state,
                   EXTRACT(EPOCH FROM now() - a.xact_start)::bigint AS xact_seconds,
                   left(regexp_replace(a.query, '\\s+', ' ', 'g'), 120) AS query
            FROM pg_stat_activity a
            WHERE a.xact_start IS NOT NULL AND a.pid <> pg_backend_pid() AND a.backend_type = 'client backend'
              AND (? OR a.datname = current_database())
            ORDER BY a.xact_start
            LIMIT 5
            """;
    private static final String RUNNING = """
            SELECT a.pid, a.usename AS user, a.application_name AS application, a.client_addr::text AS client,
                   EXTRACT(EPOCH FROM now() - a.query_start)::bigint AS seconds,
                   a.wait_event_type || coalesce(':' || a.wait_event, '') AS wait,
                   CASE WHEN a.wait_event_type = 'Lock' THEN pg_blocking_pids(a.pid) ELSE '{}'::int[] END AS blocked_by,
                   left(regexp_replace(a.query, '\\s+', ' ', 'g'), 300) AS query, %s
            FROM pg_stat_activity a
            WHERE a.state = 'active' AND a.pid <> pg_backend_pid() AND a.backend_type = 'client backend'
              AND a.query_start <= now() - make_interval(secs => ?)
              AND (? OR a.datname = current_database())
            ORDER BY a.query_start
            LIMIT 20
            """.formatted(PostgresCheck.TRACE_COMMENT);
}
