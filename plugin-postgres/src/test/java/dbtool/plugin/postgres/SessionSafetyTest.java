package dbtool.plugin.postgres;

import static dbtool.testkit.CheckFixtures.leaving;
import static dbtool.testkit.CheckFixtures.probe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dbtool.core.report.Report;
import dbtool.spi.Category;
import dbtool.spi.Check;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.Credentials;
import dbtool.spi.SessionSettings;
import dbtool.spi.Target;
import dbtool.testkit.Reports;
import java.net.URI;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The session settings that keep a diagnosis from making an incident worse, read back from the server. */
class SessionSafetyTest {

    @RegisterExtension
    static final TestCluster cluster = TestCluster.defaults();

    @Test
    void sessionIsReadOnlyWithTimeoutsAndIdentifiesItself() throws Exception {
        try (PostgresSession session = open()) {
            Map<String, Object> settings = session.queryOne("""
                    SELECT current_setting('application_name') AS app,
                           current_setting('default_transaction_read_only') AS read_only,
                           current_setting('statement_timeout') AS statement_timeout,
                           current_setting('lock_timeout') AS lock_timeout
                    """, null);
            assertEquals("dbtool", settings.get("app"));
            assertEquals("on", settings.get("read_only"));
            assertEquals("5s", settings.get("statement_timeout"));
            assertEquals("500ms", settings.get("lock_timeout"));

            SQLException write = assertThrows(SQLException.class,
                    () -> session.connection().createStatement().execute("CREATE TABLE should_not_exist (id int)"));
            assertEquals("25006", write.getSQLState(), "read_only_sql_transaction");
        }
    }

    @Test
    void aWholeTroubleshootUsesExactlyOneConnection() {
        Check probe = probe("probe", Category.QUERIES, "counts dbtool sessions", (session, context) -> {
            Map<String, Object> row = ((PostgresSession) session).queryOne(
                    "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'dbtool'", context);
            return CheckResult.builder().metric("dbtool_sessions", row.get("n")).build();
        });
        Report report = Troubleshoot.run(cluster.url("postgres"), Map.of(), Duration.ofSeconds(10), List.of(probe));
        assertEquals(1L, Reports.check(report, "probe").metrics().get("dbtool_sessions"));
    }

    @Test
    void statementsStopAtTheDeadline() throws Exception {
        try (PostgresSession session = open()) {
            CheckContext nearlyOver = leaving(Duration.ofMillis(900));
            long start = System.nanoTime();
            assertThrows(SQLException.class, () -> session.query("SELECT pg_sleep(30)", nearlyOver));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(true, millis < 10_000, "took " + millis + " ms");
        }
    }

    @Test
    void serverVersionFromTheLoginMatchesTheServersOwnNumber() throws Exception {
        try (PostgresSession session = open()) {
            session.connection();
            int fromLogin = session.serverVersion();
            Object asked = session.queryOne("SHOW server_version_num", null).get("server_version_num");
            assertEquals(Integer.parseInt(String.valueOf(asked)), fromLogin);
        }
    }

    private static PostgresSession open() {
        PostgresPlugin plugin = new PostgresPlugin();
        URI url = URI.create(cluster.url("postgres"));
        Target target = new Target("t", url, "postgresql", "127.0.0.1", cluster.port(), "postgres", List.of(), Map.of());
        return (PostgresSession) plugin.open(target, Credentials.none(), SessionSettings.defaults());
    }
}
