package dbtool.change;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.plugin.mssql.SqlServerPlugin;
import dbtool.plugin.postgres.PostgresPlugin;
import dbtool.testkit.tds.TdsBackingStore;
import dbtool.testkit.tds.TdsResponder;
import dbtool.testkit.tds.TdsScenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dbtool change on SQL Server: Flyway 12.4 with flyway-sqlserver, loaded from a bundle folder as in the
 * bundle, over the real jTDS driver to the TDS test double, whose unanswered batches run on an H2 database
 * in MSSQLServer mode (the backing store): the history table, the tables and the locks are H2's.
 */
class ChangeSqlServerTest {

    private static final String PASSWORD = "Sq1-secret+pw";
    /** Where the build copies flyway-core and flyway-sqlserver 12.4 (see this module's pom). */
    private static final Path BUNDLE = Path.of("target", "test-bundle").toAbsolutePath();

    @TempDir
    Path home;

    private TdsBackingStore store;
    private TdsResponder server;

    @BeforeEach
    void start() throws Exception {
        store = TdsBackingStore.h2("orders");
        server = TdsResponder.start(new TdsScenario().login("deploy", PASSWORD).database("orders").backedBy(store));
        Files.writeString(home.resolve("config.json"), """
                {"targets": {"orders": {"url": "sqlserver://deploy:%s@127.0.0.1:%d/orders"}},
                 "state": {"path": "%s"}}
                """.formatted(PASSWORD, server.port(), home.resolve("state")));
    }

    @AfterEach
    void stop() {
        server.close();
        store.close();
    }

    private ChangeRun change(String... args) {
        List<String> argv = new ArrayList<>(List.of("change"));
        argv.addAll(List.of(args));
        ChangeRun run = ChangeRun.dbtool(home, List.of(new PostgresPlugin(), new SqlServerPlugin()), argv, BUNDLE);
        assertFalse(run.out().contains(PASSWORD) || run.err().contains(PASSWORD) || run.log().contains(PASSWORD), "no password printed: " + run);
        return run;
    }

    private Path migrations(String... files) throws Exception {
        Path dir = Files.createDirectories(home.resolve("migrations"));
        for (int i = 0; i < files.length; i += 2) {
            Files.writeString(dir.resolve(files[i]), files[i + 1]);
        }
        return dir;
    }

    private Path folder() throws Exception {
        return migrations(
                "V1__create_orders.sql", "CREATE TABLE orders (id INT NOT NULL PRIMARY KEY, amount INT NOT NULL)\nGO\n",
                "V2__add_note.sql", "ALTER TABLE orders ADD note NVARCHAR(100) NULL;\nCREATE INDEX orders_amount ON orders (amount);\n",
                "U2__add_note.sql", "DROP INDEX orders_amount ON orders\nGO\nALTER TABLE orders DROP COLUMN note\nGO\n");
    }

