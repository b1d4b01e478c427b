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

    @Test
    void aBundleWithoutH2SaysWhatToDo() {
        DbtoolException e = assertThrows(DbtoolException.class, () -> StoreDrivers.fromFolder(bundle));
        assertEquals(78, e.exitCode());
        assertEquals("no H2 driver in " + bundle + "; reinstall the bundle, or name a PostgreSQL database under \"state\"", e.getMessage());
    }
}
