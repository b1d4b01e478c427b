package dbtool.plugin.mssql.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.report.Report;
import dbtool.plugin.mssql.SqlServerPlugin;
import dbtool.spi.Credentials;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.testkit.PluginRun;
import dbtool.testkit.Reports;
import dbtool.testkit.tds.TdsAnswer;
import dbtool.testkit.tds.TdsResponder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Login refusals as SQL Server and Azure SQL send them (ERROR tokens in the LOGINACK's place), read
 * by the real jTDS driver: each becomes one plain cause with what to do, by its error number.
 */
class LoginErrorsTest {

    private TdsResponder responder;

    @AfterEach
    void stop() {
        if (responder != null) {
            responder.close();
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "976|14|The target database, 'shop', is participating in an availability group and is currently not accessible for queries.|"
                + "MSSQL_AG_SECONDARY_NOT_READABLE|ALLOW_CONNECTIONS",
        "4064|11|Cannot open user default database. Login failed.|MSSQL_DEFAULT_DATABASE_UNAVAILABLE|DEFAULT_DATABASE = master",
        "18470|14|Login failed for user 'dbtool_monitor'. Reason: The account is disabled.|MSSQL_LOGIN_DISABLED|ENABLE",
        "18486|14|Login failed for user 'dbtool_monitor' because the account is currently locked out.|MSSQL_LOGIN_LOCKED_OUT|UNLOCK",
        "18487|14|Login failed for user 'dbtool_monitor'. Reason: The password of the account has expired.|MSSQL_PASSWORD_EXPIRED|OLD_PASSWORD",
        "18488|14|Login failed for user 'dbtool_monitor'. Reason: The password of the account must be changed.|MSSQL_PASSWORD_EXPIRED|OLD_PASSWORD",
        "40615|14|Cannot open server 'shop-prod' requested by the login. Client with IP address '203.0.113.7' is not allowed to access "
                + "the server.|MSSQL_AZURE_FIREWALL|firewall",
        "40613|17|Database 'shop' on server 'shop-prod' is not currently available. Please retry the connection later.|"
                + "MSSQL_AZURE_DATABASE_UNAVAILABLE|Retry",
        "40532|16|Cannot open server \"shop-prod\" requested by the login. The login failed.|MSSQL_AZURE_SERVER_NAME|database.windows.net",
    })
    void aRefusedLoginIsOnePlainCauseByItsErrorNumber(int number, int severity, String message, String code, String advice) {
        // as SQL Server reports most refusals: the specific error, then the generic 18456
        responder = TdsResponder.start(SqlServerScenario.healthy().refuseLogin(new TdsAnswer.Failure(number, 1, severity, message),
                new TdsAnswer.Failure(18456, 1, 14, "Login failed for user '" + SqlServerScenario.USER + "'.")));
        Report report = PluginRun.run(new SqlServerPlugin(), SqlServerScenario.url(responder, SqlServerScenario.PASSWORD,
                SqlServerScenario.DATABASE), Credentials.none(), Map.of(), Duration.ofSeconds(20));

        Finding failed = Reports.require(report, code);
        assertEquals(Severity.CRITICAL, failed.severity());
        assertTrue(failed.title().startsWith("Cannot log in to 127.0.0.1:" + responder.port() + ": "), failed.title());
        assertTrue(failed.title().contains("(error " + (number == 18488 ? 18487 : number)) || failed.title().contains("error 18487/18488"),
                failed.title());
        assertTrue(failed.detail().endsWith("(error " + number + ")"), failed.detail());
        assertFalse(failed.detail().contains("\n"), failed.detail());
        assertTrue(failed.recommendation().contains(advice), failed.recommendation());
        assertTrue(Reports.finding(report, "MSSQL_LOGIN_FAILED").isEmpty(), "not the generic 18456 that follows it");
        assertFalse(Reports.everything(report).contains(SqlServerScenario.PASSWORD));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"Pa+ss%2Bw@rd:x", "Pa%2Bss%2Bw%40rd%3Ax"})
    void aUrlPasswordArrivesAsWrittenWithPlusAtAndColonKept(String written) {
        responder = TdsResponder.start(SqlServerScenario.healthy().login(SqlServerScenario.USER, "Pa+ss+w@rd:x"));
        Report report = PluginRun.run(new SqlServerPlugin(), SqlServerScenario.url(responder, written, SqlServerScenario.DATABASE),
                Credentials.none(), Map.of(), Duration.ofSeconds(20));
        Reports.require(report, "MSSQL_CONNECTED");
    }
}
