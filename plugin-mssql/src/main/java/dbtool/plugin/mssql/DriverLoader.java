package dbtool.plugin.mssql;

import dbtool.spi.TargetConfigurationException;
import java.io.File;
import java.lang.module.ModuleReference;
import java.lang.module.ResolvedModule;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Finds Microsoft's mssql-jdbc driver among the drivers of the plugin's own module layer: the user
 * drops its jar into the plugin's folder, where dbtool resolves it as an automatic module beside
 * jTDS (DriverManager would not see it from there).
 */
public final class DriverLoader {

    static final String PROBE_URL = "jdbc:sqlserver://localhost:1433";

    private DriverLoader() {
    }

    /** The drivers this plugin can see: its layer's, or its class loader's on the class path. */
    public static List<Driver> pluginDrivers() {
        ModuleLayer layer = DriverLoader.class.getModule().getLayer();
        ServiceLoader<Driver> loader = layer != null ? ServiceLoader.load(layer, Driver.class)
                : ServiceLoader.load(Driver.class, DriverLoader.class.getClassLoader());
        List<Driver> drivers = new ArrayList<>();
        Iterator<Driver> iterator = loader.iterator();
        while (true) {
            try {
                if (!iterator.hasNext()) {
                    return drivers;
                }
                drivers.add(iterator.next());
            } catch (ServiceConfigurationError e) {
                // a broken driver jar beside ours must not hide the others
            }
        }
    }

    /** The mssql-jdbc driver among these, or a configuration error naming the target, the field and the folder. */
    public static Driver mssqlJdbc(String targetName, List<Driver> candidates) {
        for (Driver driver : candidates) {
            try {
                if (!(driver instanceof net.sourceforge.jtds.jdbc.Driver) && driver.acceptsURL(PROBE_URL)) {
                    return driver;
                }
            } catch (SQLException e) {
                // not this one
            }
        }
        throw new TargetConfigurationException("target '" + targetName + "': options.driver is \"mssql-jdbc\" but Microsoft's "
                + "JDBC driver is not installed; put mssql-jdbc-<version>.jre11.jar into " + pluginFolder()
                + " (beside the plugin's own jars), or remove \"driver\" to use jTDS");
    }

    /** Where the plugin's jars are, so the message can say exactly where the driver goes. */
    static String pluginFolder() {
        Module module = DriverLoader.class.getModule();
        if (module.getLayer() != null) {
            URI location = module.getLayer().configuration().findModule(module.getName())
                    .map(ResolvedModule::reference).flatMap(ModuleReference::location).orElse(null);
            if (location != null && "file".equals(location.getScheme())) {
                Path folder = Path.of(location).getParent();
                if (folder != null) {
                    return folder + File.separator;
                }
            }
        }
        return "the sqlserver plugin's folder (plugins/sqlserver/ of the dbtool installation)";
    }
}
