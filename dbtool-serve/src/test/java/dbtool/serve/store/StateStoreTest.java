package dbtool.serve.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.DbtoolException;
import dbtool.core.Environment;
import dbtool.core.config.Config;
import dbtool.core.config.ConfigLoader;
import dbtool.core.plugin.LoadedPlugin;
import dbtool.core.plugin.PluginDirectory;
import dbtool.core.plugin.PluginRegistry;
import dbtool.plugin.postgres.PostgresPlugin;
import dbtool.plugin.postgres.demo.LocalCluster;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same behaviour from both stores: the embedded H2 one under the data directory and a shared
 * PostgreSQL database (a real throwaway cluster). Each test gets a fresh store (a new folder, a new database).
 */
class StateStoreTest {

    static LocalCluster cluster;
    static int databases;

    @TempDir
    static Path home;

    /** A settable clock: dedup windows are tested without sleeping. */
    static final class TestClock extends Clock {
        final AtomicLong millis = new AtomicLong(Instant.parse("2026-12-07T10:00:00Z").toEpochMilli());

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }

        void advance(Duration duration) {
            millis.addAndGet(duration.toMillis());
        }
    }

    @BeforeAll
    static void startPostgres() throws Exception {
        cluster = LocalCluster.start(LocalCluster.Settings.defaults());
    }

    @AfterAll
    static void stopPostgres() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static Stream<Arguments> stores() {
        return Stream.of(Arguments.of("embedded H2", (Function<Clock, StateStore>) StateStoreTest::embedded),
                Arguments.of("shared PostgreSQL", (Function<Clock, StateStore>) StateStoreTest::shared));
    }

    static Environment environment() {
        return new Environment(Map.of("XDG_DATA_HOME", home.resolve("data-" + (++databases)).toString()), home, "Linux", null);
    }

    static StateStore embedded(Clock clock) {
        Environment environment = environment();
        return StoreConfig.of(Config.empty(), environment).open(environment, PluginRegistry.ofLoaded(List.of()), clock);
    }

    static String sharedUrl;

    static StateStore shared(Clock clock) {
        try {
            String name = "state_" + (++databases);
            cluster.execute("postgres", "CREATE DATABASE " + name);
            sharedUrl = "postgresql://postgres@127.0.0.1:" + cluster.port() + "/" + name;
            return sharedStore(sharedUrl, clock);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static StateStore sharedStore(String url, Clock clock) {
        return sharedStore(url, clock, home);
    }

    /** @param home the user's home folder of the process (another test class's, which this class's field is not set for) */
    static StateStore sharedStore(String url, Clock clock, Path home) {
        Config config = ConfigLoader.parse(Path.of("config.json"), new StringReader("{\"state\": {\"url\": \"" + url + "\"}}"));
        Environment environment = new Environment(Map.of(), home, "Linux", null);
        return StoreConfig.of(config, environment).open(environment, postgresPlugin(), clock);
    }

    static PluginRegistry postgresPlugin() {
        return PluginRegistry.ofLoaded(List.of(new LoadedPlugin(new PluginDirectory("postgresql", home, "bundle", Optional.empty()),
                List.of("dbtool.plugin.postgres"), List.of(new PostgresPlugin()), List.of(), List.of(), List.of(), List.of(), Optional.empty())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void aDedupKeyIsClaimedOnceUntilItsWindowEnds(String kind, Function<Clock, StateStore> open) {
        TestClock clock = new TestClock();
        try (StateStore store = open.apply(clock)) {
            assertTrue(store.claim("fp-1", Duration.ofMinutes(5)));
            assertFalse(store.claim("fp-1", Duration.ofMinutes(5)), "within the window");
            assertTrue(store.claim("fp-2", Duration.ofMinutes(5)), "another alert");
            clock.advance(Duration.ofMinutes(5));
            assertTrue(store.claim("fp-1", Duration.ofMinutes(5)), "the window has passed");
            store.release("fp-2");
            assertTrue(store.claim("fp-2", Duration.ofMinutes(5)), "released (its alert resolved)");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void incidentsAreKeptNewestFirstAndReadBackWhole(String kind, Function<Clock, StateStore> open) {
        try (StateStore store = open.apply(new TestClock())) {
            Instant t = Instant.parse("2026-12-07T10:00:00Z");
            String body = "{\"id\": \"a\", \"report\": {\"status\": \"CRITICAL\", \"text\": \"" + "x".repeat(200_000) + "\"}}";
            store.saveIncident("a", t, "PostgresqlDeadLocks", "firing", "fp-1", "orders", "diagnosed", "CRITICAL", body);
            store.saveIncident("b", t.plusSeconds(1), "PostgresqlDown", "resolved", "fp-2", null, "resolved", "OK", "{\"id\": \"b\"}");
            List<StateStore.IncidentRow> rows = store.incidents(10);
            assertEquals(List.of("b", "a"), rows.stream().map(StateStore.IncidentRow::id).toList());
            assertEquals(new StateStore.IncidentRow("a", t, "PostgresqlDeadLocks", "firing", "orders", "diagnosed", "CRITICAL"), rows.get(1));
            assertEquals(1, store.incidents(1).size());
            assertEquals(body, store.incident("a").orElseThrow(), "a large report comes back unchanged");
            assertTrue(store.incident("nope").isEmpty());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void theLastReportOfATargetReplacesTheOneBefore(String kind, Function<Clock, StateStore> open) {
        try (StateStore store = open.apply(new TestClock())) {
            assertTrue(store.lastReport("orders").isEmpty());
            store.saveLastReport("orders", "{\"status\": \"OK\"}");
            store.saveLastReport("orders", "{\"status\": \"CRITICAL\"}");
            assertEquals("{\"status\": \"CRITICAL\"}", store.lastReport("orders").orElseThrow());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void metricHistoryKeepsOneRowPerTargetAndTimeReadByPeriodAndIsPrunedByAge(String kind, Function<Clock, StateStore> open) {
        TestClock clock = new TestClock();
        try (StateStore store = open.apply(clock)) {
            Instant t0 = Instant.parse("2026-12-07T09:00:00Z");
            assertEquals(Optional.empty(), store.oldestMetrics("orders"));
            store.saveMetrics("orders", t0, Map.of("dbtool_connections", 12.0, "dbtool_blocked_sessions", 0.0));
            store.saveMetrics("orders", t0.plusSeconds(300), Map.of("dbtool_connections", 14.0));
            store.saveMetrics("orders", t0.plusSeconds(300), Map.of("dbtool_connections", 99.0)); // a sibling's copy: kept once
            store.saveMetrics("orders", t0.plusSeconds(3600), Map.of("dbtool_connections", 20.0));
            store.saveMetrics("billing", t0, Map.of("dbtool_connections", 3.0));
            assertEquals(Optional.of(t0), store.oldestMetrics("orders"));
            List<String> families = List.of("dbtool_connections", "dbtool_blocked_sessions");
            Map<String, List<StateStore.MetricPoint>> history = store.metricHistory("orders", families,
                    List.of(new StateStore.Period(t0.plusSeconds(3000), t0.plusSeconds(4000)), new StateStore.Period(t0, t0.plusSeconds(600))));
            assertEquals(List.of(new StateStore.MetricPoint(t0, 12.0), new StateStore.MetricPoint(t0.plusSeconds(300), 14.0),
                    new StateStore.MetricPoint(t0.plusSeconds(3600), 20.0)), history.get("dbtool_connections"), "oldest first, across periods");
            assertEquals(1, history.get("dbtool_blocked_sessions").size());
            assertEquals(1, store.metricHistory("orders", families, List.of(new StateStore.Period(t0.plusSeconds(1), t0.plusSeconds(301))))
                    .get("dbtool_connections").size(), "from inclusive, to exclusive");
            assertEquals(2, store.pruneMetrics(t0.plusSeconds(1)), "orders' and billing's rows at t0");
            assertEquals(Optional.of(t0.plusSeconds(300)), store.oldestMetrics("orders"));
        }
    }

    @Test
    void theEmbeddedStoreIsCreatedOnFirstUseForItsUserOnlyAndReopensWithItsData() throws Exception {
        Environment environment = environment();
        Path folder = environment.dataDir().resolve("state");
        assertFalse(Files.exists(folder));
        try (StateStore store = StoreConfig.of(Config.empty(), environment).open(environment, PluginRegistry.ofLoaded(List.of()), Clock.systemUTC())) {
            store.saveIncident("kept", Instant.now(), "X", "firing", null, null, "unrouted", "UNKNOWN", "{}");
            assertEquals(StateStore.MIGRATIONS.size(), store.schemaVersion());
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)));
        try (StateStore again = StoreConfig.of(Config.empty(), environment).open(environment, PluginRegistry.ofLoaded(List.of()), Clock.systemUTC())) {
            assertEquals("{}", again.incident("kept").orElseThrow());
            assertEquals(StateStore.MIGRATIONS.size(), again.schemaVersion(), "migrations ran once");
        }
    }

    @Test
    void aStoreMigratedByANewerDbtoolIsRefusedWithOneLineAndLeftAsItWas() throws Exception {
        Environment environment = environment();
        try (StateStore store = StoreConfig.of(Config.empty(), environment).open(environment, PluginRegistry.ofLoaded(List.of()), Clock.systemUTC())) {
            store.withConnection("cannot write to", c -> {
                try (Statement statement = c.createStatement()) {
                    return statement.executeUpdate("INSERT INTO dbtool_schema (version) VALUES (99)");
                }
            });
        }
        DbtoolException e = assertThrows(DbtoolException.class,
                () -> StoreConfig.of(Config.empty(), environment).open(environment, PluginRegistry.ofLoaded(List.of()), Clock.systemUTC()));
        assertEquals(78, e.exitCode());
        assertTrue(e.getMessage().contains("is at schema version 99, newer than this dbtool knows (" + StateStore.MIGRATIONS.size()
                + "): upgrade dbtool"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    /**
     * Two replicas share one PostgreSQL database: both migrate at start, then race for the same dedup
     * keys. Each key is won by exactly one of them.
     */
    @Test
    void replicasSharingPostgresNeverBothWinAKey() throws Exception {
        String name = "state_race";
        cluster.execute("postgres", "CREATE DATABASE " + name);
        String url = "postgresql://postgres@127.0.0.1:" + cluster.port() + "/" + name;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<StateStore>> opened = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                opened.add(pool.submit(() -> {
                    start.await();
                    return sharedStore(url, Clock.systemUTC());
                }));
            }
            start.countDown();
            StateStore a = opened.get(0).get();
            StateStore b = opened.get(1).get();
            try (a; b) {
                assertEquals(StateStore.MIGRATIONS.size(), a.schemaVersion());
                int keys = 200;
                Callable<Integer> raceA = () -> wins(a, keys);
                Callable<Integer> raceB = () -> wins(b, keys);
                Future<Integer> winsA = pool.submit(raceA);
                Future<Integer> winsB = pool.submit(raceB);
                assertEquals(keys, winsA.get() + winsB.get(), "every key won exactly once");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static int wins(StateStore store, int keys) {
        int won = 0;
        for (int i = 0; i < keys; i++) {
            if (store.claim("race-" + i, Duration.ofMinutes(5))) {
                won++;
            }
        }
        return won;
    }

    @Test
    void aPasswordInTheStateUrlIsRefusedWithoutShowingIt() {
        Config config = ConfigLoader.parse(Path.of("c.json"), new StringReader(
                "{\"state\": {\"url\": \"postgresql://dbtool:s3cret@pg1/state\"}}"));
        DbtoolException e = assertThrows(DbtoolException.class, () -> StoreConfig.of(config, environment()));
        assertEquals(78, e.exitCode());
        assertTrue(e.getMessage().startsWith("c.json:1:17: state.url: holds a password"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"));
        Config unknown = ConfigLoader.parse(Path.of("c.json"), new StringReader("{\"state\": {\"uri\": \"x\"}}"));
        assertEquals("c.json:1:17: state.uri: unknown field; expected one of passwordEnv, path, url",
                assertThrows(DbtoolException.class, () -> StoreConfig.of(unknown, environment())).getMessage());
    }

    @Test
    void anUnreachableSharedStoreIsOneLineWithoutThePassword() {
        Config config = ConfigLoader.parse(Path.of("c.json"), new StringReader(
                "{\"state\": {\"url\": \"postgresql://dbtool@127.0.0.1:1/state\", \"passwordEnv\": \"STATE_PW\"}}"));
        Environment environment = new Environment(Map.of("STATE_PW", "hunter2-secret"), home, "Linux", null);
        DbtoolException e = assertThrows(DbtoolException.class, () -> StoreConfig.of(config, environment).open(environment, postgresPlugin(), Clock.systemUTC()));
        assertEquals(78, e.exitCode());
        assertTrue(e.getMessage().startsWith("state store postgresql://dbtool@127.0.0.1:1/state: cannot prepare it: "), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"));
        assertFalse(e.getMessage().contains("\n"));
    }
}
