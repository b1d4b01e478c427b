package dbtool.change;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dbtool.plugin.postgres.demo.LocalCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dbtool change against a real throwaway PostgreSQL target (one cluster for the class, a database per
 * test); each dry run starts its own throwaway clone cluster, as it does for users.
 */
class ChangeClusterTest {

    private static final String PASSWORD = "Sec-ret+pw-4711";
    private static LocalCluster target;

    @TempDir
    Path home;

    @BeforeAll
    static void start() throws Exception {
        target = LocalCluster.start(LocalCluster.Settings.defaults());
        target.execute("postgres", "CREATE ROLE migrator LOGIN SUPERUSER PASSWORD '" + PASSWORD + "'");
    }

    @AfterAll
    static void stop() {
        if (target != null) {
            target.close();
        }
    }

    private void config(String database) throws Exception {
        target.execute("postgres", "CREATE DATABASE " + database);
        Files.writeString(home.resolve("config.json"), """
                {"targets": {"shop": {"url": "postgresql://postgres@127.0.0.1:%d/%s"}},
                 "state": {"path": "%s"}}
                """.formatted(target.port(), database, home.resolve("state")));
    }

    private String url(String database) {
        return "postgresql://migrator:" + PASSWORD + "@127.0.0.1:" + target.port() + "/" + database;
    }

    private Path migrations(String... files) throws Exception {
        Path dir = Files.createDirectories(home.resolve("migrations"));
        for (int i = 0; i < files.length; i += 2) {
            Files.writeString(dir.resolve(files[i]), files[i + 1]);
        }
        return dir;
    }

    private static String schema(String database) throws SQLException {
        StringBuilder out = new StringBuilder();
        try (Connection c = target.connect(database); Statement s = c.createStatement()) {
            for (String q : List.of(
                    "SELECT table_name || '.' || column_name || ':' || data_type FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1",
                    "SELECT indexname FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1",
                    "SELECT conname || convalidated FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1",
                    "SELECT relname || ':' || relfilenode FROM pg_class WHERE relnamespace = 'public'::regnamespace ORDER BY 1")) {
                try (ResultSet rs = s.executeQuery(q)) {
                    while (rs.next()) {
                        out.append(rs.getString(1)).append('\n');
                    }
                }
            }
        }
        return out.toString();
    }

