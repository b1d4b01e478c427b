package dbtool.serve.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.Environment;
import dbtool.core.config.Config;
import dbtool.core.plugin.PluginRegistry;
import dbtool.core.report.JsonReportWriter;
import dbtool.plugin.postgres.demo.LocalCluster;
import dbtool.serve.Reports;
import dbtool.serve.schedule.Sample;
import dbtool.serve.store.StateStoreTest.TestClock;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A restarted {@code dbtool serve} starts from the reports it last saw, from both stores: the
 * embedded H2 one (reopened in the same data directory) and a shared PostgreSQL one (a real cluster).
 */
class StoredServeStateTest {

    static LocalCluster cluster;
    static int places;

    @TempDir
    static Path home;

    /** Opens the same store again each time it is called, as a restarted process would. */
    interface Place extends Function<Clock, StateStore> {
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

    static Place embedded() {
        Environment environment = new Environment(Map.of("XDG_DATA_HOME", home.resolve("data-" + (++places)).toString()), home, "Linux", null);
        return clock -> StoreConfig.of(Config.empty(), environment).open(environment, PluginRegistry.ofLoaded(List.of()), clock);
    }

    static Place shared() {
        String name = "served_" + (++places);
        try {
            cluster.execute("postgres", "CREATE DATABASE " + name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        String url = "postgresql://postgres@127.0.0.1:" + cluster.port() + "/" + name;
        return clock -> StateStoreTest.sharedStore(url, clock, home);
    }

    static Stream<Arguments> stores() {
        return Stream.of(Arguments.of("embedded H2", (Supplier<Place>) StoredServeStateTest::embedded),
                Arguments.of("shared PostgreSQL", (Supplier<Place>) StoredServeStateTest::shared));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void aRestartedServeStartsFromTheLastReportsMarkedWithWhenTheyWereSeen(String kind, Supplier<Place> places) {
        Place place = places.get();
        TestClock clock = new TestClock();
        Instant seen = clock.instant();
        List<String> log = new ArrayList<>();
        try (StateStore store = place.apply(clock)) {
            StoredServeState state = StoredServeState.load(store, List.of("orders", "billing"), log::add);
            assertTrue(state.all().isEmpty(), "a new store has nothing to restore");
            state.record(Sample.of("orders", Reports.blocked("orders"), seen));
            state.record(Sample.failed("billing", "unknown engine", seen));
        }
        clock.advance(Duration.ofHours(2));
        try (StateStore store = place.apply(clock)) {
            StoredServeState restarted = StoredServeState.load(store, List.of("orders", "billing"), log::add);
            Sample orders = restarted.last("orders").orElseThrow();
            assertTrue(orders.restored());
            assertEquals(seen, orders.at());
            assertEquals("PG_BLOCKING_CHAIN", orders.worstFinding().orElseThrow().code());
            assertEquals(JsonReportWriter.toJson(Reports.blocked("orders")), JsonReportWriter.toJson(orders.report()),
                    "the API serves the same report as before the restart");
            assertTrue(restarted.last("billing").isEmpty(), "a run that made no report is not kept: PENDING, not an old error");
            assertTrue(StoredServeState.load(store, List.of("billing"), log::add).all().isEmpty(), "only the targets served now");
        }
        assertTrue(log.isEmpty(), log.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void aKeptReportThatCannotBeReadIsSkippedWithALineNamingItsTarget(String kind, Supplier<Place> places) {
        Place place = places.get();
        List<String> log = new ArrayList<>();
        try (StateStore store = place.apply(Clock.systemUTC())) {
            store.saveLastReport("orders", "{\"schemaVersion\": 9}");
            StoredServeState state = StoredServeState.load(store, List.of("orders"), log::add);
            assertTrue(state.last("orders").isEmpty());
        }
        assertEquals(1, log.size(), log.toString());
        assertTrue(log.get(0).startsWith("orders: the kept report cannot be read"), log.get(0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void aRunningReplicaShowsTheNewerReportsItsSiblingStoredButExportsOnlyItsOwn(String kind, Supplier<Place> places) {
        Place place = places.get();
        TestClock clock = new TestClock();
        List<String> log = new ArrayList<>();
        try (StateStore first = place.apply(clock); StateStore second = place.apply(clock)) {
            StoredServeState a = StoredServeState.load(first, List.of("orders", "billing"), log::add, Duration.ZERO);
            StoredServeState b = StoredServeState.load(second, List.of("orders", "billing"), log::add, Duration.ZERO);
            assertTrue(b.last("orders").isEmpty(), "nothing stored yet");

            a.record(Sample.of("orders", Reports.blocked("orders"), clock.instant()));
            clock.advance(Duration.ofSeconds(30));
            Sample fromA = b.last("orders").orElseThrow();
            assertTrue(fromA.restored(), "b did not run it: a sibling's report");
            assertEquals("PG_BLOCKING_CHAIN", fromA.worstFinding().orElseThrow().code(), "seen while b runs, not only at its start");
            assertFalse(b.sampledHere("orders"), "/ready waits for b's own run");
            assertTrue(b.all().isEmpty(), "/metrics exports only what b measured");

            b.record(Sample.of("orders", Reports.healthy("orders"), clock.instant()));
            clock.advance(Duration.ofSeconds(30));
            assertFalse(b.last("orders").orElseThrow().restored(), "b's own run is newer than a's");
            Sample fromB = a.last("orders").orElseThrow();
            assertTrue(fromB.restored());
            assertFalse(fromB.worstFinding().isPresent(), "a shows b's newer, healthy report");
            assertTrue(a.sampledHere("orders"));
            assertEquals("CRITICAL", a.all().iterator().next().status().name(), "a's metrics stay its own measurement");

            a.record(Sample.of("orders", Reports.blocked("orders"), clock.instant()));
            assertEquals("CRITICAL", a.last("orders").orElseThrow().status().name(), "a's own new run replaces the sibling's");
            assertFalse(a.last("orders").orElseThrow().restored());
        }
        assertTrue(log.isEmpty(), log.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void siblingsReportsAreLookedForAtMostOncePerRefreshBound(String kind, Supplier<Place> places) {
        Place place = places.get();
        TestClock clock = new TestClock();
        try (StateStore first = place.apply(clock); StateStore second = place.apply(clock)) {
            StoredServeState a = StoredServeState.load(first, List.of("orders"), line -> { });
            StoredServeState b = StoredServeState.load(second, List.of("orders"), line -> { }, Duration.ofHours(1));
            assertTrue(b.last("orders").isEmpty(), "the first read looks at the store");
            a.record(Sample.of("orders", Reports.blocked("orders"), clock.instant()));
            assertTrue(b.last("orders").isEmpty(), "within the bound, reads are answered from memory: no query per probe");
        }
    }

    @Test
    void replicasSharingPostgresStartFromEachOthersReports() {
        Place place = shared();
        try (StateStore first = place.apply(Clock.systemUTC()); StateStore second = place.apply(Clock.systemUTC())) {
            StoredServeState running = StoredServeState.load(first, List.of("orders"), line -> { });
            running.record(Sample.of("orders", Reports.blocked("orders"), Instant.now()));
            StoredServeState starting = StoredServeState.load(second, List.of("orders"), line -> { });
            assertEquals("CRITICAL", starting.last("orders").orElseThrow().status().name());
            starting.record(Sample.of("orders", Reports.healthy("orders"), Instant.now()));
            assertFalse(StoredServeState.load(first, List.of("orders"), line -> { }).last("orders").orElseThrow().worstFinding().isPresent(),
                    "the newest report wins, whichever replica made it");
        }
    }
}
