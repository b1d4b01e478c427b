package dbtool.toolkit.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.spi.SessionSettings;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * What a URL-and-properties session promises without a server: the target's user is known before
 * the login (for the connectivity check's messages), the password is gone after the first attempt,
 * and a refused login is remembered instead of retried. The engines' tests log in to real servers.
 */
class JdbcUrlSessionTest {

    /** A driver that refuses every login, as a server refuses a wrong password, and notes the password it was given. */
    static Driver refusing(List<String> passwordsSeen) {
        return (Driver) Proxy.newProxyInstance(Driver.class.getClassLoader(), new Class<?>[] {Driver.class}, (proxy, method, arguments) -> {
            if (!method.getName().equals("connect")) {
                throw new UnsupportedOperationException(method.getName());
            }
            passwordsSeen.add(((Properties) arguments[1]).getProperty("password"));
            throw new SQLException("password authentication failed for user \"app\"", "28P01");
        });
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
        List<String> passwordsSeen = new ArrayList<>();
        Properties properties = new Properties();
        properties.setProperty("user", "app");
        properties.setProperty("password", "s3cret+pw");
        try (Session session = new Session(refusing(passwordsSeen), properties)) {
            assertEquals("app", session.user());
            assertEquals("db1", session.host());
            assertEquals(5432, session.port());
            assertEquals("shop", session.database());

            SQLException first = assertThrows(SQLException.class, session::connection);
            assertEquals("28P01", first.getSQLState());
            assertFalse(properties.containsKey("password"), "the password is dropped after the attempt");
            SQLException second = assertThrows(SQLException.class, session::connection);
            assertTrue(second.getMessage().startsWith("not connected: "), second.getMessage());
            assertEquals(List.of("s3cret+pw"), passwordsSeen, "one login attempt, with the password as given");
            assertEquals("app", session.user(), "the user stays for the report");
        }
    }
}