    @Test
    void aDryRunMeasuresLocksAndRewritesOnAClonAndOnlyReadsTheTarget() throws Exception {
        target.execute("postgres", "CREATE DATABASE shop1");
        target.execute("shop1",
                "CREATE TABLE customers (id int PRIMARY KEY)",
                "INSERT INTO customers SELECT g FROM generate_series(1, 100) g",
                "CREATE TABLE orders (id serial PRIMARY KEY, customer_id int NOT NULL, amount int NOT NULL, created_at timestamptz DEFAULT now())",
                "INSERT INTO orders (customer_id, amount) SELECT 1 + g % 100, g FROM generate_series(1, 20000) g",
                "CREATE TABLE old_stuff (id int)",
                "VACUUM ANALYZE");
        Path dir = migrations("V1__reshape_orders.sql", """
                -- each statement's lock and rewrite is checked below, by line
                ALTER TABLE orders ADD COLUMN note text DEFAULT 'none';
                ALTER TABLE orders ADD COLUMN r float8 DEFAULT random();
                CREATE INDEX orders_customer ON orders (customer_id);
                CREATE INDEX CONCURRENTLY orders_created ON orders (created_at);
                ALTER TABLE orders ADD CONSTRAINT amount_positive CHECK (amount > 0);
                ALTER TABLE orders ADD CONSTRAINT amount_small CHECK (amount < 1000000000) NOT VALID;
                ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);
                ALTER TABLE orders ALTER COLUMN amount TYPE bigint;
                DROP TABLE old_stuff;
                """);
        String before = schema("shop1");
        AtomicBoolean running = new AtomicBoolean(true);
        Thread workload = Thread.ofPlatform().start(() -> {
            try (Connection c = target.connect("shop1"); Statement s = c.createStatement()) {
                while (running.get()) {
                    s.execute("INSERT INTO orders (customer_id, amount) VALUES (7, 42)");
                    s.execute("UPDATE orders SET amount = amount + 1 WHERE id = 1");
                    Thread.sleep(5);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        ChangeRun run;
        try {
            run = ChangeRun.run(home, "dry-run", url("shop1"), "--migrations", dir.toString(), "--sample", "2s", "--format", "json");
        } finally {
            running.set(false);
            workload.join();
        }
        assertEquals(0, run.exitCode(), run.toString()); // a 1 MB table: nothing blocks traffic for a second
        JsonObject report = JsonParser.parseString(run.out()).getAsJsonObject();
        assertEquals("OK", report.get("status").getAsString());
        JsonArray statements = report.getAsJsonArray("migrations").get(0).getAsJsonObject().getAsJsonArray("statements");
        assertEquals(9, statements.size(), run.out());
        assertStatement(statements, 2, "AccessExclusiveLock", false);   // constant default: no rewrite
        assertStatement(statements, 3, "AccessExclusiveLock", true);    // volatile default: rewrite
        assertStatement(statements, 4, "ShareLock", false);
        assertStatement(statements, 5, "ShareUpdateExclusiveLock", false);
        assertStatement(statements, 6, "AccessExclusiveLock", false);
        assertStatement(statements, 7, "AccessExclusiveLock", false);
        assertStatement(statements, 8, "ShareRowExclusiveLock", false);
        assertStatement(statements, 9, "AccessExclusiveLock", true);    // int -> bigint rewrites
        JsonObject drop = statements.get(8).getAsJsonObject();
        assertTrue(drop.get("locks").toString().contains("old_stuff") && drop.get("locks").toString().contains("AccessExclusiveLock"), drop.toString());
        JsonObject fk = statements.get(6).getAsJsonObject();
        assertTrue(fk.get("locks").toString().contains("customers"), "the referenced table is locked too: " + fk);
        JsonObject rewrite = statements.get(1).getAsJsonObject();
        assertTrue(rewrite.get("writesPerSecond").getAsDouble() > 0, "traffic seen during the dry run: " + rewrite);
        assertTrue(rewrite.get("projection").getAsString().matches("ACCESS EXCLUSIVE on orders, rewrites .* blocks ~\\S+ writes/s and ~\\S+ reads/s for ~.*"),
                rewrite.toString());
        assertTrue(rewrite.get("saferForms").toString().contains("non-volatile"), rewrite.toString());
        assertTrue(statements.get(2).getAsJsonObject().get("saferForms").toString().contains("CONCURRENTLY"));
        assertTrue(statements.get(4).getAsJsonObject().get("saferForms").toString().contains("NOT VALID"));
        assertEquals("none", statements.get(3).getAsJsonObject().get("risk").getAsString(), "CONCURRENTLY blocks no traffic");
        // the target: only read
        String after = schema("shop1").replaceAll("(?m)^orders:\\d+$", "orders:?");
        assertEquals(before.replaceAll("(?m)^orders:\\d+$", "orders:?"), after);
        assertFalse(after.contains("flyway_schema_history"));
        assertFalse(run.out().contains(PASSWORD) || run.err().contains(PASSWORD) || run.log().contains(PASSWORD), "no password printed");
        // the Markdown form renders the same report
        ChangeRun markdown = ChangeRun.run(home, "dry-run", url("shop1"), "--migrations", dir.toString(), "--sample", "0s", "--format", "markdown");
        assertTrue(markdown.out().startsWith("### :white_check_mark: dbtool change dry-run"), markdown.toString());
        assertTrue(markdown.out().contains("| V1\\_\\_reshape\\_orders.sql | 3 | `ALTER TABLE orders ADD COLUMN r float8 DEFAULT random()` | low | ACCESS EXCLUSIVE on orders, rewrites"), markdown.out());
    }

    private static void assertStatement(JsonArray statements, int line, String mode, boolean rewrites) {
        JsonObject s = null;
        for (JsonElement e : statements) {
            if (e.getAsJsonObject().get("line").getAsInt() == line) {
                s = e.getAsJsonObject();
            }
        }
        assertTrue(s != null, "line " + line + " in " + statements);
        boolean found = false;
        for (JsonElement lock : s.getAsJsonArray("locks")) {
            JsonObject l = lock.getAsJsonObject();
            found |= l.get("relation").getAsString().equals("orders") && l.get("mode").getAsString().equals(mode);
        }
        assertTrue(found, "line " + line + ": " + mode + " on orders expected: " + s);
        assertEquals(rewrites, s.getAsJsonArray("rewritten").toString().contains("orders"), "line " + line + " rewrite: " + s);
    }

    @Test
    void applyTakesARestorePointAndRollbackRestoresTheData() throws Exception {
        config("shop2");
        Path dir = migrations(
                "V1__items.sql", "CREATE TABLE items (id int PRIMARY KEY, qty int NOT NULL);\nINSERT INTO items SELECT g, g FROM generate_series(1, 50) g;\n",
                "V2__zero.sql", "UPDATE items SET qty = 0;\nALTER TABLE items ADD COLUMN tag text;\n");
        ChangeRun noTerminal = ChangeRun.run(home, "apply", "shop", "--migrations", dir.toString());
        assertEquals(64, noTerminal.exitCode(), noTerminal.toString());
        assertEquals(1, noTerminal.err().strip().lines().count(), noTerminal.err());
        assertTrue(noTerminal.err().contains("--yes"), noTerminal.err());
        assertFalse(schema("shop2").contains("items"), "nothing applied without --yes");

        Files.move(dir.resolve("V2__zero.sql"), home.resolve("V2__zero.sql"));
        assertEquals(0, ChangeRun.run(home, "apply", "shop", "--migrations", dir.toString(), "--yes").exitCode());
        Files.move(home.resolve("V2__zero.sql"), dir.resolve("V2__zero.sql"));
        ChangeRun apply = ChangeRun.run(home, "apply", "shop", "--migrations", dir.toString(), "--yes");
        assertEquals(0, apply.exitCode(), apply.toString());
        assertTrue(apply.err().contains("restore point: "), apply.toString());
        assertTrue(apply.err().contains("WAL restore point dbtool-"), "superuser and wal_level replica: " + apply.err());
        assertEquals(0L, sum("shop2", "SELECT sum(qty) FROM items"));
        assertTrue(apply.log().contains("change apply shop by ") && apply.log().contains("applied"), apply.log());
        try (var files = Files.list(home.resolve("data/dbtool/change/shop"))) {
            assertEquals(2, files.filter(p -> p.toString().endsWith(".dump")).count(), "one restore point per apply");
        }

        ChangeRun rollback = ChangeRun.run(home, "rollback", "shop", "--yes");
        assertEquals(0, rollback.exitCode(), rollback.toString());
        assertTrue(rollback.err().contains("every row written to items since then will be lost"), rollback.err());
        assertEquals(1275L, sum("shop2", "SELECT sum(qty) FROM items"), "the data is back");
        assertFalse(schema("shop2").contains("items.tag"), "the column is gone");
        assertEquals(1L, sum("shop2", "SELECT count(*) FROM flyway_schema_history WHERE version IS NOT NULL"));

        ChangeRun history = ChangeRun.run(home, "history", "shop");
        assertEquals(0, history.exitCode(), history.toString());
        assertTrue(history.out().contains("rollback") && history.out().contains("rolled back") && history.out().contains("V1"), history.out());

        // an undo script, and a missing one
        Files.writeString(dir.resolve("V3__flag.sql"), "ALTER TABLE items ADD COLUMN flag boolean;\nCREATE INDEX CONCURRENTLY items_qty ON items (qty);\n");
        ChangeRun plan = ChangeRun.run(home, "plan", "shop", "--migrations", dir.toString());
        assertTrue(plan.out().contains("2 pending") && plan.out().contains("ACCESS EXCLUSIVE on items"), plan.toString());
        ChangeRun withConcurrently = ChangeRun.run(home, "apply", "shop", "--migrations", dir.toString(), "--yes", "--lock-timeout", "2s");
        assertEquals(0, withConcurrently.exitCode(), "CREATE INDEX CONCURRENTLY does not wait for Flyway's own lock: " + withConcurrently);
        assertTrue(schema("shop2").contains("items_qty"));
        ChangeRun missingUndo = ChangeRun.run(home, "rollback", "shop", "--migrations", dir.toString(), "--undo", "--yes");
        assertEquals(64, missingUndo.exitCode(), missingUndo.toString());
        assertEquals(1, missingUndo.err().strip().lines().count(), missingUndo.err());
        assertTrue(missingUndo.err().contains("no U3__*.sql"), missingUndo.err());
        assertTrue(schema("shop2").contains("items.flag"), "nothing undone");
        Files.writeString(dir.resolve("U3__flag.sql"), "ALTER TABLE items DROP COLUMN flag;\nDROP INDEX items_qty;\n");
        ChangeRun undo = ChangeRun.run(home, "rollback", "shop", "--migrations", dir.toString(), "--undo", "--yes");
        assertEquals(0, undo.exitCode(), undo.toString());
        assertFalse(schema("shop2").contains("items.flag"));
        assertTrue(undo.out().contains("by U3__flag.sql"), undo.out());
        ChangeRun again = ChangeRun.run(home, "plan", "shop", "--migrations", dir.toString());
        assertTrue(again.out().contains("1 pending") && again.out().contains("V3"), "undone, V3 is pending again (U files beside): " + again);
    }

    private static long sum(String database, String sql) throws SQLException {
        try (Connection c = target.connect(database); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aMigrationBehindAHeldLockGivesUpAfterItsLockTimeout() throws Exception {
        config("shop3");
        target.execute("shop3", "CREATE TABLE busy (id int)", "INSERT INTO busy VALUES (1)");
        Path dir = migrations("V1__busy.sql", "ALTER TABLE busy ADD COLUMN extra int;\n");
        try (Connection holder = target.connect("shop3"); Statement s = holder.createStatement()) {
            holder.setAutoCommit(false);
            s.executeQuery("SELECT * FROM busy").close(); // ACCESS SHARE until the end of the transaction
            List<Long> readerWaits = new ArrayList<>();
            AtomicBoolean running = new AtomicBoolean(true);
            Thread reader = Thread.ofPlatform().start(() -> {
                try (Connection c = target.connect("shop3"); Statement r = c.createStatement()) {
                    while (running.get()) {
                        long started = System.nanoTime();
                        r.executeQuery("SELECT count(*) FROM busy").close();
                        synchronized (readerWaits) {
                            readerWaits.add((System.nanoTime() - started) / 1_000_000);
                        }
                        Thread.sleep(20);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long started = System.nanoTime();
            ChangeRun run = ChangeRun.run(home, "apply", "shop", "--migrations", dir.toString(), "--yes", "--lock-timeout", "300ms", "--retries", "2");
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            running.set(false);
            reader.join();
            holder.rollback();
            assertEquals(2, run.exitCode(), run.toString());
            assertTrue(run.err().contains("gave up after 3 lock timeouts of 300 ms"), run.err());
            assertTrue(tookMs < 20_000, "gave up in " + tookMs + " ms");
            synchronized (readerWaits) {
                assertTrue(readerWaits.stream().allMatch(w -> w < 2_000), "readers waited at most a lock timeout: " + readerWaits);
            }
        }
        assertFalse(schema("shop3").contains("busy.extra"), "nothing applied");
        ChangeRun history = ChangeRun.run(home, "history", "shop");
        assertTrue(history.out().contains("failed"), history.out());
    }

    @Test
    void badMigrationFoldersStopWithOneLineAndNothingApplied() throws Exception {
        config("shop4");
        Path dir = migrations("V1__a.sql", "CREATE TABLE a (id int);\n", "V3__c.sql", "CREATE TABLE c (id int);\n");
        assertOneLine(ChangeRun.run(home, "apply", "shop", "--migrations", dir.toString(), "--yes"), "version gap: no V2__*.sql");
        Files.delete(dir.resolve("V3__c.sql"));
        Files.writeString(dir.resolve("V2_c.sql"), "CREATE TABLE c (id int);\n");
        assertOneLine(ChangeRun.run(home, "apply", "shop", "--migrations", dir.toString(), "--yes"), "V2_c.sql: malformed migration file name");
        Files.delete(dir.resolve("V2_c.sql"));
        Files.writeString(dir.resolve("V2__c.sql"), "CREATE TABLE c (id int);\nINSERT INTO c VALUES ('oops);\n");
        assertOneLine(ChangeRun.run(home, "apply", "shop", "--migrations", dir.toString(), "--yes"), "V2__c.sql:2: malformed migration: a string");
        assertFalse(schema("shop4").contains("a.id"), "nothing applied");
        Files.writeString(dir.resolve("V2__c.sql"), "CREATE TABLE c (id int);\n");
        assertEquals(0, ChangeRun.run(home, "apply", "shop", "--migrations", dir.toString(), "--yes").exitCode());
        Files.writeString(dir.resolve("V1__a.sql"), "CREATE TABLE a (id bigint);\n");
        Files.writeString(dir.resolve("V3__d.sql"), "CREATE TABLE d (id int);\n");
        assertOneLine(ChangeRun.run(home, "apply", "shop", "--migrations", dir.toString(), "--yes"), "V1__a.sql: checksum mismatch");
        assertFalse(schema("shop4").contains("d.id"), "nothing applied");
    }

    private static void assertOneLine(ChangeRun run, String expected) {
        assertEquals(64, run.exitCode(), run.toString());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertTrue(run.err().contains(expected), run.err());
        assertFalse(run.err().contains("Exception") || run.err().contains("\tat "), run.err());
    }
}
