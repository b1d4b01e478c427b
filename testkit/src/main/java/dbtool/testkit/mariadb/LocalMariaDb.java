package dbtool.testkit.mariadb;

import dbtool.testkit.LocalServers;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway MariaDB server from the machine's own binaries (Debian's mariadb-server; .ci/run and
 * scripts/env.sh install it when mariadbd is missing): {@code mariadb-install-db} into a temp dir,
 * {@code mariadbd} on a free loopback port with its socket in the temp dir, root without a
 * password from loopback only. As root it runs with {@code --user=root}. Stopped and deleted on
 * {@link #close}.
 */
public final class LocalMariaDb implements AutoCloseable {

    /** How the server is started. */
    public record Settings(boolean performanceSchema, boolean metadataLockInstrument, int maxConnections, boolean tls) {

        /** performance_schema off (MariaDB's default), 151 connections, no TLS. */
        public static Settings defaults() {
            return new Settings(false, false, 151, false);
        }

        /** performance_schema on and metadata locks recorded, as MySQL 8 does by default. */
        public Settings withMetadataLocks() {
            return new Settings(true, true, maxConnections, tls);
        }

        /** TLS offered with a self-signed certificate for localhost (made with openssl in the temp dir). */
        public Settings withTls() {
            return new Settings(performanceSchema, metadataLockInstrument, maxConnections, true);
        }
    }

    private final Path directory;
    private final int port;
    private final Process process;
    private final Path client;

    private LocalMariaDb(Path directory, int port, Process process, Path client) {
        this.directory = directory;
        this.port = port;
        this.process = process;
        this.client = client;
    }

    /** Whether this machine has the server binaries. */
    public static boolean available() {
        return binary("mariadbd", "mysqld") != null && binary("mariadb-install-db", "mysql_install_db") != null;
    }

    public static LocalMariaDb start(Settings settings) throws IOException, InterruptedException {
        Path server = binary("mariadbd", "mysqld");
        Path install = binary("mariadb-install-db", "mysql_install_db");
        Path client = binary("mariadb", "mysql");
        if (server == null || install == null || client == null) {
            throw new IllegalStateException("no MariaDB server binaries (mariadbd, mariadb-install-db, mariadb): install Debian's"
                    + " mariadb-server (scripts/env.sh does when it may) or set MARIADB_BINDIR");
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        Path directory = Files.createTempDirectory("dbtool-mariadb-");
        try {
            Path data = directory.resolve("data");
            Path tmp = Files.createDirectories(directory.resolve("tmp"));
            List<String> installCommand = new ArrayList<>(List.of(install.toString(), "--no-defaults", "--datadir=" + data,
                    "--auth-root-authentication-method=normal", "--skip-test-db", "--skip-name-resolve"));
            if (root) {
                installCommand.add("--user=root");
            }
            run(installCommand, directory.resolve("install.log"), Duration.ofSeconds(60));
            int port = LocalServers.freePort();
            List<String> command = new ArrayList<>(List.of(server.toString(), "--no-defaults",
                    "--datadir=" + data, "--tmpdir=" + tmp, "--socket=" + directory.resolve("mysqld.sock"),
                    "--port=" + port, "--bind-address=127.0.0.1", "--pid-file=" + directory.resolve("mysqld.pid"),
                    "--log-error=" + directory.resolve("error.log"), "--skip-name-resolve", "--skip-log-bin",
                    "--server-id=1", "--innodb-buffer-pool-size=32M", "--innodb-log-file-size=16M",
                    "--max-connections=" + settings.maxConnections(),
                    "--performance-schema=" + (settings.performanceSchema() ? "ON" : "OFF")));
            if (settings.tls()) {
                run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                        "-keyout", directory.resolve("server-key.pem").toString(), "-out", directory.resolve("server-cert.pem").toString()),
                        directory.resolve("openssl.log"), Duration.ofSeconds(60));
                command.add("--ssl-cert=" + directory.resolve("server-cert.pem"));
                command.add("--ssl-key=" + directory.resolve("server-key.pem"));
            }
            if (settings.metadataLockInstrument()) {
                command.add("--performance-schema-instrument=wait/lock/metadata/sql/mdl=ON");
            }
            if (root) {
                command.add("--user=root");
            }
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(directory.resolve("mariadbd.out").toFile()).start();
            LocalMariaDb db = new LocalMariaDb(directory, port, process, client);
            db.awaitReady(Duration.ofSeconds(60));
            return db;
        } catch (IOException | InterruptedException | RuntimeException e) {
            LocalServers.deleteTree(directory);
            throw e;
        }
    }

    public int port() {
        return port;
    }

    /** A dbtool URL for this server as the given account (no password), e.g. mariadb://root@127.0.0.1:PORT/shop. */
    public String url(String user, String database) {
        return "mariadb://" + user + "@127.0.0.1:" + port + "/" + database;
    }

    /** The JDBC URL tests use to stage incidents (as root, no password). */
    public String jdbcUrl(String database) {
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + database + "?user=root";
    }

    /** Runs statements as root through the mariadb client over the socket; throws with the client's output on failure. */
    public void execute(String... statements) throws IOException, InterruptedException {
        List<String> command = List.of(client.toString(), "--no-defaults", "--socket=" + directory.resolve("mysqld.sock"),
                "--user=root", "--batch", "--execute=" + String.join(";\n", statements));
        run(command, directory.resolve("client.log"), Duration.ofSeconds(60));
    }

    /** The tail of the server's error log, for failure messages. */
    public String errorLog() {
        try {
            List<String> lines = Files.readAllLines(directory.resolve("error.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no error log: " + e.getMessage() + ")";
        }
    }

    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("mariadbd exited with " + process.exitValue() + ":\n" + errorLog());
            }
            if (greets()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IOException("mariadbd did not accept connections within " + timeout.toSeconds() + " s:\n" + errorLog());
    }

    /** The server's first packet is a protocol-10 greeting once it accepts logins. */
    private boolean greets() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            socket.setSoTimeout(2000);
            InputStream in = socket.getInputStream();
            byte[] header = in.readNBytes(5);
            return header.length == 5 && header[4] == 10;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        LocalServers.deleteTree(directory);
    }

    private static void run(List<String> command, Path log, Duration timeout) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(command.getFirst() + " did not finish within " + timeout.toSeconds() + " s");
        }
        if (process.exitValue() != 0) {
            throw new IOException(Path.of(command.getFirst()).getFileName() + " failed (exit " + process.exitValue() + "): "
                    + Files.readString(log, StandardCharsets.UTF_8).strip());
        }
    }

    private static Path binary(String... names) {
        List<Path> folders = new ArrayList<>();
        String configured = System.getenv("MARIADB_BINDIR");
        if (configured != null && !configured.isBlank()) {
            folders.add(Path.of(configured));
        }
        folders.addAll(List.of(Path.of("/usr/sbin"), Path.of("/usr/bin"), Path.of("/usr/local/mysql/bin")));
        String path = System.getenv("PATH");
        if (path != null) {
            for (String entry : path.split(File.pathSeparator)) {
                if (!entry.isBlank()) {
                    folders.add(Path.of(entry));
                }
            }
        }
        for (String name : names) {
            for (Path folder : folders) {
                Path candidate = folder.resolve(name);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }
}
