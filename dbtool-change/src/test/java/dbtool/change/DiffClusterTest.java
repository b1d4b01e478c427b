package dbtool.change;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dbtool.plugin.mariadb.MariaDbPlugin;
import dbtool.plugin.postgres.PostgresPlugin;
import dbtool.plugin.postgres.demo.LocalCluster;
import dbtool.spi.EnginePlugin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dbtool diff between two real throwaway PostgreSQL clusters: identical databases give no finding; each staged
 * difference (a missing index, an extra column, a changed column type, a missing constraint, a different function
 * body, a missing extension, a different work_mem, a missing role) is one finding whose statements, run on B,
 * leave a second diff clean. Bad input is one line and a usage exit code.
 */
class DiffClusterTest {

    private static final List<EnginePlugin> PLUGINS = List.of(new PostgresPlugin(), new MariaDbPlugin());

    /** The same on both sides: roles (cluster-wide) in database postgres, the rest in each database. */
    private static final String[] ROLES = {"CREATE ROLE reporting NOLOGIN", "CREATE ROLE app_user LOGIN", "GRANT reporting TO app_user"};
    private static final String[] SCHEMA = {
        "CREATE EXTENSION citext",
        "CREATE SCHEMA sales",
        "CREATE TABLE sales.customers (id int PRIMARY KEY, email citext NOT NULL, region text)",
        "CREATE TABLE sales.orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, customer_id int NOT NULL"
                + " REFERENCES sales.customers (id), total numeric(10,2) NOT NULL DEFAULT 0, note text)",
        "CREATE INDEX orders_customer ON sales.orders (customer_id)",
        "CREATE FUNCTION sales.order_total(o bigint) RETURNS numeric LANGUAGE sql STABLE AS $$ SELECT total FROM sales.orders WHERE id = o $$",
        "CREATE TABLE public.audit (at timestamptz DEFAULT now(), what text)"};

    private static LocalCluster a;
    private static LocalCluster b;

    @TempDir
    Path home;

    @BeforeAll
    static void start() throws Exception {
        a = LocalCluster.start(LocalCluster.Settings.defaults());
        b = LocalCluster.start(LocalCluster.Settings.defaults());
        for (LocalCluster cluster : List.of(a, b)) {
            cluster.execute("postgres", ROLES);
            for (String database : List.of("same", "staged")) {
                cluster.execute("postgres", "CREATE DATABASE " + database);
                cluster.execute(database, SCHEMA);
            }
        }
    }

