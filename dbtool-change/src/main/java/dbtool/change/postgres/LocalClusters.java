package dbtool.change.postgres;

import dbtool.core.DbtoolException;
import dbtool.spi.EnginePlugin;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The PostgreSQL plugin's {@code LocalCluster} (the throwaway cluster of {@code dbtool demo} and
 * the tests), reached by reflection: the plugin lives in a layer above the boot layer, which
 * dbtool.change cannot name at compile time; the plugin exports the package to dbtool.change.
 */
public final class LocalClusters {

    static final String CLASS = "dbtool.plugin.postgres.demo.LocalCluster";

    private final Class<?> type;

    private LocalClusters(Class<?> type) {
        this.type = type;
    }

    /** The class from the plugin's loader. */
    public static LocalClusters of(EnginePlugin postgres) {
        try {
            return new LocalClusters(Class.forName(CLASS, true, postgres.getClass().getClassLoader()));
        } catch (ClassNotFoundException e) {
            throw DbtoolException.config("this PostgreSQL plugin cannot start a local clone cluster (no " + CLASS + ")");
        }
    }

    /** The server binaries of {@code major} on this machine. */
    @SuppressWarnings("unchecked")
    public Optional<Path> binaries(Map<String, String> env, int major) {
        try {
            return (Optional<Path>) type.getMethod("findBinaries", Map.class, int.class).invoke(null, env, major);
        } catch (ReflectiveOperationException e) {
            return Optional.empty();
        }
    }

    /** A started cluster from {@code binaries}, with a few settings a clone needs. */
    public Running start(Path binaries) throws Exception {
        try {
            Class<?> settingsType = type.getClassLoader().loadClass(CLASS + "$Settings");
            Object settings = settingsType.getMethod("defaults").invoke(null);
            // pg_stat_statements may be missing on a clone host; the clone needs nothing preloaded
            settings = settingsType.getMethod("withConfig", String[].class).invoke(settings,
                    (Object) new String[] {"shared_preload_libraries = ''", "autovacuum = off"});
            Object cluster = type.getMethod("start", settingsType, Path.class).invoke(null, settings, binaries);
            return new Running(cluster, (Integer) type.getMethod("port").invoke(cluster), type.getMethod("close"));
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /** A running cluster: its port; {@link #close()} stops it and deletes its files. */
    public static final class Running implements AutoCloseable {
        private final Object cluster;
        private final int port;
        private final Method close;

        Running(Object cluster, int port, Method close) {
            this.cluster = cluster;
            this.port = port;
            this.close = close;
        }

        public int port() {
            return port;
        }

        @Override
        public void close() {
            try {
                close.invoke(cluster);
            } catch (ReflectiveOperationException e) {
                // the temp folder stays; nothing else to do
            }
        }
    }

    static List<String> classes() {
        return List.of(CLASS);
    }
}
