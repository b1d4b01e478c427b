package dbtool.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dbtool.plugin.postgres.demo.LocalCluster;
import dbtool.testkit.DbtoolBundle;
import dbtool.testkit.Poll;
import dbtool.testkit.ProcessResult;
import java.io.File;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A secret planted in every place a target can hold one (URL user-info, URL properties, query
 * parameters, configuration fields, the environment, near misses of a URL) never comes out: not on
 * stdout, stderr, in the JSON report, the run log (DBTOOL_LOG) or the shell history. Each secret is
 * distinct, so a failure names the place that leaked. Passwords also sit in the text of statements the
 * server shows (a blocking chain of two CREATE ROLE ... PASSWORD): the report quotes those statements, masked.
 */
class PlantedSecretsIT {

    /** Passwords of real roles: these runs connect and report every check. */
    static final String USERINFO = "UserInfoS3cret";
    static final String CONFIG_URL = "ConfigUrlS3cret";
    static final String ENV_NAMED = "EnvNamedS3cret";
    static final String PGPASSWORD = "PgPasswordS3cret";
    /** Secrets in places where dbtool must refuse or ignore them, and still never show them. */
    static final String PROPERTIES = "PropertiesS3cret";
    static final String QUERY = "QueryS3cret";
    static final String CONFIG_OPTION = "ConfigOptionS3cret";
    static final String CONFIG_PROPERTIES = "ConfigPropsS3cret";
    static final String NEAR_MISS = "NearMissS3cret";
    static final String SHELL_SPACE = "ShellSpaceS3cret";
    /** Passwords in server SQL text: a CREATE ROLE holding its transaction open, and a second one waiting behind it. */
    static final String SQL_HOLDING = "SqlHoldingS3cret";
    static final String SQL_WAITING = "SqlWaitingS3cret";

    static LocalCluster cluster;

