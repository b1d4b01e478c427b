package dbtool.change.postgres;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The database a dry run applies migrations to: a fresh database on a throwaway local cluster of
 * the target's major version, or on a scratch server named in the configuration. Either way it is
 * created for one dry run and discarded by {@link #close()}.
 */
public final class Clone implements AutoCloseable {

    private final Connections server;
    private final Connections database;
    private final PgTools tools;
    private final String description;
    private final AutoCloseable cluster;

    private Clone(Connections server, Connections database, PgTools tools, String description, AutoCloseable cluster) {
        this.server = server;
        this.database = database;
        this.tools = tools;
        this.description = description;
        this.cluster = cluster;
    }

    /** A throwaway cluster from {@code binaries} (the target's major version). */
    public static Clone local(LocalClusters clusters, Path binaries, Driver driver) throws Exception {
        LocalClusters.Running running = clusters.start(binaries);
        try {
            Connections server = new Connections(driver, "127.0.0.1", running.port(), "postgres", "postgres", null, Map.of(),
                    "dbtool-change-clone");
            Clone clone = create(server, new PgTools(binaries), "a throwaway local cluster (" + binaries + ", port " + running.port() + ")",
                    running);
            return clone;
        } catch (Exception e) {
            running.close();
            throw e;
        }
    }

    /** A database created for this dry run on a scratch server (its role needs CREATEDB). */
    public static Clone scratch(Connections server, PgTools tools) throws SQLException {
        return create(server, tools, "scratch server " + server.describe(), null);
    }

    private static Clone create(Connections server, PgTools tools, String description, AutoCloseable cluster) throws SQLException {
        byte[] random = new byte[4];
        new SecureRandom().nextBytes(random);
        String name = "dbtool_clone_" + HexFormat.of().formatHex(random);
        try (Connection c = server.write(Duration.ofSeconds(5)); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return new Clone(server, server.database(name), tools, description, cluster);
    }

    public Connections connections() {
        return database;
    }

    public String description() {
        return description;
    }

    /**
     * Loads a plain {@code pg_dump --schema-only} file with psql. Statements that fail (an extension
     * this host lacks) do not stop the load: their errors are returned for the report.
     */
    public List<String> loadSchema(Path dump) throws IOException {
        String stderr = tools.run("psql", List.of("-X", "-q", "-v", "ON_ERROR_STOP=0", "-f", dump.toString()),
                database.libpqEnvironment(null), null, Duration.ofMinutes(10));
        return stderr.lines().filter(l -> l.contains("ERROR:")).map(String::strip).toList();
    }

    @Override
    public void close() {
        if (cluster != null) {
            try {
                cluster.close();
            } catch (Exception e) {
                // a stuck server is deleted with its folder
            }
            return;
        }
        try (Connection c = server.write(Duration.ofSeconds(5)); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database.database() + " WITH (FORCE)");
        } catch (SQLException e) {
            // left behind on the scratch server: its name says what it is
        }
    }
}
