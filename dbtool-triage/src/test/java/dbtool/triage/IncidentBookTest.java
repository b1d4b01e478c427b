package dbtool.triage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dbtool.plugin.postgres.demo.LocalCluster;
import dbtool.serve.store.StateStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Incidents in both stores: the embedded H2 one and a shared PostgreSQL database (a real throwaway cluster). */
class IncidentBookTest {

    static LocalCluster cluster;

    @TempDir
    static Path home;

    static final IncidentBook.Windows WINDOWS = new IncidentBook.Windows(Duration.ofHours(4), Duration.ofMinutes(5), Duration.ofMinutes(10));

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
        return Stream.of(Arguments.of("embedded H2", (Function<Stores.TestClock, StateStore>) clock -> Stores.embedded(home, clock)),
                Arguments.of("shared PostgreSQL", (Function<Stores.TestClock, StateStore>) clock -> {
                    try {
                        return Stores.shared(home, Stores.newDatabase(cluster), clock);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
    }

    static IncidentBook.Action observe(IncidentBook book, Stores.TestClock clock, String key, String target, Priority priority) {
        return book.observe(key, target, key.substring(key.indexOf('|') + 1), priority, "fp-" + key, "summary", clock.instant(), WINDOWS).action();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void aRepeatWithinTheWindowIsCountedNotNotifiedAndAResolutionNotifiesOnce(String kind, Function<Stores.TestClock, StateStore> open) {
        Stores.TestClock clock = new Stores.TestClock();
        try (StateStore store = open.apply(clock)) {
            IncidentBook book = new IncidentBook(store);
            assertEquals(1, book.schemaVersion());
            assertEquals(IncidentBook.Action.TRIGGER, observe(book, clock, "orders|PG_IDLE_IN_TRANSACTION", "orders", Priority.P2));
            clock.advance(Duration.ofMinutes(30));
            assertEquals(IncidentBook.Action.UPDATE, observe(book, clock, "orders|PG_IDLE_IN_TRANSACTION", "orders", Priority.P2));
            IncidentBook.Row row = book.row("orders|PG_IDLE_IN_TRANSACTION").orElseThrow();
            assertEquals(2, row.occurrences());
            assertEquals("open", row.state());
            assertEquals(row.firstSeen().plus(Duration.ofMinutes(30)), row.lastSeen());
            assertEquals(IncidentBook.Action.REPEAT, observe(book, clock, "orders|PG_IDLE_IN_TRANSACTION", "orders", Priority.P1), "worse: notified");
            clock.advance(Duration.ofHours(4));
            assertEquals(IncidentBook.Action.REPEAT, observe(book, clock, "orders|PG_IDLE_IN_TRANSACTION", "orders", Priority.P1), "past the window");
            assertEquals(List.of("orders|PG_IDLE_IN_TRANSACTION"), book.openByFingerprint("fp-orders|PG_IDLE_IN_TRANSACTION"));
            assertEquals(IncidentBook.Action.RESOLVE, book.resolve("orders|PG_IDLE_IN_TRANSACTION", clock.instant()).action());
            assertEquals(IncidentBook.Action.NONE, book.resolve("orders|PG_IDLE_IN_TRANSACTION", clock.instant()).action(), "once");
            assertEquals(List.of(), book.openOf("orders"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void backWithinTheQuietPeriodReopensSilentlyAndLaterTriggersAgain(String kind, Function<Stores.TestClock, StateStore> open) {
        Stores.TestClock clock = new Stores.TestClock();
        try (StateStore store = open.apply(clock)) {
            IncidentBook book = new IncidentBook(store);
            String key = "orders|PG_BLOCKING_CHAIN";
            assertEquals(IncidentBook.Action.TRIGGER, observe(book, clock, key, "orders", Priority.P2));
            book.resolve(key, clock.instant());
            clock.advance(Duration.ofMinutes(3));
            assertEquals(IncidentBook.Action.QUIET, observe(book, clock, key, "orders", Priority.P2));
            assertEquals(IncidentBook.Action.NONE, book.resolve(key, clock.instant()).action(), "a quiet episode resolves quietly");
            clock.advance(Duration.ofMinutes(11));
            assertEquals(IncidentBook.Action.TRIGGER, observe(book, clock, key, "orders", Priority.P2));
            assertEquals(3, book.row(key).orElseThrow().occurrences());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void theSameCauseOnAnotherTargetIsGroupedAndAnAcknowledgedIncidentStaysQuiet(String kind, Function<Stores.TestClock, StateStore> open) {
        Stores.TestClock clock = new Stores.TestClock();
        try (StateStore store = open.apply(clock)) {
            IncidentBook book = new IncidentBook(store);
            assertEquals(IncidentBook.Action.TRIGGER, observe(book, clock, "orders|PG_XID_WRAPAROUND", "orders", Priority.P1));
            clock.advance(Duration.ofMinutes(2));
            assertEquals(IncidentBook.Action.GROUPED, observe(book, clock, "billing|PG_XID_WRAPAROUND", "billing", Priority.P1));
            assertEquals("orders|PG_XID_WRAPAROUND", book.row("billing|PG_XID_WRAPAROUND").orElseThrow().groupKey());
            assertEquals(List.of("billing|PG_XID_WRAPAROUND"), book.grouped("orders|PG_XID_WRAPAROUND"));
            assertNull(book.row("billing|PG_XID_WRAPAROUND").orElseThrow().lastNotified());
            clock.advance(Duration.ofMinutes(10));
            assertEquals(IncidentBook.Action.TRIGGER, observe(book, clock, "sales|PG_XID_WRAPAROUND", "sales", Priority.P1), "past the group window");
            assertEquals(true, book.acknowledge("orders|PG_XID_WRAPAROUND"));
            clock.advance(Duration.ofHours(5));
            assertEquals(IncidentBook.Action.UPDATE, observe(book, clock, "orders|PG_XID_WRAPAROUND", "orders", Priority.P1));
            assertEquals(IncidentBook.Action.RESOLVE, book.resolve("orders|PG_XID_WRAPAROUND", clock.instant()).action());
        }
    }

    @Test
    void twoReplicasSharingTheStoreTriggerAndResolveExactlyOnce() throws Exception {
        Stores.TestClock clock = new Stores.TestClock();
        String url = Stores.newDatabase(cluster);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (StateStore first = Stores.shared(home, url, clock); StateStore second = Stores.shared(home, url, clock);
             StateStore third = Stores.shared(home, url, clock); StateStore fourth = Stores.shared(home, url, clock)) {
            List<IncidentBook> books = List.of(new IncidentBook(first), new IncidentBook(second), new IncidentBook(third), new IncidentBook(fourth));
            List<Callable<IncidentBook.Action>> observations = books.stream()
                    .map(book -> (Callable<IncidentBook.Action>) () -> observe(book, clock, "orders|PG_BLOCKING_CHAIN", "orders", Priority.P1)).toList();
            List<IncidentBook.Action> actions = pool.invokeAll(observations).stream().map(IncidentBookTest::get).toList();
            assertEquals(1, actions.stream().filter(a -> a == IncidentBook.Action.TRIGGER).count(), actions.toString());
            List<Callable<IncidentBook.Action>> resolutions = books.stream()
                    .map(book -> (Callable<IncidentBook.Action>) () -> book.resolve("orders|PG_BLOCKING_CHAIN", clock.instant()).action()).toList();
            List<IncidentBook.Action> resolved = pool.invokeAll(resolutions).stream().map(IncidentBookTest::get).toList();
            assertEquals(1, resolved.stream().filter(a -> a == IncidentBook.Action.RESOLVE).count(), resolved.toString());
            assertEquals(4, books.getFirst().row("orders|PG_BLOCKING_CHAIN").orElseThrow().occurrences());
        } finally {
            pool.shutdownNow();
        }
    }

    private static <T> T get(Future<T> future) {
        try {
            return future.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