    @TempDir
    Path home;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalCluster.start(LocalCluster.Settings.defaults());
        cluster.execute("postgres", "CREATE DATABASE shop",
                "CREATE ROLE by_url LOGIN PASSWORD '" + USERINFO + "' IN ROLE pg_monitor",
                "CREATE ROLE by_config LOGIN PASSWORD '" + CONFIG_URL + "' IN ROLE pg_monitor",
                "CREATE ROLE by_env LOGIN PASSWORD '" + ENV_NAMED + "' IN ROLE pg_monitor",
                "CREATE ROLE by_pgpassword LOGIN PASSWORD '" + PGPASSWORD + "' IN ROLE pg_monitor");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void noPlantedSecretComesOutAnywhere() throws Exception {
        int port = cluster.port();
        Path log = home.resolve("run.log");
        DbtoolBundle bundle = DbtoolBundle.locate(home).env("DBTOOL_LOG", log.toString())
                .env("PLANTED_PASSWORD", ENV_NAMED).env("PGPASSWORD", PGPASSWORD);
        Files.createDirectories(bundle.configFile().getParent());
        Files.writeString(bundle.configFile(), """
                {"targets": {
                  "cfg-url": {"url": "postgresql://by_config:%2$s@127.0.0.1:%1$d/shop?sslpassword=%3$s", "tags": ["planted"]},
                  "cfg-env": {"url": "postgresql://127.0.0.1:%1$d/shop", "tags": ["planted"],
                              "auth": {"method": "password", "user": "by_env", "passwordEnv": "PLANTED_PASSWORD"},
                              "options": {"password": "%4$s", "sslpassword": "%4$s"}},
                  "cfg-props": {"url": "sqlserver://127.0.0.1:1;user=u;password=%5$s", "tags": ["planted"]}
                }}
                """.formatted(port, CONFIG_URL, QUERY, CONFIG_OPTION, CONFIG_PROPERTIES));
        Path targetsFile = home.resolve("targets.txt");
        Files.write(targetsFile, List.of("u:" + NEAR_MISS + "@127.0.0.1/db", "postgresql:/u:" + NEAR_MISS + "@h/db",
                "host=127.0.0.1 password=" + NEAR_MISS, "postgresql://127.0.0.1:1;password=" + PROPERTIES + "/db", "cfg-props"));

        String byUrl = "postgresql://by_url:" + USERINFO + "@127.0.0.1:" + port + "/shop?password=" + QUERY + "&sslpassword=" + QUERY;
        String byPgPassword = "postgresql://by_pgpassword@127.0.0.1:" + port + "/shop";
        List<List<String>> commands = List.of(
                List.of("troubleshoot", byUrl),
                List.of("troubleshoot", byUrl, "--format", "json"),
                List.of("troubleshoot", byPgPassword, "--format", "json"),
                List.of("troubleshoot", "cfg-url", "--format", "json"),
                List.of("troubleshoot", "cfg-env"),
                List.of("troubleshoot", "cfg-props", "--format", "json"),
                List.of("troubleshoot", "sqlserver://127.0.0.1:1;user=u;password=" + PROPERTIES, "--format", "json"),
                List.of("troubleshoot", "postgresql://127.0.0.1:1;user=u;password=" + PROPERTIES + "/db"),
                List.of("troubleshoot", "mongodb://127.0.0.1:1;password=" + PROPERTIES),
                List.of("troubleshoot", "u:" + NEAR_MISS + "@127.0.0.1/db"),
                List.of("troubleshoot", "postgresql:/u:" + NEAR_MISS + "@h/db"),
                List.of("troubleshoot", "//u:" + NEAR_MISS + "@h/db"),
                List.of("troubleshoot", "host=h password=" + NEAR_MISS),
                List.of("troubleshoot", "--targets-file", targetsFile.toString(), "--format", "json"),
                List.of("troubleshoot", "--tag", "planted"),
                List.of("targets"));
        StringBuilder shown = new StringBuilder();
        List<ProcessResult> results = new ArrayList<>();
        try (Connection holder = cluster.connect("shop", "postgres", null, "holder")) {
            holder.setAutoCommit(false);
            try (Statement statement = holder.createStatement()) {
                statement.execute("CREATE ROLE contested LOGIN PASSWORD '" + SQL_HOLDING + "'");
            }
            // A thread of its own: on two cores the common pool has one thread, which a blocked task would hold.
            CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> {
                try (Connection waiter = cluster.connect("shop", "postgres", null, "waiter");
                     Statement statement = waiter.createStatement()) {
                    statement.execute("CREATE ROLE contested LOGIN PASSWORD '" + SQL_WAITING + "'");
                } catch (SQLException e) {
                    // the role exists once the holder's transaction ends (rolled back: then this one succeeds)
                }
            }, Thread.ofPlatform().daemon()::start);
            try (Connection watcher = cluster.connect("postgres")) {
                Poll.untilCount(watcher, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'waiter' AND wait_event_type = 'Lock'",
                        n -> n == 1, Duration.ofSeconds(10), "the second CREATE ROLE did not wait");
            }
            for (List<String> command : commands) {
                ProcessResult result = bundle.run(command.toArray(String[]::new));
                results.add(result);
                shown.append(String.join(" ", command.subList(0, 1))).append(":\n").append(result.stdout()).append(result.stderr());
            }
            holder.rollback();
            waiting.join();
        }
        // The statements with passwords were in the reports (masked), so they were searched.
        String json = results.get(1).stdout().replace("\\u0027", "'"); // Gson escapes the quote as a unicode escape
        assertTrue(json.contains("PG_BLOCKING_CHAIN") && json.contains("PASSWORD '****'"), results.get(1).describe());
        // A configured url that is a near miss of a URL: the configuration error quotes it, masked.
        Path nearMissConfig = home.resolve("near-miss.json");
        Files.writeString(nearMissConfig, "{\"targets\": {\"a\": {\"url\": \"by_config:" + NEAR_MISS + "@127.0.0.1/shop\"}}}");
        ProcessResult broken = bundle.env("DBTOOL_CONFIG", nearMissConfig.toString()).run("troubleshoot", "a");
        bundle.env("DBTOOL_CONFIG", null);
        assertEquals(78, broken.exitCode(), broken.describe());
        shown.append(broken.stdout()).append(broken.stderr());

