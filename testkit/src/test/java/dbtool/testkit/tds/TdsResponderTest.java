package dbtool.testkit.tds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The responder through the real jTDS 1.3.1 driver: login, result sets of every type, errors, cancel. */
class TdsResponderTest {

    static final String PASSWORD = "S3cret-Pa55";

    TdsResponder server;

    @BeforeEach
    void start() {
        server = TdsResponder.start(new TdsScenario().login("monitor", PASSWORD).database("shop"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Connection connect(String user, String password, String database) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("appName", "dbtool-test");
        properties.setProperty("ssl", "off");
        properties.setProperty("loginTimeout", "5");
        properties.setProperty("socketTimeout", "20");
        return new net.sourceforge.jtds.jdbc.Driver().connect("jdbc:jtds:sqlserver://127.0.0.1:" + server.port() + "/" + database, properties);
    }

    @Test
    void theDriverLogsInAndTheLoginIsRecorded() throws SQLException {
        try (Connection connection = connect("monitor", PASSWORD, "shop")) {
            assertEquals("shop", connection.getCatalog());
            assertEquals("Microsoft SQL Server", connection.getMetaData().getDatabaseProductName());
            assertTrue(connection.getMetaData().getDatabaseProductVersion().startsWith("15.00"), connection.getMetaData().getDatabaseProductVersion());
        }
        Login7 login = server.logins().getFirst();
        assertEquals("monitor", login.userName());
        assertEquals(PASSWORD, login.password(), "the obfuscated password is decoded");
        assertEquals("dbtool-test", login.appName());
        assertEquals("shop", login.database());
        assertFalse(login.toString().contains(PASSWORD));
        server.assertOnlyExpectedTraffic();
    }

    @Test
    void aWrongPasswordIsError18456LikeSqlServer() {
        SQLException e = assertThrows(SQLException.class, () -> connect("monitor", "wrong", "shop"));
        assertEquals(18456, e.getErrorCode());
        assertEquals("Login failed for user 'monitor'.", e.getMessage());
        assertThrows(SQLException.class, () -> connect("nobody", PASSWORD, "shop"));
    }

    @Test
    void aMissingDatabaseIs4060ThenLoginFailed() {
        SQLException e = assertThrows(SQLException.class, () -> connect("monitor", PASSWORD, "nosuchdb"));
        assertEquals(4060, e.getErrorCode());
        assertTrue(e.getMessage().contains("Cannot open database \"nosuchdb\""), e.getMessage());
        assertEquals(18456, e.getNextException().getErrorCode());
    }

    @Test
    void resultSetsCarryEveryColumnTypeAndNulls() throws SQLException {
        LocalDateTime started = LocalDateTime.of(2026, 11, 30, 23, 59, 58, 330_000_000);
        server.scenario().answer(TdsScenario.mentioning("FROM sys.dm_exec_sessions"), TdsResult
                .columns("session_id:int", "reads:bigint", "login_name", "login_time:datetime", "cpu_ratio:float", "is_user_process:bit")
                .row(52, 9_000_000_000L, "app_user", started, 0.25, true)
                .row(61, null, null, null, null, null));
        try (Connection connection = connect("monitor", PASSWORD, "master"); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT * FROM sys.dm_exec_sessions")) {
            assertTrue(rs.next());
            assertEquals(52, rs.getObject(1));
            assertEquals(9_000_000_000L, rs.getObject(2));
            assertEquals("app_user", rs.getString("login_name"));
            assertEquals(started, rs.getTimestamp(4).toLocalDateTime());
            assertEquals(0.25, rs.getDouble(5));
            assertEquals(Boolean.TRUE, rs.getObject(6));
            assertTrue(rs.next());
            for (int i = 2; i <= 6; i++) {
                assertNull(rs.getObject(i), "column " + i);
            }
            assertFalse(rs.next());
        }
        server.assertOnlyExpectedTraffic();
    }

    @Test
    void errorsArriveAsSqlExceptionsWithTheirNumbers() throws SQLException {
        server.scenario().answer(TdsScenario.mentioning("sys.dm_tran_locks"), TdsAnswer.lockTimeout());
        try (Connection connection = connect("monitor", PASSWORD, "master"); Statement statement = connection.createStatement()) {
            SQLException locked = assertThrows(SQLException.class, () -> statement.executeQuery("SELECT * FROM sys.dm_tran_locks"));
            assertEquals(1222, locked.getErrorCode());
            SQLException missing = assertThrows(SQLException.class, () -> statement.executeQuery("SELECT x FROM dbo.not_canned"));
            assertEquals(208, missing.getErrorCode());
            assertEquals("Invalid object name 'dbo.not_canned'.", missing.getMessage());
            SQLException again = assertThrows(SQLException.class, () -> statement.executeQuery("SELECT 1 FROM sys.dm_tran_locks"));
            assertEquals(1222, again.getErrorCode(), "the connection still answers after errors");
        }
        assertEquals(java.util.List.of("SELECT x FROM dbo.not_canned"), server.unexpected());
    }

    @Test
    void aQueryTimeoutSendsAttentionAndTheConnectionGoesOn() throws SQLException {
        server.scenario().answer(TdsScenario.mentioning("WAITFOR"), TdsAnswer.delay(Duration.ofSeconds(30), TdsAnswer.done()));
        server.scenario().answer(TdsScenario.mentioning("sys.dm_os_sys_info"), TdsResult.columns("cpu_count:int").row(8));
        try (Connection connection = connect("monitor", PASSWORD, "master"); Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(1);
            assertThrows(SQLTimeoutException.class, () -> statement.execute("SELECT 1 FROM x WAITFOR DELAY '00:00:30'"));
            try (ResultSet rs = statement.executeQuery("SELECT cpu_count FROM sys.dm_os_sys_info")) {
                assertTrue(rs.next());
                assertEquals(8, rs.getInt(1));
            }
        }
        assertEquals(1, server.cancelled().size());
    }

    @Test
    void preparedStatementsGetAClearErrorInsteadOfAHang() throws SQLException {
        try (Connection connection = connect("monitor", PASSWORD, "master");
             PreparedStatement statement = connection.prepareStatement("SELECT name FROM sys.databases WHERE database_id = ?")) {
            statement.setInt(1, 1);
            SQLException e = assertThrows(SQLException.class, statement::executeQuery);
            assertTrue(e.getMessage().contains("SQL batches only"), e.getMessage());
        }
        assertTrue(server.unexpected().getFirst().startsWith("RPC"), server.unexpected().toString());
    }

    @Test
    void aCannedTextLongerThanTheColumnIsRefusedWhenTheScenarioIsWritten() {
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> TdsResult.columns("target_data").row("x".repeat(TdsResult.MAX_NVARCHAR + 1)));
        assertEquals("column target_data is nvarchar(4000): a value of 4001 characters does not fit", tooLong.getMessage());
        assertEquals(1, TdsResult.columns("target_data").row("x".repeat(TdsResult.MAX_NVARCHAR)).rows().size());
    }
}
