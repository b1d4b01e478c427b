package dbtool.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.SimpleFileServer;
import dbtool.plugin.postgres.demo.LocalCluster;
import dbtool.testkit.DbtoolBundle;
import dbtool.testkit.ProcessResult;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/ansible's role, run by Debian's ansible-playbook against this host (connection local) into a temporary
 * prefix, with the release archive and SHA256SUMS this build made: it installs, links, writes a configuration dbtool
 * accepts, a systemd unit that {@code systemd-analyze verify} accepts, the grants of {@code dbtool grants} (applied with
 * psql to a real PostgreSQL); a second run changes nothing; an internal URL works as the source as a folder does; and
 * an archive that does not match SHA256SUMS is refused before anything is unpacked. ansible-lint checks the collection.
 */
class AnsibleRoleIT {

    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    static final Path COLLECTION = ROOT.resolve("deploy/ansible");
    static final Pattern RECAP = Pattern.compile("localhost\\s*:\\s*ok=(\\d+)\\s+changed=(\\d+)\\s+unreachable=(\\d+)\\s+failed=(\\d+)");
    static final Path ANSIBLE = Path.of("/usr/bin/ansible-playbook");

    @TempDir
    static Path work;
    static Path archive;
    static String version;
    static Map<String, String> env;
    static LocalCluster cluster;

    @BeforeAll
    static void prepare() throws Exception {
        assumeTrue(Files.isExecutable(ANSIBLE), "ansible-playbook is not installed: scripts/env.sh installs Debian's ansible as root");
        archive = Path.of(System.getProperty("dbtool.archive"));
        String name = archive.getFileName().toString();
        version = name.substring("dbtool-".length(), name.length() - "-linux-x64.tar.gz".length());
        Path collections = Files.createDirectories(work.resolve("collections/ansible_collections/dbtool"));
        Files.createSymbolicLink(collections.resolve("deploy"), COLLECTION);
        env = new HashMap<>(Map.of("PATH", "/usr/bin:/bin:/usr/sbin:/sbin", "HOME", work.toString(), "LANG", "C.UTF-8",
                "ANSIBLE_COLLECTIONS_PATH", work.resolve("collections").toString(), "ANSIBLE_HOME", work.resolve("ansible-home").toString(),
                "ANSIBLE_NOCOLOR", "1", "ANSIBLE_RETRY_FILES_ENABLED", "false", "ANSIBLE_PYTHON_INTERPRETER", "/usr/bin/python3",
                "ANSIBLE_LOCALHOST_WARNING", "false"));
        env.put("ANSIBLE_INVENTORY_UNPARSED_WARNING", "false");
        Files.writeString(work.resolve("site.yml"), """
                - name: dbtool on this host
                  hosts: localhost
                  connection: local
                  gather_facts: false
                  roles:
                    - role: dbtool.deploy.dbtool
                """);
        cluster = LocalCluster.start(LocalCluster.Settings.defaults());
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        Files.deleteIfExists(work.resolve("collections/ansible_collections/dbtool/deploy"));
    }

    private static Map<String, Object> vars(Path prefix) {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("dbtool_version", version);
        vars.put("dbtool_archive_dir", archive.getParent().toString());
        vars.put("dbtool_prefix", prefix.toString());
        vars.put("dbtool_manage_user", false);
        vars.put("dbtool_user", "daemon");
        vars.put("dbtool_group", "daemon");
        vars.put("dbtool_manage_service", false);
        vars.put("dbtool_targets", Map.of("orders", Map.of("url", cluster.url("postgres"), "tags", List.of("prod"),
                "auth", Map.of("method", "password", "user", "dbtool_ro", "passwordEnv", "ORDERS_PASSWORD"))));
        vars.put("dbtool_alerts", Map.of("rules", List.of(Map.of("match", Map.of("job", "orders-db"), "target", "orders"))));
        vars.put("dbtool_serve_token", "s3cret-serve-token-" + prefix.getFileName());
        vars.put("dbtool_serve_args", List.of("--tag", "prod", "--shard", "0/2"));
        vars.put("dbtool_environment", Map.of("VAULT_ADDR", "https://vault.example.com:8200"));
        vars.put("dbtool_grants", List.of(Map.of("engine", "postgresql", "role", "dbtool_ro", "apply", List.of("psql", "-X", "-q",
                "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", Integer.toString(cluster.port()), "-U", "postgres", "-d", "postgres", "-f"))));
        return vars;
    }

