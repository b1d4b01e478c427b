package dbtool.serve.store;

import dbtool.core.DbtoolException;
import dbtool.core.Environment;
import dbtool.core.plugin.JarLayer;
import dbtool.core.plugin.PluginRegistry;
import dbtool.spi.EnginePlugin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Driver;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the JDBC driver of a state store, without putting either in the runtime image.
 *
 * <p>H2 is an automatic module (its jar names itself {@code com.h2database} in the manifest but has no
 * descriptor), which jlink cannot link: the bundle carries it in {@code store/}, resolved here into a
 * layer of its own on first use, as plugins are (docs/decisions/0009-state-store-h2-in-a-layer.md).
 * PostgreSQL's driver is the one the PostgreSQL plugin already carries, taken from that plugin's layer.
 * Run from the build (tests, an IDE) both are found beside dbtool itself.
 */
public final class StoreDrivers {

    static final String H2 = "org.h2.Driver";
    static final String POSTGRES = "org.postgresql.Driver";

    private StoreDrivers() {
    }

    /** H2's driver: from the class or module path, else from the bundle's {@code store/} folder. */
    public static Driver h2(Environment environment) {
        Optional<Driver> found = find(ServiceLoader.load(Driver.class, StoreDrivers.class.getClassLoader()), H2);
        if (found.isPresent()) {
            return found.get();
        }
        Path folder = environment.bundleHome() == null ? null : environment.bundleHome().resolve("store");
        if (folder == null || !Files.isDirectory(folder)) {
            throw DbtoolException.config("the embedded state store needs H2, which this dbtool has not got"
                    + (folder == null ? "" : " (no folder " + folder + ")")
                    + "; reinstall the bundle, or name a PostgreSQL database under \"state\" in the configuration");
        }
        return fromFolder(folder);
    }

    // One layer per folder and process: a second layer is a second H2 engine, which finds the store's
    // file locked by the first ("Database may be already in use") when two parts of one command open
    // the store (the anomalies check's metric history, then triage's incidents in troubleshoot --notify).
    private static final Map<Path, Driver> H2_LAYERS = new ConcurrentHashMap<>();

    /**
     * H2's driver from the jars of {@code folder}, resolved into a layer of their own on top of the boot
     * layer, once per process.
     */
    static Driver fromFolder(Path folder) {
        return H2_LAYERS.computeIfAbsent(folder.toAbsolutePath().normalize(), StoreDrivers::loadFromFolder);
    }

    private static Driver loadFromFolder(Path folder) {
        ModuleLayer layer = JarLayer.of(JarLayer.jars(folder));
        return find(ServiceLoader.load(layer, Driver.class), H2).orElseThrow(() -> DbtoolException.config(
                "no H2 driver in " + folder + "; reinstall the bundle, or name a PostgreSQL database under \"state\""));
    }

    /** pgjdbc, from the layer of the PostgreSQL plugin (the one dbtool troubleshoots PostgreSQL with). */
    public static Driver postgres(PluginRegistry plugins) {
        EnginePlugin plugin = plugins.engineForScheme("postgresql").orElseThrow(() -> DbtoolException.config(
                "the shared state store is a PostgreSQL database, but no PostgreSQL plugin is installed ('dbtool plugins')"));
        ModuleLayer layer = plugin.getClass().getModule().getLayer();
        ServiceLoader<Driver> loader = layer == null || layer == ModuleLayer.boot()
                ? ServiceLoader.load(Driver.class, plugin.getClass().getClassLoader())
                : ServiceLoader.load(layer, Driver.class);
        return find(loader, POSTGRES).orElseThrow(() -> DbtoolException.config(
                "the PostgreSQL plugin carries no PostgreSQL JDBC driver; reinstall it ('dbtool plugins')"));
    }

    private static Optional<Driver> find(ServiceLoader<Driver> loader, String className) {
        for (ServiceLoader.Provider<Driver> provider : loader.stream().toList()) {
            if (provider.type().getName().equals(className)) {
                return Optional.of(provider.get());
            }
        }
        return Optional.empty();
    }
}
