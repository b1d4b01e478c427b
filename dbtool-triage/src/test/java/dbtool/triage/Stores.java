package dbtool.triage;

import dbtool.core.Environment;
import dbtool.core.config.Config;
import dbtool.core.plugin.LoadedPlugin;
import dbtool.core.plugin.PluginDirectory;
import dbtool.core.plugin.PluginRegistry;
import dbtool.plugin.postgres.PostgresPlugin;
import dbtool.plugin.postgres.demo.LocalCluster;
import dbtool.serve.store.StateStore;
import dbtool.serve.store.StoreConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Both state stores, as serve's tests open them: embedded H2 in a fresh folder, or a fresh database on a real PostgreSQL. */
final class Stores {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private Stores() {
    }

    /** A settable clock: windows are tested without sleeping. */
    static final class TestClock extends Clock {
        final AtomicLong millis = new AtomicLong(Instant.parse("2026-12-07T10:00:00Z").toEpochMilli());

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
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

    static StateStore embedded(Path home, Clock clock) {
        Environment environment = new Environment(Map.of("XDG_DATA_HOME", home.resolve("data-" + COUNTER.incrementAndGet()).toString()), home, "Linux", null);
        return StoreConfig.of(Config.empty(), environment).open(environment, PluginRegistry.ofLoaded(List.of()), clock);
    }

    /** A new database on {@code cluster}; {@link #shared(Path, String, Clock)} opens more stores on it (replicas). */
    static String newDatabase(LocalCluster cluster) throws Exception {
        String name = "triage_" + COUNTER.incrementAndGet();
        cluster.execute("postgres", "CREATE DATABASE " + name);
        return "postgresql://postgres@127.0.0.1:" + cluster.port() + "/" + name;
    }

    static StateStore shared(Path home, String url, Clock clock) {
        Config config = Fixtures.config("{\"state\": {\"url\": \"" + url + "\"}}");
        Environment environment = new Environment(Map.of(), home, "Linux", null);
        return StoreConfig.of(config, environment).open(environment, postgres(home), clock);
    }

    static PluginRegistry postgres(Path home) {
        return PluginRegistry.ofLoaded(List.of(new LoadedPlugin(new PluginDirectory("postgresql", home, "bundle", Optional.empty()),
                List.of("dbtool.plugin.postgres"), List.of(new PostgresPlugin()), List.of(), List.of(), List.of(), List.of(), Optional.empty())));
    }
}
