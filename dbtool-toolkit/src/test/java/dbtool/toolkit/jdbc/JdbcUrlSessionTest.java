package dbtool.toolkit.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.spi.SessionSettings;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * What a URL-and-properties session promises without a server: the target's user is known before
 * the login (for the connectivity check's messages), the password is gone after the first attempt,
 * and a refused login is remembered instead of retried. The engines' tests log in to real servers.
 */
class JdbcUrlSessionTest {

    /** A driver that refuses every login, as a server with a wrong password would, and keeps what it was given. */
    static final class RefusingDriver implements Driver {
        final List<String> passwordsSeen = new ArrayList<>();

        @Override
        public Connection connect(String url, Properties info) throws SQLException {
            passwordsSeen.add(info.getProperty("password"));
            throw new SQLException("password authentication failed for user \"app\"", "28P01");
        }

        @Override
        public boolean acceptsURL(String url) {
            return true;
        }

        @Override
        public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
            return new DriverPropertyInfo[0];
        }

        @Override
        public int getMajorVersion() {
            return 1;
        }

        @Override
        public int getMinorVersion() {
            return 0;
        }

        @Override
        public boolean jdbcCompliant() {
            return false;
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getGlobal();
        }
    }

    static final class Session extends JdbcUrlSession {
        Session(Driver driver, Properties properties) {
            super(driver, "jdbc:example://db1:5432/shop", properties, "db1", 5432, "shop", SessionSettings.defaults());
        }

        @Override
        protected Connection connect() throws SQLException {
            return connectDriver();
        }

        @Override
        protected String driverName() {
            return "Example";
        }
    }

    @Test
    void thePasswordIsUsedOnceAndARefusedLoginIsNotRetried() {
        RefusingDriver driver = new RefusingDriver();
        Properties properties = new Properties();
        properties.setProperty("user", "app");
        properties.setProperty("password", "s3cret+pw");
        try (Session session = new Session(driver, properties)) {
            assertEquals("app", session.user());
            assertEquals("db1", session.host());
            assertEquals(5432, session.port());
            assertEquals("shop", session.database());

            SQLException first = assertThrows(SQLException.class, session::connection);
            assertEquals("28P01", first.getSQLState());
            assertFalse(properties.containsKey("password"), "the password is dropped after the attempt");
            SQLException second = assertThrows(SQLException.class, session::connection);
            assertTrue(second.getMessage().startsWith("not connected: "), second.getMessage());
            assertEquals(List.of("s3cret+pw"), driver.passwordsSeen, "one login attempt, with the password as given");
            assertEquals("app", session.user(), "the user stays for the report");
        }
    }
}
