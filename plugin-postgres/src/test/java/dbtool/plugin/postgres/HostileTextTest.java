package dbtool.plugin.postgres;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.report.JsonReportWriter;
import dbtool.core.report.Report;
import dbtool.core.report.Style;
import dbtool.core.report.TextReportRenderer;
import dbtool.testkit.Poll;
import dbtool.testkit.Reports;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A database user controls query texts and role names: what they put there is shown on the
 * on-call engineer's terminal, escaped, never obeyed (issue 13, terminal escape injection).
 */
class HostileTextTest {

    /** Clear the screen, print a green "all OK", then go back to the start of the line and up. */
    static final String HOSTILE = "\u001b[2J\u001b[32mall OK\u001b[0m\r\u001b[1A";

    @RegisterExtension
    static final TestCluster cluster = TestCluster.defaults("CREATE DATABASE app", "CREATE ROLE \"ops" + HOSTILE + "\" LOGIN PASSWORD 'ops-pw'");

    @Test
    void queryTextAndRoleNameAreEscapedInTextAndJson() throws Exception {
        try (Connection hostile = cluster.connect("app", "ops" + HOSTILE, "ops-pw", "reporting")) {
            // A thread of its own: on two cores the common pool has one thread, which a blocked task would hold.
            CompletableFuture<Void> running = CompletableFuture.runAsync(() -> {
                try (Statement statement = hostile.createStatement()) {
                    statement.execute("SELECT pg_sleep(60) /* " + HOSTILE + " */");
                } catch (Exception e) {
                    // cancelled when the test ends
                }
            }, Thread.ofPlatform().daemon()::start);
            awaitRunning();

            Report report = Troubleshoot.run(cluster.url("app"), Map.of("long_query_seconds", "0"), Duration.ofSeconds(10), List.of());
            var query = Reports.require(report, "PG_LONG_QUERY");
            assertTrue(query.evidence().toString().contains(HOSTILE), "the report itself keeps what the server said: " + query.evidence());

            String text = new TextReportRenderer(new Style(true, true)).render(report);
            String withoutOwnColours = text;
            for (String own : List.of("\u001b[0m", "\u001b[1m", "\u001b[2m", "\u001b[1;31m", "\u001b[1;35m", "\u001b[1;33m",
                    "\u001b[36m", "\u001b[32m")) {
                withoutOwnColours = withoutOwnColours.replace(own, "");
            }
            assertFalse(text.contains("\u001b[2J") || text.contains("\u001b[32mall OK") || text.contains("\r"), text);
            assertTrue(withoutOwnColours.chars().noneMatch(c -> c < 0x20 && c != '\n' || c >= 0x7f && c <= 0x9f),
                    "no control character but line feeds:\n" + withoutOwnColours);
            assertTrue(text.contains("\\e[2J\\e[32mall OK\\e[0m\\r\\e[1A"), "the query text, shown escaped:\n" + text);
            assertTrue(text.contains("ops\\e[2J"), "the role, shown escaped:\n" + text);
            assertTrue(text.contains("\u001b[1;33mWARNING"), "dbtool's own colours still work:\n" + text);

            String json = JsonReportWriter.toJson(report);
            assertTrue(json.chars().noneMatch(c -> c < 0x20 && c != '\n' || c >= 0x7f && c <= 0x9f), json);
            assertTrue(json.contains("\\u001b[2J"), "JSON escapes by its rules: " + json);

            cluster.execute("postgres", "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = 'reporting'");
            running.join();
        }
    }

    private static void awaitRunning() throws Exception {
        try (Connection connection = cluster.connect("postgres")) {
            Poll.untilCount(connection, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'reporting' AND wait_event = 'PgSleep'",
                    n -> n == 1, Duration.ofSeconds(5), "the hostile query did not start");
        }
    }
}
