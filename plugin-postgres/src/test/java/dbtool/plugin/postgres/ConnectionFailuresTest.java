package dbtool.plugin.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.report.JsonReportWriter;
import dbtool.core.report.Report;
import dbtool.core.report.Style;
import dbtool.core.report.TextReportRenderer;
import dbtool.plugin.postgres.demo.LocalCluster;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.testkit.Reports;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each way of failing to connect gets its own finding, a CRITICAL status and no stack trace. */
class ConnectionFailuresTest {

    @RegisterExtension
    static final TestCluster cluster = new TestCluster(LocalCluster.Settings.defaults().withHba("host all shut_out 127.0.0.1/32 reject"),
            "CREATE ROLE app_user LOGIN PASSWORD 'right-horse-battery'",
            "CREATE ROLE no_login PASSWORD 'whatever-1' NOLOGIN",
            "CREATE ROLE shut_out LOGIN PASSWORD 'whatever-2'");

    @Test
    void wrongPasswordIsNamedAndThePasswordNeverAppears() {
        String secret = "Wr0ng-S3cret-Value";
        Report report = Troubleshoot.run("postgresql://app_user:" + secret + "@127.0.0.1:" + cluster.port() + "/postgres", Map.of());

        Finding auth = Reports.require(report, "PG_AUTH_FAILED");
        assertEquals(Severity.CRITICAL, auth.severity());
        assertTrue(auth.detail().contains("password authentication failed"), auth.detail());
        assertEquals(Severity.CRITICAL, report.status());
        String everything = JsonReportWriter.toJson(report) + new TextReportRenderer(Style.PLAIN).render(report);
        assertFalse(everything.contains(secret), "the password leaked into the report");
        assertTrue(Reports.check(report, "blocking").error().startsWith("not connected"),
                "later checks say why they could not run");
    }

    @Test
    void rightPasswordFromTheUrlConnects() {
        Report report = Troubleshoot.run("postgresql://app_user:right-horse-battery@127.0.0.1:" + cluster.port() + "/postgres", Map.of());
        Reports.require(report, "PG_CONNECTED");
    }

    @Test
    void missingDatabase() {
        Finding missing = Reports.require(Troubleshoot.run(cluster.url("no_such_db"), Map.of()), "PG_DATABASE_MISSING");
        assertTrue(missing.detail().contains("no_such_db"), missing.detail());
    }

    @Test
    void roleThatCannotLogIn() {
        Reports.require(Troubleshoot.run("postgresql://no_login:whatever-1@127.0.0.1:" + cluster.port() + "/postgres", Map.of()),
                "PG_AUTH_ROLE_CANNOT_LOGIN");
    }

    @Test
    void pgHbaRejection() {
        Finding hba = Reports.require(Troubleshoot.run("postgresql://shut_out:whatever-2@127.0.0.1:" + cluster.port() + "/postgres",
                Map.of()), "PG_AUTH_NO_HBA_ENTRY");
        assertTrue(hba.recommendation().contains("pg_hba.conf"));
    }

    @Test
    void closedPortFailsFastAtTheTcpStage() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        long start = System.nanoTime();
        Report report = Troubleshoot.run("postgresql://postgres@127.0.0.1:" + port + "/postgres", Map.of(), Duration.ofSeconds(5), List.of());
        long millis = (System.nanoTime() - start) / 1_000_000;

        Finding refused = Reports.require(report, "PG_CONNECTION_REFUSED");
        assertEquals(Severity.CRITICAL, refused.severity());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> stages = (List<Map<String, Object>>) refused.evidence().get("stages");
        assertEquals("tcp", stages.getLast().get("stage"));
        assertTrue(millis < 5000, "took " + millis + " ms");
        assertEquals(2, report.exitCode());
    }
}
