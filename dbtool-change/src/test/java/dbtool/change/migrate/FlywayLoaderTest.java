package dbtool.change.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.DbtoolException;
import dbtool.core.Environment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flyway from a folder of jars, as the bundle's change/ folder holds them: a loader of its own above the platform loader. */
class FlywayLoaderTest {

    @TempDir
    Path folder;

    @Test
    void flywayAndItsPostgresSupportLoadFromAFolderInALoaderOfTheirOwn() throws Exception {
        for (String type : List.of("org.flywaydb.core.Flyway", "org.flywaydb.database.postgresql.PostgreSQLDatabaseType",
                "org.flywaydb.database.cockroachdb.CockroachDBDatabaseType")) {
            Path jar = Path.of(Class.forName(type).getProtectionDomain().getCodeSource().getLocation().toURI());
            Files.copy(jar, folder.resolve(jar.getFileName()));
        }
        ClassLoader loader = FlywayLoader.fromFolder(folder);
        Class<?> flyway = loader.loadClass("org.flywaydb.core.Flyway");
        assertNotSame(Class.forName("org.flywaydb.core.Flyway"), flyway, "not the class path's Flyway");
        assertEquals(ClassLoader.getPlatformClassLoader(), loader.getParent(), "Flyway sees the JDK and its own jars only");
        Class<?> plugin = loader.loadClass("org.flywaydb.core.extensibility.Plugin");
        List<String> plugins = new ArrayList<>();
        ServiceLoader.load(plugin, loader).stream().forEach(p -> plugins.add(p.type().getName()));
        assertTrue(plugins.contains("org.flywaydb.database.postgresql.PostgreSQLDatabaseType"), plugins.toString());
    }

    @Test
    void sqlServersFlyway12LoadsFromTheBundlesSecondFolderBesideTheClassPathsFlyway13() throws Exception {
        // target/test-bundle/change/sqlserver: what the distribution ships there, copied by this module's pom
        ClassLoader loader = FlywayLoader.sqlServer(new Environment(Map.of(), folder, "Linux", Path.of("target", "test-bundle").toAbsolutePath()));
        Class<?> flyway = loader.loadClass("org.flywaydb.core.Flyway");
        assertNotSame(Class.forName("org.flywaydb.core.Flyway"), flyway, "not the class path's Flyway 13");
        assertTrue(flyway.getProtectionDomain().getCodeSource().getLocation().getPath().endsWith("flyway-core-12.4.0.jar"));
        Class<?> plugin = loader.loadClass("org.flywaydb.core.extensibility.Plugin");
        List<String> plugins = new ArrayList<>();
        ServiceLoader.load(plugin, loader).stream().forEach(p -> plugins.add(p.type().getName()));
        assertTrue(plugins.contains("org.flywaydb.database.sqlserver.SQLServerDatabaseType"), plugins.toString());
        assertFalse(plugins.contains("org.flywaydb.database.postgresql.PostgreSQLDatabaseType"), plugins.toString());
    }

    @Test
    void aMissingFolderIsOneLine() {
        DbtoolException e = assertThrows(DbtoolException.class, () -> FlywayLoader.fromFolder(folder.resolve("none")));
        assertTrue(e.getMessage().startsWith("cannot read " + folder.resolve("none")), e.getMessage());
    }

    @Test
    void aFolderWithoutFlywayIsOneLine() {
        DbtoolException e = assertThrows(DbtoolException.class, () -> FlywayLoader.fromFolder(folder));
        assertEquals("no Flyway in " + folder + "; reinstall the bundle", e.getMessage());
    }
}