    private static ProcessResult play(Map<String, Object> vars, String name) throws Exception {
        Path file = Files.writeString(work.resolve(name + ".json"), new Gson().toJson(vars));
        return DbtoolBundle.exec(List.of(ANSIBLE.toString(), "-i", "localhost,", "site.yml", "-e", "@" + file), null,
                Duration.ofMinutes(5), env, work);
    }

    /** ok, changed, unreachable, failed from the play recap. */
    private static int[] recap(ProcessResult result) {
        Matcher matcher = RECAP.matcher(result.stdout());
        assertTrue(matcher.find(), result.describe());
        return new int[] {Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)),
                Integer.parseInt(matcher.group(3)), Integer.parseInt(matcher.group(4))};
    }

    @Test
    void installsConfiguresAndASecondRunChangesNothing() throws Exception {
        cluster.execute("postgres", "CREATE ROLE dbtool_ro LOGIN");
        Path prefix = Files.createDirectories(work.resolve("host"));
        ProcessResult first = play(vars(prefix), "first");
        assertEquals(0, first.exitCode(), first.describe());
        assertTrue(recap(first)[1] > 0, first.describe());
        assertFalse(first.stdout().contains("s3cret-serve-token"), "the token is never logged:\n" + first.stdout());

        ProcessResult second = play(vars(prefix), "second");
        assertEquals(0, second.exitCode(), second.describe());
        assertEquals(0, recap(second)[1], "the second run changed something:\n" + second.stdout());

        // dbtool on the PATH, from the unpacked release
        Path dbtool = prefix.resolve("usr/local/bin/dbtool");
        ProcessResult versionRun = DbtoolBundle.exec(List.of(dbtool.toString(), "--version"), null, Duration.ofSeconds(60),
                Map.of("PATH", "/usr/bin:/bin", "HOME", work.toString()), work);
        assertEquals(0, versionRun.exitCode(), versionRun.describe());
        assertTrue(versionRun.stdout().contains(version), versionRun.describe());
        assertEquals(prefix.resolve("opt/dbtool/dbtool-" + version + "-linux-x64"), prefix.resolve("opt/dbtool/current").toRealPath());

        // the configuration, as dbtool reads it
        JsonObject config = JsonParser.parseString(Files.readString(prefix.resolve("etc/dbtool/config.json"))).getAsJsonObject();
        assertEquals(cluster.url("postgres"), config.getAsJsonObject("targets").getAsJsonObject("orders").get("url").getAsString());
        assertEquals("orders", config.getAsJsonObject("alerts").getAsJsonArray("rules").get(0).getAsJsonObject().get("target").getAsString());
        ProcessResult targets = DbtoolBundle.exec(List.of(dbtool.toString(), "targets"), null, Duration.ofSeconds(60),
                Map.of("PATH", "/usr/bin:/bin", "HOME", work.toString(), "DBTOOL_CONFIG", prefix.resolve("etc/dbtool/config.json").toString()), work);
        assertEquals(0, targets.exitCode(), targets.describe());
        assertEquals("600", mode(prefix.resolve("etc/dbtool/serve-token")));

        // the unit: its own user, hardening, the token as a credential, the shard
        Path unit = prefix.resolve("etc/systemd/system/dbtool-serve.service");
        String text = Files.readString(unit);
        for (String line : List.of("User=daemon", "NoNewPrivileges=yes", "ProtectSystem=strict", "PrivateTmp=yes", "StateDirectory=dbtool",
                "LoadCredential=token:" + prefix.resolve("etc/dbtool/serve-token"), "--token-file ${CREDENTIALS_DIRECTORY}/token --tag prod --shard 0/2",
                "Environment=VAULT_ADDR=https://vault.example.com:8200")) {
            assertTrue(text.contains(line), line + " missing in\n" + text);
        }
        assertFalse(text.contains("s3cret"), text);
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        if (Files.isExecutable(analyze)) {
            ProcessResult verify = DbtoolBundle.exec(List.of(analyze.toString(), "verify", "--man=no", unit.toString()), null,
                    Duration.ofSeconds(60), Map.of("PATH", "/usr/bin:/bin", "SYSTEMD_LOG_LEVEL", "warning"), work);
            assertEquals(0, verify.exitCode(), verify.describe());
            assertFalse((verify.stdout() + verify.stderr()).contains("dbtool-serve.service:"), "systemd-analyze has remarks on the unit:\n" + verify.describe());
        }

        // the grants: what `dbtool grants` prints, applied once to the real PostgreSQL
        ProcessResult grants = DbtoolBundle.exec(List.of(dbtool.toString(), "grants", "postgresql", "--role", "dbtool_ro"), null,
                Duration.ofSeconds(60), Map.of("PATH", "/usr/bin:/bin", "HOME", work.toString()), work);
        assertEquals(grants.stdout(), Files.readString(prefix.resolve("etc/dbtool/grants/postgresql-dbtool_ro.sql")));
        try (Connection admin = cluster.connect("postgres")) {
            ResultSet row = admin.createStatement().executeQuery("SELECT pg_has_role('dbtool_ro', 'pg_monitor', 'MEMBER') AS monitor,"
                    + " has_function_privilege('dbtool_ro', 'pg_read_file(text, bigint, bigint, boolean)', 'EXECUTE') AS logs");
            assertTrue(row.next() && row.getBoolean("monitor") && row.getBoolean("logs"));
        }
    }

    @Test
    void anInternalUrlServesAsTheSource() throws Exception {
        HttpServer server = SimpleFileServer.createFileServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                archive.getParent(), SimpleFileServer.OutputLevel.NONE);
        server.start();
        try {
            Path prefix = Files.createDirectories(work.resolve("from-url"));
            Map<String, Object> vars = vars(prefix);
            vars.remove("dbtool_archive_dir");
            vars.remove("dbtool_grants");
            vars.put("dbtool_archive_base_url", "http://127.0.0.1:" + server.getAddress().getPort());
            ProcessResult run = play(vars, "url");
            assertEquals(0, run.exitCode(), run.describe());
            assertTrue(Files.isExecutable(prefix.resolve("opt/dbtool/current/bin/dbtool")));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anArchiveThatDoesNotMatchSha256sumsIsRefusedBeforeAnythingIsUnpacked() throws Exception {
        Path tampered = Files.createDirectories(work.resolve("tampered"));
        Files.createSymbolicLink(tampered.resolve(archive.getFileName()), archive);
        List<String> sums = new ArrayList<>();
        for (String line : Files.readAllLines(archive.getParent().resolve("SHA256SUMS"))) {
            sums.add(line.contains(archive.getFileName().toString()) ? "0".repeat(64) + line.substring(64) : line);
        }
        Files.write(tampered.resolve("SHA256SUMS"), sums);
        Path prefix = Files.createDirectories(work.resolve("refused"));
        Map<String, Object> vars = vars(prefix);
        vars.put("dbtool_archive_dir", tampered.toString());
        ProcessResult run = play(vars, "tampered");
        assertEquals(2, run.exitCode(), run.describe());
        assertTrue(run.stdout().contains("does not match SHA256SUMS"), run.describe());
        assertFalse(Files.exists(prefix.resolve("opt/dbtool/current")), "nothing is installed");
        assertFalse(Files.exists(prefix.resolve("opt/dbtool/archives/" + archive.getFileName())), "the archive is not even copied");
        Files.delete(tampered.resolve(archive.getFileName()));
    }

    @Test
    void ansibleLintAcceptsTheCollection() {
        Path lint = Path.of("/usr/bin/ansible-lint");
        assumeTrue(Files.isExecutable(lint), "ansible-lint is not installed: scripts/env.sh installs Debian's ansible-lint as root");
        Map<String, String> lintEnv = new HashMap<>(env);
        ProcessResult result = DbtoolBundle.exec(List.of(lint.toString(), "--offline", "--nocolor", "roles/dbtool", "playbooks/jumphost.yml"),
                null, Duration.ofMinutes(5), lintEnv, COLLECTION);
        assertEquals(0, result.exitCode(), result.describe());
    }

    private static String mode(Path file) throws Exception {
        return Integer.toOctalString(((Integer) Files.getAttribute(file, "unix:mode")) & 0777);
    }
}
