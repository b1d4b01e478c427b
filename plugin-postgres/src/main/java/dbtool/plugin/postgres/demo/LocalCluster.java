package dbtool.plugin.postgres.demo;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.postgresql.Driver;

/**
 * A throwaway PostgreSQL cluster from this machine's server binaries: {@code initdb} into a
 * temporary folder, a free loopback port, the socket in the same folder; stopped and deleted by
 * {@link #close()}. As root it runs the server as the {@code postgres} user, which PostgreSQL
 * requires. Used by {@code dbtool demo} and by the tests.
 *
 * <p>Authentication: the {@code postgres} superuser is trusted from 127.0.0.1; every other role
 * needs its password (scram-sha-256), so tests can stage wrong passwords.
 */
public final class LocalCluster implements AutoCloseable {

    /**
     * How a cluster is set up.
     *
     * @param tls a PEM certificate and key to serve TLS with (ssl = on), or null
     */
    public record Settings(int maxConnections, List<String> extraConfig, List<String> extraHba, Path[] tls) {
        public static Settings defaults() {
            return new Settings(40, List.of(), List.of(), null);
        }

        public Settings withMaxConnections(int value) {
            return new Settings(value, extraConfig, extraHba, tls);
        }

        public Settings withConfig(String... lines) {
            List<String> all = new ArrayList<>(extraConfig);
            all.addAll(List.of(lines));
            return new Settings(maxConnections, all, extraHba, tls);
        }

        public Settings withHba(String... lines) {
            List<String> all = new ArrayList<>(extraHba);
            all.addAll(List.of(lines));
            return new Settings(maxConnections, extraConfig, all, tls);
        }

        public Settings withTls(Path certificate, Path key) {
            return new Settings(maxConnections, extraConfig, extraHba, new Path[] {certificate, key});
        }
    }

    private final Path binaries;
    private final Path base;
    private final Path data;
    private final int port;
    private final boolean asPostgresUser;
    private boolean running;

