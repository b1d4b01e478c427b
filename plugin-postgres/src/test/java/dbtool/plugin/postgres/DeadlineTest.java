package dbtool.plugin.postgres;

import static dbtool.testkit.CheckFixtures.probe;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.report.Report;
import dbtool.plugin.postgres.demo.LocalCluster;
import dbtool.spi.Check;
import dbtool.spi.CheckResult;
import dbtool.spi.Credentials;
import dbtool.spi.Finding;
import dbtool.testkit.PluginRun;
import dbtool.testkit.Reports;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When the deadline ends a check, the report says where the session was. */
class DeadlineTest {

    /** Runs the connection check against a server that accepts TCP connections and never answers: a hung postmaster. */
    private static Report silentServer(Duration timeout) throws Exception {
        List<Socket> held = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread acceptor = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        held.add(silent.accept()); // accepted, never answered: a hung postmaster
                    }
                } catch (Exception closed) {
                    // the test is over
                }
            });
            PostgresPlugin plugin = new PostgresPlugin();
            List<Check> connection = plugin.checks().stream().filter(c -> c.id().equals("connection")).toList();
            Report report = PluginRun.run(plugin, "postgresql://monitor@127.0.0.1:" + silent.getLocalPort() + "/postgres",
                    Credentials.none(), Map.of(), timeout, connection);
            acceptor.interrupt();
            return report;
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    @Test
    void whenTheDeadlineEndsTheLoginTheReportSaysWhichStageWasSilent() throws Exception {
        // 0.8 s: before pgjdbc's own login timeout (whole seconds, at least 1) gives up.
        String error = Reports.check(silentServer(Duration.ofMillis(800)), "connection").error();
        assertTrue(error.matches("did not finish before the deadline of 0\\.8 s \\(raise it with --timeout\\): "
                + "TCP connected in \\d+ ms; the server did not answer the startup message in \\d+ ms: "
                + "the server process is hung or overloaded"), error);
    }

    @Test
    void whenTheDriverGivesUpFirstTheFindingSaysWhichStageWasSilent() throws Exception {
        // 7 s: pgjdbc's login timeout (5 s, the connect timeout) ends the login before the deadline.
        Finding timeout = Reports.require(silentServer(Duration.ofSeconds(7)), "PG_CONNECT_TIMEOUT");
        assertTrue(timeout.detail().matches("TCP connected in \\d+ ms; the server did not answer the startup message in [0-9.]+ s: "
                + "the server process is hung or overloaded\\. .+"), timeout.detail());
    }

    @Test
    void aStatementTheDeadlineEndsIsNamed() throws Exception {
        try (LocalCluster cluster = LocalCluster.start(LocalCluster.Settings.defaults())) {
            Check sleeper = probe("sleeper", "queries", "waits longer than the deadline", (session, context) -> {
                ((PostgresSession) session).connection();
                // Start late enough that the deadline, not the statement timeout, ends it.
                Thread.sleep(1000);
                ((PostgresSession) session).query("SELECT pg_sleep(30) /* dbtool deadline test */", context);
                return CheckResult.healthy();
            });
            Report report = PluginRun.run(new PostgresPlugin(), cluster.url("postgres"), Credentials.none(), Map.of(),
                    Duration.ofSeconds(3), List.of(sleeper));
            String error = Reports.check(report, "sleeper").error();
            assertTrue(error.matches("did not finish before the deadline of 3 s \\(raise it with --timeout\\): the statement running was "
                    + "SELECT pg_sleep\\(30\\) /\\* dbtool deadline test \\*/ \\(for [0-9.]+ (ms|s)\\)"), error);
        }
    }
}
