package dbtool.plugin.mssql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.ConnectException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** jTDS reports login failures as SQLExceptions carrying SQL Server's error number. */
class SqlServerErrorsTest {

    @Test
    void errorNumbersBecomePlainCauses() {
        assertEquals(SqlServerErrors.Cause.LOGIN_FAILED, SqlServerErrors.classify(new SQLException("Login failed for user 'app'.", "28000", 18456)));
        assertEquals(SqlServerErrors.Cause.DATABASE_UNAVAILABLE,
                SqlServerErrors.classify(new SQLException("Cannot open database \"orders\" requested by the login.", "S1000", 4060)));
        assertEquals(SqlServerErrors.Cause.UNTRUSTED_DOMAIN,
                SqlServerErrors.classify(new SQLException("Login failed. The login is from an untrusted domain", "28000", 18452)));
        assertEquals(SqlServerErrors.Cause.REFUSED, SqlServerErrors.classify(
                new SQLException("Network error IOException: Connection refused", "08S01", 0, new ConnectException("Connection refused"))));
    }
}