        // The runs that connect did connect (so their whole report was searched), the rest failed as usage errors.
        assertTrue(results.get(0).stdout().contains("PG_CONNECTED"), results.get(0).describe());
        assertTrue(results.get(2).stdout().contains("PG_CONNECTED"), results.get(2).describe());
        assertTrue(results.get(3).stdout().contains("PG_CONNECTED"), results.get(3).describe());
        assertTrue(results.get(4).stdout().contains("PG_CONNECTED"), results.get(4).describe());
        for (int i = 6; i <= 12; i++) {
            assertEquals(64, results.get(i).exitCode(), results.get(i).describe());
        }
        assertEquals(78, results.get(5).exitCode(), results.get(5).describe());

        String history = shellSession(bundle, byUrl);

        Map<String, String> places = new LinkedHashMap<>();
        places.put("stdout, stderr and JSON", shown.toString());
        places.put("the run log", Files.readString(log));
        places.put("the shell history", history);
        List<String> leaks = new ArrayList<>();
        for (String secret : List.of(USERINFO, CONFIG_URL, ENV_NAMED, PGPASSWORD, PROPERTIES, QUERY, CONFIG_OPTION,
                CONFIG_PROPERTIES, NEAR_MISS, SHELL_SPACE, SQL_HOLDING, SQL_WAITING)) {
            places.forEach((place, text) -> {
                if (text.contains(secret)) {
                    leaks.add(secret + " in " + place);
                }
            });
        }
        if (!leaks.isEmpty()) {
            fail("leaked: " + leaks + "\n" + places);
        }
        assertTrue(history.contains("troubleshoot postgresql://by_url:****@127.0.0.1"), history);
        assertTrue(Files.readString(log).contains("u:****@127.0.0.1/db"), "the run log names what was typed, masked");
    }

    /**
     * The interactive shell on a pseudo-terminal (script(1)), as a user at a terminal: lines with a
     * secret, one typed with a leading space. Returns the history file it leaves.
     */
    private String shellSession(DbtoolBundle bundle, String byUrl) throws Exception {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        Assumptions.assumeTrue(java.util.Arrays.stream(path.split(File.pathSeparator))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, "script"))), "script(1) (util-linux) is not installed");
        ProcessBuilder builder = new ProcessBuilder("script", "-qec", bundle.home().resolve("bin").resolve("dbtool").toString(), "/dev/null")
                .directory(home.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().clear();
        builder.environment().putAll(Map.of("PATH", path, "HOME", home.toString(), "XDG_CONFIG_HOME",
                home.resolve(".config").toString(), "JAVA_HOME", System.getProperty("java.home"), "LANG", "C.UTF-8", "TERM", "dumb",
                "DBTOOL_LOG", home.resolve("run.log").toString(), "PGPASSWORD", PGPASSWORD));
        Process process = builder.start();
        try (OutputStream in = process.getOutputStream()) {
            for (String line : List.of(
                    " troubleshoot postgresql://by_url:" + SHELL_SPACE + "@127.0.0.1:1/shop --check connection",
                    "troubleshoot " + byUrl + " --check connection",
                    "troubleshoot u:" + NEAR_MISS + "@127.0.0.1/db",
                    "troubleshoot 'host=h password=" + NEAR_MISS + "'",
                    "troubleshoot sqlserver://127.0.0.1:1;user=u;password=" + PROPERTIES,
                    "exit")) {
                in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                in.flush();
            }
            assertTrue(process.waitFor(90, TimeUnit.SECONDS), "the shell did not end");
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        Path history = home.resolve(".config").resolve("dbtool").resolve("history");
        assertTrue(Files.exists(history), "no history was written");
        return Files.readString(history);
    }
}
