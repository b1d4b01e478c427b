package dbtool.serve.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.DbtoolException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.ResultSet;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundle's way to H2: a store/ folder resolved into a layer of its own, since jlink cannot link H2. */
class StoreDriversTest {

    @TempDir
    Path bundle;

    @Test
    void h2FromTheBundlesStoreFolderRunsInALayerOfItsOwn() throws Exception {
        Path jar = Path.of(org.h2.Driver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path store = Files.createDirectories(bundle.resolve("store"));
        Files.copy(jar, store.resolve(jar.getFileName()));
        Driver driver = StoreDrivers.fromFolder(store);
        assertEquals("com.h2database", driver.getClass().getModule().getName(), "H2's automatic module name");
        assertNotEquals(ModuleLayer.boot(), driver.getClass().getModule().getLayer());
        try (Connection c = driver.connect("jdbc:h2:mem:probe;MODE=PostgreSQL", new Properties());
             ResultSet rs = c.createStatement().executeQuery("SELECT 1")) {
            assertTrue(rs.next());
        }
    }

    /**
     * Two parts of one command open the store (troubleshoot --notify: the anomalies check's history,
     * then triage's incidents); a second layer would be a second H2 engine, locked out of the file.
     */
    @Test
    void twoOpensInOneProcessShareOneH2() throws Exception {
        Path jar = Path.of(org.h2.Driver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path store = Files.createDirectories(bundle.resolve("store"));
        Files.copy(jar, store.resolve(jar.getFileName()));
        String file = "jdbc:h2:file:" + bundle.resolve("state").resolve("dbtool").toAbsolutePath();
        try (Connection first = StoreDrivers.fromFolder(store).connect(file, new Properties());
             Connection second = StoreDrivers.fromFolder(store).connect(file, new Properties());
             ResultSet rs = second.createStatement().executeQuery("SELECT 1")) {
            assertTrue(first.isValid(1));
            assertTrue(rs.next(), "the second open of the store's file in the same process");
        }
    }

    @Test
    void aBundleWithoutH2SaysWhatToDo() {
        DbtoolException e = assertThrows(DbtoolException.class, () -> StoreDrivers.fromFolder(bundle));
        assertEquals(78, e.exitCode());
        assertEquals("no H2 driver in " + bundle + "; reinstall the bundle, or name a PostgreSQL database under \"state\"", e.getMessage());
    }
}
