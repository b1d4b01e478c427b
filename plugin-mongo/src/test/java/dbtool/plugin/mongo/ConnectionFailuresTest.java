package dbtool.plugin.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.spi.dns.DnsClient;
import com.mongodb.spi.dns.DnsWithResponseCodeException;
import dbtool.core.report.Report;
import dbtool.spi.Credentials;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.testkit.PluginRun;
import dbtool.testkit.Reports;
import dbtool.testkit.mongo.FakeMongod;
import dbtool.testkit.mongo.MongoScenario;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each stage that can fail, classified, in one line, without the password. */
class ConnectionFailuresTest {

    private static final String PASSWORD = "Sup3r:Secret@pw";
    private static final String ENCODED = "Sup3r%3ASecret%40pw";

    @Test
    void nothingListeningIsRefusedAndLaterChecksDoNotWaitAgain() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        long start = System.nanoTime();
        Report report = Troubleshoot.run("mongodb://monitor:" + ENCODED + "@127.0.0.1:" + port + "/admin");
        long millis = (System.nanoTime() - start) / 1_000_000;

        Finding refused = Reports.require(report, "MONGO_CONNECTION_REFUSED");
        assertEquals(Severity.CRITICAL, refused.severity());
        assertTrue(Reports.check(report, "lock-waits").error().startsWith("currentOp failed: not connected:"),
                Reports.check(report, "lock-waits").error());
        assertTrue(millis < 9000, "no server selection timeout per check: " + millis + " ms");
        assertNoSecret(report);
    }

    @Test
    void rejectedPasswordIsAnAuthenticationFailureWithoutTheSecret() {
        try (FakeMongod server = FakeMongod.start(MongoScenario.healthyStandalone().refuseLogins())) {
            Report report = Troubleshoot.run("mongodb://monitor:" + ENCODED + "@127.0.0.1:" + server.port() + "/admin");

            Finding auth = Reports.require(report, "MONGO_AUTH_FAILED");
            assertTrue(auth.detail().contains("as 'monitor'"), auth.detail());
            assertTrue(auth.detail().contains("Authentication failed"), auth.detail());
            assertTrue(auth.recommendation().contains("authSource"), auth.recommendation());
            assertNoSecret(report);
        }
    }

    @Test
    void credentialsFromDbtoolWinOverTheUrlAndStaySecret() {
        try (FakeMongod server = FakeMongod.start(MongoScenario.healthyStandalone().refuseLogins())) {
            Report report = PluginRun.run(new MongoPlugin(), "mongodb://127.0.0.1:" + server.port() + "/",
                    Credentials.password("vault-user", PASSWORD.toCharArray(), "vault:database/creds/ro"), Map.of(), Duration.ofSeconds(10));

            Finding auth = Reports.require(report, "MONGO_AUTH_FAILED");
            assertTrue(auth.detail().contains("as 'vault-user'"), auth.detail());
            assertNoSecret(report);
        }
    }

    @Test
    void missingSrvRecordIsNamed() {
        DnsClient noRecords = (name, type) -> {
            throw new DnsWithResponseCodeException(name + " does not exist (NXDOMAIN)", 3, null);
        };
        Report report = PluginRun.run(new MongoPlugin(timeout -> noRecords), "mongodb+srv://monitor:" + ENCODED + "@cluster0.example.net/",
                Credentials.none(), Map.of(), Duration.ofSeconds(10));

        Finding srv = Reports.require(report, "MONGO_SRV_LOOKUP_FAILED");
        assertTrue(srv.detail().contains("_mongodb._tcp.cluster0.example.net does not exist"), srv.detail());
        assertTrue(srv.recommendation().contains("dig SRV _mongodb._tcp.cluster0.example.net"), srv.recommendation());
        assertNoSecret(report);
    }

    @Test
    void srvRecordsLeadToTheirHosts() {
        try (FakeMongod server = FakeMongod.start(MongoScenario.healthyStandalone())) {
            // The SRV answer points at the test server. The driver then refuses it: SRV targets must
            // share the name's parent domain, which no loopback name does; the stages before show the lookup.
            DnsClient dns = (name, type) -> type.equals("SRV") ? List.of("0 0 " + server.port() + " localhost.") : List.of();
            Report report = PluginRun.run(new MongoPlugin(timeout -> dns), "mongodb+srv://localhost/?tls=false",
                    Credentials.none(), Map.of(), Duration.ofSeconds(3), new MongoPlugin().checks().subList(0, 1));

            Finding finding = Reports.check(report, "connection").findings().getFirst();
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> stages = (List<Map<String, Object>>) finding.evidence().get("stages");
            assertEquals("dns-srv", stages.get(0).get("stage"));
            assertEquals("1 hosts", stages.get(0).get("result"));
            assertEquals("localhost:" + server.port() + " connected", stages.get(2).get("result"));
        }
    }

    @Test
    void invalidUrlIsOneLineWithoutTheSecret() {
        try (FakeMongod server = FakeMongod.start(MongoScenario.healthyStandalone())) {
            Report report = Troubleshoot.run("mongodb://monitor:" + ENCODED + "@127.0.0.1:" + server.port() + "/?authMechanism=NO-SUCH-MECHANISM");

            Finding bad = Reports.require(report, "MONGO_BAD_URL");
            assertFalse(bad.detail().contains("\n"), bad.detail());
            assertNoSecret(report);
        }
    }

    private static void assertNoSecret(Report report) {
        String all = Reports.everything(report);
        for (String secret : List.of(PASSWORD, ENCODED, "Sup3r", "Secret@pw")) {
            assertFalse(all.contains(secret), "secret '" + secret + "' in the report:\n" + all);
        }
    }
}