    private LocalCluster(Path binaries, Path base, int port, boolean asPostgresUser) {
        this.binaries = binaries;
        this.base = base;
        this.data = base.resolve("data");
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /**
     * The folder with {@code initdb} and {@code pg_ctl}: {@code PG_BINDIR}, else the newest of
     * Debian's /usr/lib/postgresql/N/bin, RHEL's /usr/pgsql-N/bin, /usr/local/pgsql/bin, else PATH.
     */
    public static Optional<Path> findBinaries(Map<String, String> env) {
        List<Path> candidates = new ArrayList<>();
        Optional.ofNullable(env.get("PG_BINDIR")).filter(s -> !s.isBlank()).map(Path::of).ifPresent(candidates::add);
        candidates.addAll(versioned(Path.of("/usr/lib/postgresql"), "", "bin"));
        candidates.addAll(versioned(Path.of("/usr"), "pgsql-", "bin"));
        candidates.add(Path.of("/usr/local/pgsql/bin"));
        for (String dir : env.getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isBlank()) {
                candidates.add(Path.of(dir));
            }
        }
        return candidates.stream()
                .filter(dir -> Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("pg_ctl")))
                .findFirst();
    }

    /**
     * The server binaries of one major version (a clone must match its target's): {@code PG_BINDIR}
     * when its {@code PG_VERSION}-named parent says so, Debian's /usr/lib/postgresql/N/bin, RHEL's
     * /usr/pgsql-N/bin.
     */
    public static Optional<Path> findBinaries(Map<String, String> env, int major) {
        List<Path> candidates = new ArrayList<>();
        candidates.add(Path.of("/usr/lib/postgresql", Integer.toString(major), "bin"));
        candidates.add(Path.of("/usr/pgsql-" + major, "bin"));
        Optional.ofNullable(env.get("PG_BINDIR")).filter(s -> !s.isBlank()).map(Path::of)
                .filter(dir -> dir.toString().contains("/" + major + "/") || dir.toString().contains("-" + major + "/"))
                .ifPresent(candidates::add);
        return candidates.stream()
                .filter(dir -> Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("pg_ctl")))
                .findFirst();
    }

    /** Subfolders like 15/bin or pgsql-16/bin, newest version first. */
    private static List<Path> versioned(Path parent, String prefix, String bin) {
        if (!Files.isDirectory(parent)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(parent)) {
            return children.filter(p -> p.getFileName().toString().startsWith(prefix))
                    .filter(p -> p.getFileName().toString().substring(prefix.length()).matches("\\d+(\\.\\d+)?"))
                    .sorted(Comparator.comparingDouble((Path p) -> Double.parseDouble(p.getFileName().toString().substring(prefix.length()))).reversed())
                    .map(p -> p.resolve(bin)).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The message for a machine without server binaries: what to install. */
    public static String missingBinariesMessage() {
        return "no PostgreSQL server binaries found (initdb and pg_ctl in PG_BINDIR, /usr/lib/postgresql/*/bin, "
                + "/usr/pgsql-*/bin or PATH); install them with 'apt-get install postgresql' (Debian, Ubuntu) or "
                + "'dnf install postgresql-server' (RHEL), or set PG_BINDIR";
    }

    public static LocalCluster start(Settings settings) throws IOException {
        return start(settings, findBinaries(System.getenv()).orElseThrow(() -> new IOException(missingBinariesMessage())));
    }

    /** A cluster from the binaries in {@code binaries} (initdb, pg_ctl and the server of one version). */
    public static LocalCluster start(Settings settings, Path binaries) throws IOException {
        boolean root = "root".equals(System.getProperty("user.name"));
        Path base = Files.createTempDirectory("dbtool-pg-");
        LocalCluster cluster = new LocalCluster(binaries, base, freePort(), root);
        try {
            cluster.initialise(settings);
            cluster.startServer();
            return cluster;
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private void initialise(Settings settings) throws IOException {
        if (asPostgresUser) {
            UserPrincipal postgres;
            try {
                postgres = base.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            } catch (IOException e) {
                throw new IOException("running as root, but there is no 'postgres' user to run the server as", e);
            }
            Files.setOwner(base, postgres);
        }
        run(List.of(binaries.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "-A", "trust",
                "-E", "UTF8", "--locale=C", "--no-sync"), 120);
        List<String> config = new ArrayList<>(List.of(
                "listen_addresses = '127.0.0.1'",
                "port = " + port,
                "unix_socket_directories = '" + base + "'",
                "max_connections = " + settings.maxConnections(),
                "superuser_reserved_connections = 3",
                "shared_buffers = 16MB",
                // a throwaway cluster: durability buys nothing, speed does
                "fsync = off",
                "synchronous_commit = off",
                "full_page_writes = off",
                "shared_preload_libraries = 'pg_stat_statements'",
                "wal_level = replica",
                "max_wal_senders = 4",
                "max_replication_slots = 4",
                "max_prepared_transactions = 5",
                "log_min_messages = warning",
                "log_line_prefix = '%m [%p] %u@%d '"));
        if (settings.tls() != null) {
            // The server reads its key only when it is private to the server's user.
            Path certificate = Files.copy(settings.tls()[0], data.resolve("server.crt"));
            Path key = Files.copy(settings.tls()[1], data.resolve("server.key"));
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
            if (asPostgresUser) {
                UserPrincipal postgres = base.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
                Files.setOwner(certificate, postgres);
                Files.setOwner(key, postgres);
            }
            config.add("ssl = on");
        }
        config.addAll(settings.extraConfig());
        Files.writeString(data.resolve("postgresql.conf"), "\n# dbtool throwaway cluster\n" + String.join("\n", config) + "\n",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        List<String> hba = new ArrayList<>(List.of(
                "local all all trust",
                "host all postgres 127.0.0.1/32 trust"));
        hba.addAll(settings.extraHba());
        hba.add("host all all 127.0.0.1/32 scram-sha-256");
        Files.writeString(data.resolve("pg_hba.conf"), String.join("\n", hba) + "\n", StandardCharsets.UTF_8);
    }

    private void startServer() throws IOException {
        try {
            run(List.of(binaries.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", base.resolve("server.log").toString(),
                    "-w", "-t", "60", "start"), 90);
        } catch (IOException e) {
            throw new IOException(e.getMessage() + "; server log: " + tail(base.resolve("server.log")), e);
        }
        running = true;
    }

    public int port() {
        return port;
    }

    /** The folder of the server binaries it runs (and of the matching pg_dump, pg_restore and psql). */
    public Path binaries() {
        return binaries;
    }

    public Path dataDirectory() {
        return data;
    }

    /** The server's log file (stderr of the server, with the configured log_line_prefix). */
    public Path logFile() {
        return base.resolve("server.log");
    }

    /** The server's log so far, for test failure messages. */
    public String log() {
        return tail(base.resolve("server.log"));
    }

    /** URL for dbtool, as the trusted superuser. */
    public String url(String database) {
        return "postgresql://postgres@127.0.0.1:" + port + "/" + database;
    }

    /** A JDBC connection as the trusted superuser; autocommit on. */
    public Connection connect(String database) throws SQLException {
        return connect(database, "postgres", null, null);
    }

    /** A JDBC connection as the given role, tagged with an application name. */
    public Connection connect(String database, String user, String password, String applicationName) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        if (password != null) {
            properties.setProperty("password", password);
        }
        if (applicationName != null) {
            properties.setProperty("ApplicationName", applicationName);
        }
        properties.setProperty("connectTimeout", "10");
        Connection connection = new Driver().connect("jdbc:postgresql://127.0.0.1:" + port + "/" + database, properties);
        if (connection == null) {
            throw new SQLException("driver refused the URL");
        }
        return connection;
    }

    /** Runs SQL statements as the superuser, each in its own autocommit transaction. */
    public void execute(String database, String... statements) throws SQLException {
        try (Connection connection = connect(database); var statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    /** Stops the server (immediately: nothing here is worth a checkpoint) and deletes its files. */
    @Override
    public void close() {
        if (running) {
            try {
                run(List.of(binaries.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"), 60);
            } catch (IOException e) {
                // Deleting the folder below also removes the socket; a stuck server is killed with it.
            }
            running = false;
        }
        delete(base);
    }

    private void run(List<String> command, int timeoutSeconds) throws IOException {
        List<String> full = new ArrayList<>();
        if (asPostgresUser) {
            // PostgreSQL refuses to run as root.
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        Path output = Files.createTempFile("dbtool-pg-cmd-", ".log");
        try {
            Process process = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(output.toFile())
                    .directory(base.toFile()).start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(command.getFirst() + " did not finish within " + timeoutSeconds + " s");
            }
            if (process.exitValue() != 0) {
                throw new IOException(Path.of(command.getFirst()).getFileName() + " failed (exit " + process.exitValue() + "): "
                        + Files.readString(output).strip().replaceAll("\\s+", " "));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.getFirst(), e);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static void delete(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // A leftover temp folder is not worth failing for.
        }
    }
}
