package dbtool.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dbtool.distribution.ConsoleExamples.Block;
import dbtool.plugin.postgres.demo.Incident;
import dbtool.plugin.postgres.demo.LocalCluster;
import dbtool.testkit.DbtoolBundle;
import dbtool.testkit.notify.GitHubIssuesServer;
import dbtool.testkit.notify.PagerDutyEventsServer;
import dbtool.testkit.notify.SlackWebhookServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Examples that cannot lie: every marked console example of the README and the docs (the Book's
 * sessions above all) is run here through the built bundle against the incident its marker names,
 * staged on a real PostgreSQL, and compared with what the page shows (volatile parts blurred by
 * {@link ConsoleExamples#normalise}). A page whose example no longer matches fails; with
 * {@code -Ddbtool.docs.regenerate=true} (scripts/docs --regenerate) the page is rewritten instead.
 *
 * <p>Each example gets a fresh cluster (about a second): pids, connection counts and lock queues
 * of one example never leak into the next.
 */
class DocsExamplesIT {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final boolean REGENERATE = Boolean.getBoolean("dbtool.docs.regenerate");

    @TempDir
    Path home;

    /**
     * What a staging works with: the cluster and its incident, the bundle the session runs (for the
     * environment variables a configuration names), and what to close after the session (the test
     * doubles of notification services).
     */
    private record Stage(LocalCluster cluster, Incident incident, DbtoolBundle bundle, List<AutoCloseable> resources) {
        Path home() {
            return bundle.userHome();
        }
    }

    /** The staged incidents an example may name, and what each leaves for the session to find. */
    private interface Staging {
        /**
         * Stages the incident and returns the members of the configuration's top-level object
         * ({@code "targets": {"orders": ...}}, and any other block the session needs), or null for
         * none; files a session reads go into {@link Stage#home()}, the commands' working directory.
         */
        String stage(Stage stage) throws Exception;
    }

    private static final Map<String, Staging> STAGINGS = Map.ofEntries(
            // an application updated a row and went idle in its transaction; three workers queue behind it
            staging("blocking-chain", stage -> {
                stage.incident().blockingChain("accounts", 4);
                pastLockWaitWarning();
                return targets(stage.cluster(), "");
            }),
            // a report reads invoices, an ALTER TABLE queues behind it, the API's reads queue behind the ALTER
            staging("lock-queue", stage -> {
                stage.incident().lockQueue("invoices");
                pastLockWaitWarning();
                return targets(stage.cluster(), "");
            }),
            // the same chain, and the payload Alertmanager posted for it, saved to a file
            staging("alert", stage -> {
                stage.incident().blockingChain("accounts", 4);
                pastLockWaitWarning();
                Files.writeString(stage.home().resolve("saved-webhook.json"), """
                        {"version": "4", "status": "firing", "receiver": "dbtool", "alerts": [{"status": "firing", "fingerprint": "5b1f0c2a9e",
                          "labels": {"alertname": "PostgresqlBlockingChain", "severity": "critical", "dbtool_target": "orders"},
                          "annotations": {"summary": "sessions blocked on orders"}}]}
                        """);
                return targets(stage.cluster(), "");
            }),
            staging("fleet", DocsExamplesIT::fleet),
            // a pool grew to 14 idle connections on a server with max_connections = 20
            staging("pile-up", stage -> {
                stage.incident().idleConnections("web-pool", 14);
                return targets(stage.cluster(), "");
            }),
            // a report query running for a while, and the threshold lowered so that "a while" is 1 s
            staging("long-query", stage -> {
                stage.incident().longQuery("nightly-report", 3600);
                Thread.sleep(1500);
                return targets(stage.cluster(), ", \"thresholds\": {\"long_query_seconds\": 1}");
            }),
            // the monitoring role's password in the environment is wrong
            staging("wrong-password", stage -> {
                stage.cluster().execute("orders", "CREATE ROLE monitor LOGIN PASSWORD 'right-one' IN ROLE pg_monitor");
                return "\"targets\": {\"orders\": {\"url\": \"postgresql://127.0.0.1:" + stage.cluster().port() + "/orders\", "
                        + "\"auth\": {\"method\": \"password\", \"user\": \"monitor\", \"passwordEnv\": \"ORDERS_PG_PASSWORD\"}}}";
            }),
            // the server's own log after a night of trouble: three failed logins of a stale secret, a
            // deadlock between two transfers, a lock wait longer than deadlock_timeout
            staging("server-log", stage -> {
                LocalCluster cluster = stage.cluster();
                cluster.execute("orders", "CREATE ROLE app LOGIN PASSWORD 'current-secret'");
                for (int i = 0; i < 3; i++) {
                    try (var _ = cluster.connect("orders", "app", "last-years-secret", "billing-api")) {
                        fail("the server accepted a wrong password");
                    } catch (SQLException expected) {
                        // 28P01, logged by the server: the point of this staging
                    }
                }
                stage.incident().deadlock("transfers");
                stage.incident().blockingChain("accounts", 2);
                Thread.sleep(300);
                Files.copy(cluster.logFile(), stage.home().resolve("postgresql.log"));
                return null;
            }),
            staging("triage", DocsExamplesIT::triage),
            staging("change", DocsExamplesIT::change),
            // the configuration the bundle ships as conf/config.example.json, which docs/configuration.md shows
            staging("example-config", stage -> {
                Files.createDirectories(stage.bundle().configFile().getParent());
                Files.copy(stage.bundle().home().resolve("conf").resolve("config.example.json"), stage.bundle().configFile());
                return null;
            }),
            // a configuration with a typo: a target field that does not exist
            staging("broken-config", stage -> {
                Files.createDirectories(stage.bundle().configFile().getParent());
                Files.writeString(stage.bundle().configFile(), """
                        {
                          "targets": {
                            "orders": {"host": "db1.example.com", "url": "postgresql://db1.example.com/orders"}
                          }
                        }
                        """);
                return null;
            }));

    private static Map.Entry<String, Staging> staging(String name, Staging staging) {
        return Map.entry(name, staging);
    }

    /**
     * The blocking chain of "blocking-chain" on a production target of the payments team, with a
     * triage block whose receivers are testkit's Slack, PagerDuty and GitHub doubles on loopback (the
     * secrets in the environment, as in production): the Book's chapter from alert to ticket.
     */
    private static String triage(Stage stage) throws Exception {
        SlackWebhookServer slack = new SlackWebhookServer("/services/T0DBTOOL/B0BOOK/bookSecretPath");
        PagerDutyEventsServer pagerDuty = new PagerDutyEventsServer(PAGERDUTY_KEY);
        GitHubIssuesServer github = new GitHubIssuesServer("example/payments-incidents", GITHUB_TOKEN);
        stage.resources().addAll(List.of(slack, pagerDuty, github));
        stage.bundle().env("SLACK_WEBHOOK_URL", slack.webhookUrl()).env("PAGERDUTY_ROUTING_KEY", PAGERDUTY_KEY).env("GITHUB_TOKEN", GITHUB_TOKEN);
        stage.incident().blockingChain("accounts", 4);
        Thread.sleep(1500);
        // The waiters count as long queries after 1 s (as they would after a minute with the default),
        // and lock waits stay INFO however slow the machine that runs the session is.
        return "\"targets\": {\"orders\": {\"url\": \"" + stage.cluster().url("orders") + "\", \"tags\": [\"prod\", \"payments\"], "
                + "\"thresholds\": {\"long_query_seconds\": 1, \"lock_wait_warning_seconds\": 600}}},\n"
                + "\"triage\": {\"receivers\": {\n"
                + "  \"oncall-slack\": {\"type\": \"slack\", \"url\": {\"env\": \"SLACK_WEBHOOK_URL\"}},\n"
                + "  \"pager\": {\"type\": \"pagerduty\", \"routingKey\": {\"env\": \"PAGERDUTY_ROUTING_KEY\"}, \"url\": \""
                + pagerDuty.base() + "/v2/enqueue\"},\n"
                + "  \"payments-tickets\": {\"type\": \"github\", \"repository\": \"example/payments-incidents\", "
                + "\"token\": {\"env\": \"GITHUB_TOKEN\"}, \"api\": \"" + github.base() + "\"}},\n"
                + " \"routes\": {\"receiver\": \"oncall-slack\", \"routes\": [\n"
                + "  {\"match\": {\"priority\": [\"P1\", \"P2\"]}, \"receiver\": \"pager\", \"continue\": true},\n"
                + "  {\"match\": {\"tag\": \"payments\"}, \"receiver\": \"payments-tickets\", \"continue\": true},\n"
                + "  {\"match\": {\"target\": \"~.*\"}, \"receiver\": \"oncall-slack\"}]}}";
    }

    /**
     * The README's and the docs' configured fleet: {@code prod-orders-pg} with the blocking chain of
     * "blocking-chain", {@code prod-billing-pg} healthy, both tagged prod, and a {@code fleet.txt}
     * naming both.
     */
    private static String fleet(Stage stage) throws Exception {
        stage.cluster().execute("postgres", "CREATE DATABASE billing");
        stage.incident().blockingChain("accounts", 4);
        pastLockWaitWarning();
        Files.writeString(stage.home().resolve("fleet.txt"), "# the databases of the payments team\nprod-orders-pg\nprod-billing-pg\n");
        return "\"targets\": {\"prod-orders-pg\": {\"url\": \"" + stage.cluster().url("orders") + "\", \"tags\": [\"prod\", \"orders\"]},\n"
                + " \"prod-billing-pg\": {\"url\": \"" + stage.cluster().url("billing") + "\", \"tags\": [\"prod\"]}}";
    }

    /**
     * Waits until the staged lock waits are older than lock_wait_warning_seconds (5 s by default),
     * so that they are WARNING on a quiet machine as on a busy one: an example whose waits were just
     * under the threshold changed severity when regenerated under load.
     */
    private static void pastLockWaitWarning() throws InterruptedException {
        Thread.sleep(6000);
    }

    private static final String PAGERDUTY_KEY = "R0UT1NGKEYb00k0123456789abcdefAB";
    private static final String GITHUB_TOKEN = "ghp_bookTokenValue123456789";

    /**
     * An orders database with an invoices table in use, and a folder {@code migrations} of three
     * versions in Flyway's convention for the Book's chapter on changing a production database: a
     * column added (ACCESS EXCLUSIVE, no rewrite), an index built without CONCURRENTLY (SHARE: writes
     * wait), the same index built CONCURRENTLY after it is dropped; version 3 has an undo script.
     */
    private static String change(Stage stage) throws Exception {
        stage.cluster().execute("orders",
                "CREATE TABLE invoices (id bigint PRIMARY KEY, customer_id int NOT NULL, amount numeric(12,2) NOT NULL)",
                "INSERT INTO invoices SELECT g, g % 500, g % 977 FROM generate_series(1, 20000) g",
                "ANALYZE invoices");
        Path migrations = Files.createDirectories(stage.home().resolve("migrations"));
        Files.writeString(migrations.resolve("V1__invoice_status.sql"), "ALTER TABLE invoices ADD COLUMN status text NOT NULL DEFAULT 'open';\n");
        Files.writeString(migrations.resolve("V2__invoices_by_customer.sql"), "CREATE INDEX invoices_customer ON invoices (customer_id);\n");
        Files.writeString(migrations.resolve("V3__invoices_by_status.sql"),
                "CREATE INDEX CONCURRENTLY invoices_status ON invoices (status);\n");
        Files.writeString(migrations.resolve("U3__invoices_by_status.sql"), "DROP INDEX invoices_status;\n");
        return targets(stage.cluster(), "");
    }

    /** Examples that need no server of the test's: `dbtool demo` (which stages its own), `dbtool checks`. */
    private static final String NO_SERVER = "no-server";

    private static String targets(LocalCluster cluster, String extra) {
        return "\"targets\": {\"orders\": {\"url\": \"" + cluster.url("orders") + "\"" + extra + "}}";
    }

    @Test
    void everyMarkedExampleNamesAStagedIncident() {
        List<Block> blocks = ConsoleExamples.blocks(allMarkdown());
        assertTrue(blocks.stream().anyMatch(b -> b.file().getFileName().toString().equals("README.md")), "the README's tour is checked");
        for (Block block : blocks) {
            assertTrue(STAGINGS.containsKey(block.name()) || block.name().equals(NO_SERVER), block.where() + ": no staged incident named " + block.name()
                    + "; known: " + STAGINGS.keySet());
        }
    }

    /**
     * Every example, or with {@code -Ddbtool.docs.only=TEXT} those of the pages whose file name
     * contains TEXT (a writer regenerating one chapter: {@code -Ddbtool.docs.only=07-alert}).
     */
    @TestFactory
    Stream<DynamicTest> eachExampleIsWhatDbtoolPrints() {
        String only = System.getProperty("dbtool.docs.only", "");
        return ConsoleExamples.blocks(allMarkdown()).stream()
                .filter(block -> block.file().getFileName().toString().contains(only))
                .map(block -> DynamicTest.dynamicTest(block.where(), () -> check(block)));
    }

    private static List<Path> allMarkdown() {
        return ConsoleExamples.documentation(ROOT);
    }

    private void check(Block block) throws Exception {
        // A home of its own for each example: what one session leaves in the state store or the
        // data directory (incidents, change history, restore points) never shows in the next.
        Path exampleHome = Files.createTempDirectory(home, "example");
        Staging staging = STAGINGS.get(block.name());
        if (staging == null && !block.name().equals(NO_SERVER)) {
            fail(block.where() + ": no staged incident named " + block.name());
        }
        List<String> actual;
        if (staging == null) {
            actual = ConsoleSession.run(block, DbtoolBundle.locate(exampleHome));
        } else {
            // log_lock_waits and a short deadlock_timeout so that the server's log records the lock
            // trouble staged for the logs chapter within a second; no check reads either setting.
            LocalCluster.Settings settings = LocalCluster.Settings.defaults().withMaxConnections(20)
                    .withConfig("log_lock_waits = on", "deadlock_timeout = '100ms'");
            List<AutoCloseable> resources = new ArrayList<>();
            try (LocalCluster cluster = LocalCluster.start(settings)) {
                cluster.execute("postgres", "CREATE DATABASE orders");
                try (Incident incident = new Incident(cluster, "orders")) {
                    DbtoolBundle bundle = DbtoolBundle.locate(exampleHome).env("ORDERS_PG_PASSWORD", "wrong-one");
                    String config = staging.stage(new Stage(cluster, incident, bundle, resources));
                    if (config != null || !Files.exists(bundle.configFile())) {
                        Files.createDirectories(bundle.configFile().getParent());
                        Files.writeString(bundle.configFile(), "{" + (config == null ? "\"targets\": {}" : config) + "}\n");
                    }
                    actual = ConsoleSession.run(block, bundle);
                }
            } finally {
                for (AutoCloseable resource : resources) {
                    resource.close();
                }
            }
        }
        if (ConsoleExamples.matches(block.lines(), actual)) {
            return;
        }
        if (REGENERATE) {
            ConsoleExamples.rewrite(block, ConsoleExamples.withElisions(block.lines(), actual));
            return;
        }
        assertEquals(String.join("\n", ConsoleExamples.normalise(block.lines())), String.join("\n", ConsoleExamples.normalise(actual)),
                block.where() + ": the example no longer shows what dbtool prints; run scripts/docs --regenerate and review the diff");
    }
}
