package dbtool.top;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.plugin.postgres.PostgresPlugin;
import dbtool.plugin.postgres.demo.LocalCluster;
import dbtool.spi.Credentials;
import dbtool.spi.SessionSettings;
import dbtool.spi.Target;
import dbtool.testkit.FreezableProxy;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The refresh worker on a real server: a dropped connection is said and reopened with backoff; the screen keeps the last frame. */
class WatcherTest {

    static LocalCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalCluster.start(LocalCluster.Settings.defaults());
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void aDroppedConnectionIsSaidAndReopenedAfterABackoff() throws Exception {
        AtomicInteger opened = new AtomicInteger();
        PostgresPlugin plugin = new PostgresPlugin();
        Target target = new Target("t", URI.create(cluster.url("postgres")), "postgresql", "127.0.0.1", cluster.port(), "postgres",
                List.of(), Map.of());
        try (Watcher watcher = new Watcher(() -> {
            opened.incrementAndGet();
            return plugin.open(target, Credentials.none(), SessionSettings.defaults());
        }, Duration.ofSeconds(2))) {
            assertTrue(watcher.refresh());
            await(() -> watcher.frame() != null, "the first frame");
            Frame first = watcher.frame();

            // An administrator ends dbtool's backend (or the network drops it).
            cluster.execute("postgres", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'dbtool'");
            await(() -> watcher.refresh(), "the next refresh started");
            await(() -> watcher.status() != null, "the loss said");
            String status = watcher.status();
            assertTrue(status.startsWith("connection lost: ") && status.endsWith("; reconnecting in 1 s"), status);
            assertEquals(first, watcher.frame(), "the last screen stays while it reconnects");
            assertTrue(!watcher.refresh(), "no attempt before the backoff ends");

            Thread.sleep(1100);
            assertTrue(watcher.refresh(), "after the backoff, a new session");
            await(() -> watcher.frame() != first && watcher.status() == null, "a new frame from the new session");
            assertEquals(2, opened.get(), "one session at a time: the first, then one reconnect");
            assertNotNull(watcher.frame().activity());
        }
    }

    @Test
    void aRefreshOverItsBudgetIsShownLateAndTheNextOneIsNotStacked() throws Exception {
        PostgresPlugin plugin = new PostgresPlugin();
        try (FreezableProxy proxy = FreezableProxy.to(cluster.port())) {
            Target target = new Target("t", URI.create("postgresql://postgres@127.0.0.1:" + proxy.port() + "/postgres"), "postgresql",
                    "127.0.0.1", proxy.port(), "postgres", List.of(), Map.of());
            AtomicInteger opened = new AtomicInteger();
            SessionSettings settings = new SessionSettings("dbtool", Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMillis(500));
            try (Watcher watcher = new Watcher(() -> {
                opened.incrementAndGet();
                return plugin.open(target, Credentials.none(), settings);
            }, Duration.ofMillis(500))) {
                assertTrue(watcher.refresh());
                await(() -> watcher.frame() != null, "the first frame");

                proxy.freeze(); // the server stops answering (frozen host, full network buffer)
                assertTrue(watcher.refresh());
                await(() -> watcher.status() != null && watcher.status().startsWith("LATE: the refresh has run"), "the refresh shown late");
                assertTrue(!watcher.refresh(), "no second refresh while the first still waits");
                assertTrue(watcher.status().endsWith("(budget 0.5 s); no other starts before it ends"), watcher.status());
                assertEquals(1, opened.get(), "still the one session");
                proxy.thaw();
            }
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(what + " did not happen within 10 s");
    }
}
