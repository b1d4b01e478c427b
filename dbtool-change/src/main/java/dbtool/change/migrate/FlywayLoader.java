package dbtool.change.migrate;

import dbtool.core.DbtoolException;
import dbtool.core.Environment;
import dbtool.core.IoErrors;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds Flyway without putting it on the module path. Flyway's jars carry no module descriptor
 * and its database modules share packages with each other, so neither jlink nor a module layer
 * takes them; the bundle ships them in {@code change/} and they are loaded here into a class
 * loader of their own, whose parent is the platform loader: Flyway sees the JDK and its own jars,
 * nothing of dbtool. Everything that crosses is a JDK type (a {@code DataSource}, strings,
 * numbers): see {@link Flyway} and docs/decisions/0010-flyway-in-its-own-class-loader.md.
 */
public final class FlywayLoader {

    static final String FLYWAY = "org.flywaydb.core.Flyway";
    /** flyway-sqlserver's database type: present only in the SQL Server loader. */
    static final String SQLSERVER = "org.flywaydb.database.sqlserver.SQLServerDatabaseType";
    /** The bundle's folder for SQL Server, under {@code change/}: flyway-core and flyway-sqlserver 12.4. */
    public static final String SQLSERVER_FOLDER = "sqlserver";
    private static ClassLoader loaded;
    private static ClassLoader sqlServer;

    private FlywayLoader() {
    }

    /** Flyway's loader: the class path when dbtool runs from the build (tests), else the bundle's change/ folder. */
    public static synchronized ClassLoader loader(Environment environment) {
        if (loaded != null) {
            return loaded;
        }
        try {
            Class.forName(FLYWAY, false, ClassLoader.getSystemClassLoader());
            loaded = ClassLoader.getSystemClassLoader();
            return loaded;
        } catch (ClassNotFoundException e) {
            // not beside dbtool: the bundle's folder
        }
        Path folder = environment.bundleHome() == null ? null : environment.bundleHome().resolve("change");
        if (folder == null || !Files.isDirectory(folder)) {
            throw DbtoolException.config("dbtool change needs Flyway, which this dbtool has not got"
                    + (folder == null ? "" : " (no folder " + folder + ")") + "; reinstall the bundle");
        }
        loaded = fromFolder(folder);
        return loaded;
    }

    /**
     * Flyway for SQL Server: flyway-sqlserver 12.4 needs flyway-core 12.4, while PostgreSQL's Flyway is 13, so the
     * bundle ships both in {@code change/sqlserver/}, loaded into a second loader of their own (never the class path,
     * which holds PostgreSQL's Flyway 13 when dbtool runs from the build; tests point {@code bundleHome} at a folder).
     */
    public static synchronized ClassLoader sqlServer(Environment environment) {
        if (sqlServer != null) {
            return sqlServer;
        }
        Path folder = environment.bundleHome() == null ? null : environment.bundleHome().resolve("change").resolve(SQLSERVER_FOLDER);
        if (folder == null || !Files.isDirectory(folder)) {
            throw DbtoolException.config("dbtool change on SQL Server needs Flyway for SQL Server, which this dbtool has not got"
                    + (folder == null ? "" : " (no folder " + folder + ")") + "; reinstall the bundle");
        }
        ClassLoader loader = fromFolder(folder);
        try {
            Class.forName(SQLSERVER, false, loader);
        } catch (ClassNotFoundException e) {
            throw DbtoolException.config("no flyway-sqlserver in " + folder + "; reinstall the bundle");
        }
        sqlServer = loader;
        return sqlServer;
    }

    /** A loader of its own over the jars in {@code folder}, on top of the platform loader. */
    public static ClassLoader fromFolder(Path folder) {
        List<URL> jars = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder, "*.jar")) {
            for (Path jar : stream) {
                jars.add(jar.toUri().toURL());
            }
        } catch (MalformedURLException e) {
            throw DbtoolException.config("cannot read " + folder + ": " + e.getMessage());
        } catch (IOException e) {
            throw DbtoolException.config("cannot read " + folder + ": " + IoErrors.describe(e));
        }
        ClassLoader loader = new URLClassLoader("flyway", jars.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
        try {
            Class.forName(FLYWAY, false, loader);
        } catch (ClassNotFoundException e) {
            throw DbtoolException.config("no Flyway in " + folder + "; reinstall the bundle");
        }
        return loader;
    }
}