    private List<String> query(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = store.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.append(i == 1 ? "" : "|").append(rs.getString(i));
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    private List<String> history() throws SQLException {
        return query("SELECT version, script, success FROM dbo.flyway_schema_history ORDER BY installed_rank");
    }

    private List<String> columns(String table) throws SQLException {
        return query("SELECT COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = 'dbo' AND TABLE_NAME = '" + table
                + "' ORDER BY ORDINAL_POSITION");
    }

    private boolean historyExists() throws SQLException {
        return !query("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'flyway_schema_history'").isEmpty();
    }

    @Test
    void plansAppliesShowsHistoryAndRollsBackByTheUndoScript() throws Exception {
        Path dir = folder();
        ChangeRun plan = change("plan", "orders", "--migrations", dir.toString());
        assertEquals(0, plan.exitCode(), plan.toString());
        assertTrue(plan.out().contains("2 pending on orders"), plan.out());
        assertTrue(plan.out().contains("V1  V1__create_orders.sql") && plan.out().contains("V2  V2__add_note.sql"), plan.out());
        assertFalse(historyExists(), "plan writes nothing");

        ChangeRun noRestorePoint = change("apply", "orders", "--migrations", dir.toString(), "--yes");
        assertEquals(64, noRestorePoint.exitCode(), noRestorePoint.toString());
        assertEquals(1, noRestorePoint.err().strip().lines().count(), noRestorePoint.err());
        assertTrue(noRestorePoint.err().contains("dbtool takes no restore point") && noRestorePoint.err().contains("--no-restore-point"),
                noRestorePoint.err());
        assertFalse(historyExists(), "refused before anything connected");

        ChangeRun apply = change("apply", "orders", "--migrations", dir.toString(), "--yes", "--no-restore-point");
        assertEquals(0, apply.exitCode(), apply + "\nH2 refused: " + store.failures());
        assertTrue(apply.out().contains("applied 2 migrations to orders (no restore point)"), apply.out());
        assertEquals(List.of("1|V1__create_orders.sql|TRUE", "2|V2__add_note.sql|TRUE"), history());
        assertEquals(List.of("id", "amount", "note"), columns("orders"));
        assertEquals(List.of("orders_amount"), query("SELECT INDEX_NAME FROM INFORMATION_SCHEMA.INDEXES WHERE TABLE_NAME = 'orders'"
                + " AND INDEX_NAME = 'orders_amount'"));
        assertTrue(apply.log().contains("change apply orders by") && apply.log().contains("applied"), apply.log());
        assertTrue(server.sqlTexts().contains("SET LOCK_TIMEOUT 5000"), "every session waits at most the lock timeout");
        assertTrue(server.sqlTexts().stream().anyMatch(t -> t.startsWith("EXEC sp_getapplock") && t.contains("N'Flyway-")),
                "Flyway takes its own application lock: " + server.sqlTexts());

        ChangeRun again = change("plan", "orders", "--migrations", dir.toString());
        assertTrue(again.out().contains("nothing pending on orders"), again.toString());

        ChangeRun history = change("history", "orders");
        assertEquals(0, history.exitCode(), history.toString());
        assertTrue(history.out().contains("V1") && history.out().contains("V2__add_note.sql"), history.out());
        assertTrue(history.out().contains("apply    applied"), history.out());

        ChangeRun rollback = change("rollback", "orders", "--migrations", dir.toString(), "--undo", "--yes");
        assertEquals(0, rollback.exitCode(), rollback + "\nH2 refused: " + store.failures());
        assertTrue(rollback.out().contains("rolled back V2 on orders by U2__add_note.sql"), rollback.out());
        assertEquals(List.of(), store.failures(), "every batch Flyway and dbtool sent ran on the backing store");
        server.assertOnlyExpectedTraffic();
        assertEquals(List.of("id", "amount"), columns("orders"));
        assertFalse(history().stream().anyMatch(r -> r.startsWith("2|")), history().toString());
        assertTrue(history().stream().anyMatch(r -> r.startsWith("1|")), history().toString());

        ChangeRun noUndo = change("rollback", "orders", "--migrations", dir.toString(), "--undo", "--yes");
        assertEquals(64, noUndo.exitCode(), noUndo.toString());
        assertTrue(noUndo.err().contains("no U1__*.sql to undo V1"), noUndo.err());
    }

    @Test
    void aMigrationBehindAHeldLockGivesUpAfterItsLockTimeout() throws Exception {
        Path dir = migrations("V1__create_orders.sql", "CREATE TABLE orders (id INT NOT NULL PRIMARY KEY, amount INT NOT NULL)\nGO\n");
        ChangeRun first = change("apply", "orders", "--migrations", dir.toString(), "--yes", "--no-restore-point");
        assertEquals(0, first.exitCode(), first.toString());
        Files.writeString(dir.resolve("V2__add_note.sql"), "ALTER TABLE orders ADD note NVARCHAR(100) NULL;\n");
        try (Connection holder = store.connect(); Statement s = holder.createStatement()) {
            holder.setAutoCommit(false);
            s.execute("INSERT INTO orders VALUES (1, 10)"); // an open transaction on orders: its lock stays until commit
            ChangeRun blocked = change("apply", "orders", "--migrations", dir.toString(), "--yes", "--no-restore-point",
                    "--lock-timeout", "300ms", "--retries", "1");
            assertEquals(2, blocked.exitCode(), blocked + "\nH2 refused: " + store.failures());
            assertTrue(blocked.err().contains("lock not granted within the lock timeout; try 2 of 2"), blocked.err());
            assertTrue(blocked.err().contains("Lock request time out period exceeded"), blocked.err());
            holder.rollback();
        }
        assertEquals(List.of("id", "amount"), columns("orders"));
        assertFalse(history().stream().anyMatch(r -> r.startsWith("2|")), history().toString());
        ChangeRun free = change("apply", "orders", "--migrations", dir.toString(), "--yes", "--no-restore-point", "--lock-timeout", "300ms");
        assertEquals(0, free.exitCode(), free.toString());
        assertEquals(List.of("id", "amount", "note"), columns("orders"));
    }

    @Test
    void anotherChangeHoldingTheApplicationLockIsRefusedAfterTheLockTimeout() throws Exception {
        Path dir = migrations("V1__create_orders.sql", "CREATE TABLE orders (id INT NOT NULL PRIMARY KEY)\n");
        try (Connection other = DriverManager.getConnection("jdbc:jtds:sqlserver://127.0.0.1:" + server.port() + "/orders", "deploy", PASSWORD);
             Statement s = other.createStatement();
             ResultSet rs = s.executeQuery("DECLARE @granted INT; EXEC @granted = sp_getapplock @Resource = 'dbtool-change', @LockMode = 'Exclusive',"
                     + " @LockOwner = 'Session', @LockTimeout = 0; SELECT @granted")) {
            assertTrue(rs.next());
            assertEquals(0, rs.getInt(1), "granted to the other session");
            ChangeRun refused = change("apply", "orders", "--migrations", dir.toString(), "--yes", "--no-restore-point", "--lock-timeout", "200ms");
            assertEquals(78, refused.exitCode(), refused.toString());
            assertTrue(refused.err().contains("another change is running on orders"), refused.err());
            assertFalse(historyExists(), "nothing applied");
        }
    }

    @Test
    void theDryRunIsRefusedInOneLine() throws Exception {
        ChangeRun run = change("dry-run", "orders", "--migrations", folder().toString());
        assertEquals(64, run.exitCode(), run.toString());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertTrue(run.err().contains("the dry run on a clone is PostgreSQL-only"), run.err());
        assertTrue(server.logins().isEmpty(), "nothing connected");
    }

    @Test
    void badInputIsOneLineAndNothingIsApplied() throws Exception {
        Path dir = folder();
        Files.writeString(dir.resolve("V3_misnamed.sql"), "SELECT 1");
        ChangeRun misnamed = change("apply", "orders", "--migrations", dir.toString(), "--yes", "--no-restore-point");
        assertEquals(64, misnamed.exitCode(), misnamed.toString());
        assertEquals(1, misnamed.err().strip().lines().count(), misnamed.err());
        assertTrue(misnamed.err().contains("V3_misnamed.sql: malformed migration file name"), misnamed.err());
        Files.delete(dir.resolve("V3_misnamed.sql"));

        Files.writeString(dir.resolve("V4__later.sql"), "SELECT 1");
        ChangeRun gap = change("apply", "orders", "--migrations", dir.toString(), "--yes", "--no-restore-point");
        assertEquals(64, gap.exitCode(), gap.toString());
        assertEquals(1, gap.err().strip().lines().count(), gap.err());
        assertTrue(gap.err().contains("version gap: no V3__*.sql"), gap.err());
        Files.delete(dir.resolve("V4__later.sql"));
        assertFalse(historyExists(), "nothing applied");
        assertTrue(server.logins().isEmpty(), "nothing connected");

        assertEquals(0, change("apply", "orders", "--migrations", dir.toString(), "--yes", "--no-restore-point").exitCode());
        List<String> applied = history();
        Files.writeString(dir.resolve("V1__create_orders.sql"), "CREATE TABLE orders (id BIGINT NOT NULL PRIMARY KEY)\nGO\n");
        Files.writeString(dir.resolve("V3__more.sql"), "CREATE TABLE more_orders (id INT)\n");
        ChangeRun changed = change("apply", "orders", "--migrations", dir.toString(), "--yes", "--no-restore-point");
        assertEquals(64, changed.exitCode(), changed.toString());
        assertEquals(1, changed.err().strip().lines().count(), changed.err());
        assertTrue(changed.err().contains("V1__create_orders.sql: checksum mismatch: version 1 was applied with checksum"), changed.err());
        assertEquals(applied, history(), "nothing applied");
        assertTrue(query("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'more_orders'").isEmpty());
    }
}
