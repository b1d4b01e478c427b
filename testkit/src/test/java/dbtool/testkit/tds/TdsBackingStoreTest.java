package dbtool.testkit.tds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The TDS responder backed by H2: the real jTDS driver writes, reads, commits, rolls back and waits for locks. */
class TdsBackingStoreTest {

    TdsBackingStore store;
    TdsResponder server;

    @BeforeEach
    void start() {
        store = TdsBackingStore.h2("shop");
        server = TdsResponder.start(new TdsScenario().login("app", TdsResponderTest.PASSWORD).database("shop").backedBy(store)
                .answer(TdsScenario.mentioning("sys.dm_os_sys_info"), TdsResult.columns("cpu_count:int").row(8)));
    }

    @AfterEach
    void stop() {
        server.close();
        store.close();
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", "app");
        properties.setProperty("password", TdsResponderTest.PASSWORD);
        properties.setProperty("prepareSQL", "0");
        properties.setProperty("socketTimeout", "20");
        return new net.sourceforge.jtds.jdbc.Driver().connect("jdbc:jtds:sqlserver://127.0.0.1:" + server.port() + "/shop", properties);
    }

    private static String one(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getString(1);
        }
    }

    @Test
    void statementsRunOnH2WithUpdateCountsAndTypedColumns() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE [shop].[dbo].[items] ([id] INT NOT NULL PRIMARY KEY, [name] NVARCHAR(50), [price] FLOAT, [ok] BIT,"
                    + " [at] DATETIME DEFAULT GETDATE())");
            assertEquals(2, s.executeUpdate("INSERT INTO items (id, name, price, ok) VALUES (1, N'tea', 2.5, 1), (2, NULL, NULL, 0)"));
            try (PreparedStatement p = c.prepareStatement("UPDATE items SET name = ? WHERE id = ?")) {
                p.setString(1, "it's");
                p.setInt(2, 2);
                assertEquals(1, p.executeUpdate(), "parameters as literals, quote escaped");
            }
            try (ResultSet rs = s.executeQuery("SELECT id, name, price, ok, at FROM items ORDER BY id")) {
                assertTrue(rs.next());
                assertEquals(1, rs.getInt(1));
                assertEquals("tea", rs.getString(2));
                assertEquals(2.5, rs.getDouble(3));
                assertTrue(rs.getBoolean(4));
                assertTrue(rs.getTimestamp(5) != null);
                assertTrue(rs.next());
                assertEquals("it's", rs.getString(2));
                assertEquals(0, rs.getDouble(3));
                assertTrue(rs.wasNull());
            }
            assertEquals("8", one(s, "SELECT cpu_count FROM sys.dm_os_sys_info"), "the scenario's rules still come first");
            assertEquals("shop", one(s, "SELECT DB_NAME()"));
            assertEquals("dbo", one(s, "SELECT SCHEMA_NAME()"));
            assertEquals("app", one(s, "SELECT SUSER_SNAME()"));
            assertEquals("1", one(s, "SELECT COUNT(*) FROM sys.objects o WHERE SCHEMA_NAME(o.schema_id) = 'dbo' AND o.name = 'items' AND o.type = 'U'"));
            SQLException missing = assertThrows(SQLException.class, () -> s.executeQuery("SELECT * FROM nowhere"));
            assertEquals(208, missing.getErrorCode());
        }
        assertEquals(1, store.failures().size(), "the missing table is recorded: " + store.failures());
        server.assertOnlyExpectedTraffic();
    }

    @Test
    void transactionsCommitAndRollBack() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id INT)");
            c.setAutoCommit(false);
            s.executeUpdate("INSERT INTO t VALUES (1)");
            c.rollback();
            s.executeUpdate("INSERT INTO t VALUES (2)");
            c.commit();
            c.setAutoCommit(true);
            s.execute("BEGIN TRAN");
            s.executeUpdate("INSERT INTO t VALUES (3)");
            s.execute("ROLLBACK");
            assertEquals("1", one(s, "SELECT COUNT(*) FROM t"));
            assertEquals("2", one(s, "SELECT MIN(id) FROM t"));
        }
    }

    @Test
    void aStatementBehindAnotherSessionsLockGivesUpAfterSetLockTimeout() throws SQLException {
        try (Connection holder = connect(); Statement hs = holder.createStatement(); Connection waiter = connect(); Statement ws = waiter.createStatement()) {
            hs.execute("CREATE TABLE t (id INT)");
            holder.setAutoCommit(false);
            hs.executeUpdate("INSERT INTO t VALUES (1)");
            ws.execute("SET LOCK_TIMEOUT 200");
            SQLException timeout = assertThrows(SQLException.class, () -> ws.execute("ALTER TABLE t ADD note NVARCHAR(10)"));
            assertEquals(1222, timeout.getErrorCode());
            assertEquals("Lock request time out period exceeded.", timeout.getMessage());
            holder.commit();
            ws.execute("ALTER TABLE t ADD note NVARCHAR(10)");
        }
    }

    @Test
    void applicationLocksAreExclusiveBetweenSessionsUntilReleasedOrClosed() throws SQLException {
        String take = "DECLARE @r INT; EXEC @r = sp_getapplock @Resource = 'deploy', @LockMode = 'Exclusive', @LockOwner = 'Session', @LockTimeout = 0;"
                + " SELECT @r";
        try (Connection first = connect(); Statement a = first.createStatement()) {
            assertEquals("0", one(a, take));
            try (Connection second = connect(); Statement b = second.createStatement()) {
                assertEquals("-1", one(b, take), "held by the first session");
                a.execute("EXEC sp_releaseapplock @Resource = 'deploy', @LockOwner = 'Session'");
                assertEquals("0", one(b, take));
            }
            // the server notices a client's hang-up a moment later, as SQL Server does: wait for it
            assertEquals("0", one(a, take.replace("@LockTimeout = 0", "@LockTimeout = 5000")), "the second session's end released it");
        }
        assertFalse(store.failures().stream().anyMatch(f -> f.contains("applock")), store.failures().toString());
    }
}
