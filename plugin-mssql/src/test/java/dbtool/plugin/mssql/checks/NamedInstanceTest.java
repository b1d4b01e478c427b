package dbtool.plugin.mssql.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.report.Report;
import dbtool.plugin.mssql.SqlServerPlugin;
import dbtool.spi.Credentials;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.testkit.PluginRun;
import dbtool.testkit.Reports;
import dbtool.testkit.tds.SqlBrowserResponder;
import dbtool.testkit.tds.TdsResponder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A named instance: the session asks SQL Browser (a UDP responder on a free loopback port, given
 * with browserPort) for the instance's TCP port, times that as its own stage, and then logs in there
 * through jTDS.
 */
class NamedInstanceTest {

    TdsResponder server;
    SqlBrowserResponder browser;

    @BeforeEach
    void start() {
        server = SqlServerScenario.start();
        browser = SqlBrowserResponder.start(0, "SQLPROD01").instance("SALES", server.port());
    }

    @AfterEach
    void stop() {
        browser.close();
        server.close();
    }

    private Report run(String instance) {
        String url = "sqlserver://" + SqlServerScenario.USER + ":" + SqlServerScenario.PASSWORD + "@127.0.0.1/" + SqlServerScenario.DATABASE
                + "?instance=" + instance + "&browserPort=" + browser.port();
        return PluginRun.run(new SqlServerPlugin(), url, Credentials.none(), Map.of(), Duration.ofSeconds(20));
    }

    @Test
    void theInstancePortComesFromSqlBrowserAsItsOwnStage() {
        Report report = run("sales");

        Reports.assertNoUnknown(report);
        Finding connected = Reports.require(report, "MSSQL_CONNECTED");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> stages = (List<Map<String, Object>>) connected.evidence().get("stages");
        assertEquals(List.of("dns", "browser", "tcp", "login"), stages.stream().map(s -> s.get("stage")).toList());
        assertEquals("instance sales listens on TCP " + server.port(), stages.get(1).get("result"));
        assertEquals(List.of("instance sales"), browser.requests(), "one Browser question, and jTDS asks none of its own");
        assertEquals(1, server.logins().size());
        assertEquals(List.of(), server.unexpected(), "every check had its canned answer at the instance's port");
    }

    @Test
    void anInstanceTheBrowserDoesNotKnowIsOneFindingWithoutALoginAttempt() {
        Report report = run("NOSUCH");

        Finding failed = Reports.require(report, "MSSQL_INSTANCE_PORT_UNKNOWN");
        assertEquals(Severity.CRITICAL, failed.severity());
        assertTrue(failed.detail().startsWith("SQL Browser on 127.0.0.1 (UDP " + browser.port() + ") did not answer for instance NOSUCH"),
                failed.detail());
        assertTrue(failed.recommendation().contains("host:PORT"), failed.recommendation());
        assertEquals(List.of(), server.logins(), "no login to a port nobody named");
        assertTrue(Reports.check(report, "blocking").error().startsWith("not connected: SQL Browser on 127.0.0.1"),
                Reports.check(report, "blocking").error());
    }
}
