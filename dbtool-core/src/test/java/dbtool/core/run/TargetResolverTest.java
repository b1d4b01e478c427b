package dbtool.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.DbtoolException;
import dbtool.core.config.Config;
import dbtool.core.config.ConfigLoader;
import dbtool.core.plugin.PluginDirectory;
import dbtool.core.plugin.PluginDirectory.PluginManifest;
import dbtool.core.plugin.PluginRegistry;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the user typed that names no target or no installed engine. Plugin folders here only
 * declare their schemes in the manifest, as the bundled ones do, so the messages are built
 * without creating a module layer (the successful path runs in the bundle's ITs).
 */
class TargetResolverTest {

    static final Path FILE = Path.of("/home/alice/.config/dbtool/config.json");

    @TempDir
    Path dir;

    private PluginRegistry declaring(String engine, String... schemes) {
        return new PluginRegistry(List.of(new PluginDirectory(engine, dir, "bundle",
                Optional.of(new PluginManifest(engine, List.of(schemes))))));
    }

    private static Config config(String json) {
        return ConfigLoader.parse(FILE, new StringReader(json));
    }

    private static DbtoolException resolveFails(Config config, PluginRegistry plugins, String typed) {
        return assertThrows(DbtoolException.class, () -> new TargetResolver(config, plugins).resolve(typed));
    }

    @Test
    void anUnknownTargetSuggestsTheClosestConfiguredName() {
        Config config = config("{\"targets\": {\"prod-orders-pg\": {\"url\": \"postgresql://db1/orders\"}, \"billing\": {\"url\": \"postgresql://db2/b\"}}}");
        DbtoolException error = resolveFails(config, new PluginRegistry(List.of()), "prod-ordres-pg");
        assertEquals(64, error.exitCode());
        assertEquals("unknown target 'prod-ordres-pg' (did you mean 'prod-orders-pg'?); 'dbtool targets' lists the configured ones",
                error.getMessage());
    }

    @Test
    void anUnknownTargetWithoutAnyConfiguredSaysHowToGiveOne() {
        DbtoolException error = resolveFails(Config.empty(), new PluginRegistry(List.of()), "orders");
        assertEquals(64, error.exitCode());
        assertTrue(error.getMessage().contains("no targets are configured"), error.getMessage());
        assertTrue(error.getMessage().contains("postgresql://host:5432/db"), error.getMessage());
    }

    @Test
    void anUnknownSchemeListsTheInstalledOnesAndSuggestsTheClosest() {
        DbtoolException error = resolveFails(Config.empty(), declaring("postgresql", "postgresql", "postgres"),
                "postgrsql://alice:S3cr3t@db1/orders");
        assertEquals(64, error.exitCode());
        assertTrue(error.getMessage().startsWith("no plugin handles URL scheme 'postgrsql://'"), error.getMessage());
        assertTrue(error.getMessage().contains("(did you mean 'postgresql'?)"), error.getMessage());
        assertTrue(error.getMessage().endsWith("installed plugins handle: postgres://, postgresql://"), error.getMessage());
        assertFalse(error.getMessage().contains("S3cr3t"), error.getMessage());
    }

    @Test
    void withoutPluginsTheMessageSaysSo() {
        DbtoolException error = resolveFails(Config.empty(), new PluginRegistry(List.of()), "oracle://db1/x");
        assertEquals(64, error.exitCode());
        assertTrue(error.getMessage().contains("nothing (no plugins found; see 'dbtool plugins')"), error.getMessage());
    }

    @Test
    void aConfiguredTargetWithAnUnknownSchemeIsAConfigurationError() {
        Config config = config("{\"targets\": {\"legacy\": {\"url\": \"oracle://scott:T1ger@db1/orcl\"}}}");
        DbtoolException error = resolveFails(config, declaring("postgresql", "postgresql"), "legacy");
        assertEquals(78, error.exitCode());
        assertTrue(error.getMessage().startsWith(FILE + ": targets.legacy.url: no plugin handles URL scheme 'oracle://'"),
                error.getMessage());
        assertFalse(error.getMessage().contains("T1ger"), error.getMessage());
    }

    @Test
    void aConfiguredTargetWithAnInvalidUrlIsAConfigurationErrorWithoutThePassword() {
        Config config = config("{\"targets\": {\"orders\": {\"url\": \"postgresql://alice:S3cr3t@db 1/orders\"}}}");
        DbtoolException error = resolveFails(config, declaring("postgresql", "postgresql"), "orders");
        assertEquals(78, error.exitCode());
        assertTrue(error.getMessage().startsWith(FILE + ": targets.orders.url: not a valid URL"), error.getMessage());
        assertFalse(error.getMessage().contains("S3cr3t"), error.getMessage());
    }
}
