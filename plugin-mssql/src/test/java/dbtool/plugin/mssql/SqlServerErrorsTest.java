package dbtool.plugin.mssql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.ConnectException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** jTDS reports login failures as SQLExceptions carrying SQL Server's error number. */
class SqlServerErrorsTest {

    @Test
    void theNumberDecidesBeforeAnyWordOfTheMessage() {
        // 40613's message says "retry later", 40615's "timeout" can appear in Azure's text: the number wins
        assertEquals(SqlServerErrors.Cause.AZURE_DATABASE_UNAVAILABLE, SqlServerErrors.classify(
                new SQLException("Database 'shop' on server 'x' is not currently available (connection timeout).", "S0001", 40613)));
        SQLException generic = new SQLException("Login failed for user 'app'.", "28000", 18456);
        SQLException first = new SQLException("Cannot open user default database. Login failed.", "S0001", 4064);
        first.setNextException(generic);
        assertEquals(SqlServerErrors.Cause.DEFAULT_DATABASE_UNAVAILABLE, SqlServerErrors.classify(first));
        SQLException loginFirst = new SQLException("Login failed for user 'app'.", "28000", 18456);
        loginFirst.setNextException(new SQLException("Reason: The account is disabled.", "28000", 18470));
        assertEquals(SqlServerErrors.Cause.LOGIN_DISABLED, SqlServerErrors.classify(loginFirst), "walks getNextException()");
        assertEquals(18470, SqlServerErrors.number(loginFirst));
    }

    @Test
    void anUntrustedCertificateIsNamedAsSuch() {
        SQLException pkix = new SQLException("The driver could not establish a secure connection to SQL Server by using Secure Sockets Layer "
                + "(SSL) encryption. Error: \"PKIX path building failed: unable to find valid certification path to requested target\".",
                "08S01", 0, new javax.net.ssl.SSLHandshakeException("PKIX path building failed"));
        assertEquals(SqlServerErrors.Cause.UNTRUSTED_CERTIFICATE, SqlServerErrors.classify(pkix));
    }

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