    @AfterAll
    static void stop() {
        for (LocalCluster cluster : new LocalCluster[] {a, b}) {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    private ChangeRun diff(String... args) throws Exception {
        Files.writeString(home.resolve("config.json"), """
                {"targets": {
                  "staging": {"url": "%s"}, "prod": {"url": "%s"},
                  "staging-same": {"url": "%s"}, "prod-same": {"url": "%s"},
                  "shop-maria": {"url": "mariadb://127.0.0.1:3306/shop"}}}
                """.formatted(a.url("staged"), b.url("staged"), a.url("same"), b.url("same")));
        List<String> argv = new ArrayList<>(List.of("diff"));
        argv.addAll(List.of(args));
        return ChangeRun.dbtool(home, PLUGINS, argv);
    }

    private static JsonArray findings(ChangeRun run) {
        JsonObject report = JsonParser.parseString(run.out()).getAsJsonObject();
        JsonObject check = report.getAsJsonArray("checks").get(0).getAsJsonObject();
        assertEquals("parity", check.get("id").getAsString(), run.toString());
        assertTrue(check.get("error").isJsonNull(), run.toString());
        return check.getAsJsonArray("findings");
    }

    /** code + " " + kind:schema.name of each finding, to the finding. */
    private static Map<String, JsonObject> byObject(JsonArray findings) {
        Map<String, JsonObject> found = new TreeMap<>();
        for (JsonElement element : findings) {
            JsonObject finding = element.getAsJsonObject();
            JsonObject evidence = finding.getAsJsonObject("evidence");
            String schema = evidence.has("schema") ? evidence.get("schema").getAsString() + "." : "";
            found.put(finding.get("code").getAsString() + " " + schema + evidence.get("name").getAsString(), finding);
        }
        return found;
    }

    @Test
    void identicalDatabasesHaveNoFindingAndExitZero() throws Exception {
        ChangeRun run = diff("staging-same", "prod-same", "--format", "json");
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals(0, findings(run).size(), run.toString());

        ChangeRun text = diff("staging-same", "prod-same");
        assertEquals(0, text.exitCode(), text.toString());
        assertTrue(text.out().contains("reference: staging-same"), text.toString());
    }

    @Test
    void eachStagedDifferenceIsAFindingAndItsStatementsAlignB() throws Exception {
        b.execute("staged",
                "DROP INDEX sales.orders_customer",
                "ALTER TABLE sales.orders ADD COLUMN discount int",
                "ALTER TABLE sales.customers ALTER COLUMN region TYPE varchar(20)",
                "ALTER TABLE sales.orders DROP CONSTRAINT orders_customer_id_fkey",
                "CREATE OR REPLACE FUNCTION sales.order_total(o bigint) RETURNS numeric LANGUAGE sql STABLE AS $$ SELECT total * 2 FROM sales.orders WHERE id = o $$",
                "DROP TABLE public.audit");
        a.execute("staged", "CREATE EXTENSION hstore");
        b.execute("postgres", "ALTER SYSTEM SET work_mem = '12MB'", "SELECT pg_reload_conf()", "CREATE ROLE auditor NOLOGIN");
        a.execute("postgres", "CREATE ROLE only_on_a NOLOGIN CREATEDB");
        try {
            ChangeRun run = diff("staging", "prod", "--format", "json");
            assertEquals(1, run.exitCode(), run.toString());
            Map<String, JsonObject> found = byObject(findings(run));
            Map<String, String> expected = new TreeMap<>(Map.of(
                    "PARITY_INDEX sales.orders_customer", "missing",
                    "PARITY_COLUMN sales.orders.discount", "extra",
                    "PARITY_COLUMN sales.customers.region", "differs",
                    "PARITY_CONSTRAINT sales.orders.orders_customer_id_fkey", "missing",
                    "PARITY_FUNCTION sales.order_total(o bigint)", "differs",
                    "PARITY_EXTENSION hstore", "missing",
                    "PARITY_SETTING work_mem", "differs",
                    "PARITY_ROLE only_on_a", "missing",
                    "PARITY_ROLE auditor", "extra",
                    "PARITY_TABLE public.audit", "missing"));
            for (Map.Entry<String, String> want : expected.entrySet()) {
                JsonObject finding = found.get(want.getKey());
                assertTrue(finding != null, want.getKey() + " not found in " + found.keySet());
                assertEquals(want.getValue(), finding.getAsJsonObject("evidence").get("difference").getAsString(), want.getKey());
                assertFalse(finding.getAsJsonObject("evidence").getAsJsonArray("statements").isEmpty(), want.getKey());
            }
            // The table's columns come with its CREATE TABLE, not as findings of their own.
            assertEquals(expected.keySet(), found.keySet(), run.toString());
            assertEquals("INFO", found.get("PARITY_SETTING work_mem").get("severity").getAsString());
            assertEquals("WARNING", found.get("PARITY_INDEX sales.orders_customer").get("severity").getAsString());
            assertTrue(found.get("PARITY_COLUMN sales.customers.region").get("title").getAsString()
                    .contains("type 'text' on staging, 'character varying(20)' on prod"), run.toString());
            assertEquals("docs/playbooks/environment-parity.md#parity_index",
                    found.get("PARITY_INDEX sales.orders_customer").get("playbook").getAsString());

            // The text report prints the same statements.
            ChangeRun text = diff("staging", "prod");
            assertEquals(1, text.exitCode(), text.toString());
            assertTrue(text.out().contains("CREATE INDEX CONCURRENTLY orders_customer ON sales.orders USING btree (customer_id);"), text.out());

            // Run each finding's statements on B, in the report's order, then compare again.
            for (JsonElement element : findings(run)) {
                JsonObject evidence = element.getAsJsonObject().getAsJsonObject("evidence");
                String database = List.of("setting", "role", "membership").contains(evidence.get("kind").getAsString()) ? "postgres" : "staged";
                try (Connection c = b.connect(database); Statement s = c.createStatement()) {
                    for (JsonElement statement : evidence.getAsJsonArray("statements")) {
                        if (!statement.getAsString().startsWith("--")) {
                            s.execute(statement.getAsString());
                        }
                    }
                }
            }
            ChangeRun again = clean();
            assertEquals(0, again.exitCode(), again.toString());
            assertEquals(List.of(), byObject(findings(again)).keySet().stream().toList(), again.toString());
        } finally {
            a.execute("postgres", "DROP ROLE IF EXISTS only_on_a");
            b.execute("postgres", "DROP ROLE IF EXISTS only_on_a", "DROP ROLE IF EXISTS auditor", "ALTER SYSTEM RESET work_mem", "SELECT pg_reload_conf()");
        }
    }

    /** The second diff, after pg_reload_conf(): the postmaster reads the file when it gets to the signal. */
    private ChangeRun clean() throws Exception {
        ChangeRun run = diff("staging", "prod", "--format", "json");
        for (int attempt = 0; attempt < 50 && run.exitCode() == 0 && !findings(run).isEmpty(); attempt++) {
            Thread.sleep(100);
            run = diff("staging", "prod", "--format", "json");
        }
        return run;
    }

    @Test
    void aSchemaFilterKeepsThatSchemasObjectsAndTheServerWideOnes() throws Exception {
        ChangeRun run = diff("staging-same", "prod-same", "--schema", "sales", "--all-settings", "--format", "json");
        // With --all-settings the host-specific ones differ (data_directory, port): INFO, exit 0.
        Map<String, JsonObject> found = byObject(findings(run));
        assertTrue(found.containsKey("PARITY_SETTING port"), found.keySet().toString());
        assertTrue(found.containsKey("PARITY_SETTING data_directory"), found.keySet().toString());
        assertEquals(0, run.exitCode(), run.toString());
    }

    @Test
    void badInputIsOneLineAndAUsageExitCode() throws Exception {
        ChangeRun unknown = diff("stagin", "prod");
        assertEquals(64, unknown.exitCode(), unknown.toString());
        assertTrue(unknown.err().contains("did you mean 'staging'?"), unknown.toString());
        assertEquals(1, unknown.err().strip().lines().count(), unknown.toString());

        ChangeRun twice = diff("prod", "prod");
        assertEquals(64, twice.exitCode(), twice.toString());
        assertEquals("dbtool: diff: A and B are both 'prod'; name two different targets", twice.err().strip());

        ChangeRun sameDatabase = diff("prod", b.url("staged"));
        assertEquals(64, sameDatabase.exitCode(), sameDatabase.toString());
        assertTrue(sameDatabase.err().contains("are the same database"), sameDatabase.toString());

        ChangeRun engines = diff("staging", "shop-maria");
        assertEquals(64, engines.exitCode(), engines.toString());
        assertTrue(engines.err().strip().endsWith("staging is PostgreSQL and shop-maria is MariaDB/MySQL; diff compares two targets of one engine"),
                engines.toString());
        assertEquals(1, engines.err().strip().lines().count(), engines.toString());

        ChangeRun format = diff("staging", "prod", "--format", "yaml");
        assertEquals(64, format.exitCode(), format.toString());
        assertEquals(1, format.err().strip().lines().count(), format.toString());
    }
}
