package dbtool.plugin.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.report.JsonReportWriter;
import dbtool.core.report.Report;
import dbtool.core.report.Style;
import dbtool.core.report.TextReportRenderer;
import dbtool.core.report.TraceLinks;
import dbtool.spi.Finding;
import dbtool.testkit.Poll;
import dbtool.testkit.Reports;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A staged blocking chain on a throwaway cluster whose sessions carry the application's trace context the
 * ways applications put it: a traceparent in application_name (the head), a sqlcommenter comment (a waiter),
 * and a comment after a statement longer than the query column keeps (another waiter).
 */
class TraceContextIncidentTest {

    @RegisterExtension
    static final TestCluster cluster = TestCluster.defaults("CREATE DATABASE traced");

    static final String HEAD_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String HEAD_SPAN = "00f067aa0ba902b7";
    static final String WAITER_TRACE = "0af7651916cd43dd8448eb211c80319c";
    static final String WAITER_SPAN = "b7ad6b7169203331";
    static final String LONG_TRACE = "5b8aa5a2d2c872e8321cf37308d69df2";
    static final String LONG_SPAN = "051581bf3cb55c13";

    @Test
    void theBlockingTreeShowsEachSessionsTraceInTextAndJsonWithLinks() throws Exception {
        cluster.execute("traced", "CREATE TABLE IF NOT EXISTS orders (id int PRIMARY KEY, state text)",
                "INSERT INTO orders VALUES (1, 'new') ON CONFLICT DO NOTHING");
        ExecutorService background = Executors.newCachedThreadPool();
        // application_name keeps 63 bytes: a traceparent (55) leaves 7 for the service and a space.
        try (Connection head = cluster.connect("traced", "postgres", null, "orders 00-" + HEAD_TRACE + "-" + HEAD_SPAN + "-01");
             Connection waiter = cluster.connect("traced", "postgres", null, "api");
             Connection longWaiter = cluster.connect("traced", "postgres", null, "worker")) {
            head.setAutoCommit(false);
            try (Statement statement = head.createStatement()) {
                statement.executeUpdate("UPDATE orders SET state = 'paying' WHERE id = 1");
            }
            background.submit(() -> waiter.createStatement().executeUpdate("UPDATE orders SET state = 'paid' WHERE id = 1 "
                    + "/*application='billing%20api',route='%2Fpay%2F%7Bid%7D',traceparent='00-" + WAITER_TRACE + "-" + WAITER_SPAN + "-01'*/"));
            // 300 characters of select list before the comment: the query column keeps 200.
            String padding = "1" + ", 1".repeat(100);
            background.submit(() -> longWaiter.createStatement().executeUpdate("UPDATE orders SET state = 'shipped' WHERE id = 1 AND 1 IN ("
                    + padding + ") /*traceparent='00-" + LONG_TRACE + "-" + LONG_SPAN + "-01',application='shipping'*/"));
            try (Connection admin = cluster.connect("traced")) {
                Poll.untilCount(admin, "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'", n -> n >= 2,
                        Duration.ofSeconds(5), "the waiters did not queue");
            }

            Report report = Troubleshoot.run(cluster.url("traced"), Map.of());
            Finding chain = Reports.require(report, "PG_BLOCKING_CHAIN");
            @SuppressWarnings("unchecked")
            Map<String, Object> root = ((List<Map<String, Object>>) chain.evidence().get("blockingTree")).getFirst();
            assertEquals(HEAD_TRACE, root.get("traceId"));
            assertEquals(HEAD_SPAN, root.get("spanId"));
            assertEquals("orders", root.get("service"));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> waiters = (List<Map<String, Object>>) root.get("blocked");
            List<Map<String, Object>> all = flattened(waiters);
            assertTrue(all.stream().anyMatch(n -> WAITER_TRACE.equals(n.get("traceId")) && WAITER_SPAN.equals(n.get("spanId"))
                    && "billing api".equals(n.get("service"))), all.toString());
            assertTrue(all.stream().anyMatch(n -> LONG_TRACE.equals(n.get("traceId")) && "shipping".equals(n.get("service"))),
                    "the comment after the cut query text is still read: " + all);
            assertFalse(root.containsKey(TraceLinks.URL), "no link without a template");

            String unlinked = new TextReportRenderer(Style.PLAIN).render(report);
            assertTrue(unlinked.contains("[trace " + HEAD_TRACE + " span " + HEAD_SPAN + " service orders]"), unlinked);
            assertFalse(unlinked.contains("tempo.example"), unlinked);

            Report linked = TraceLinks.template("https://tempo.example/trace/{traceId}").apply(report);
            String text = new TextReportRenderer(Style.PLAIN).render(linked);
            for (String trace : List.of(HEAD_TRACE, WAITER_TRACE, LONG_TRACE)) {
                assertTrue(text.contains("span ") && text.contains(" https://tempo.example/trace/" + trace + "]"), text);
            }
            String json = JsonReportWriter.toJson(linked).replaceAll("\\s+", "");
            assertTrue(json.contains("\"traceId\":\"" + HEAD_TRACE + "\",\"spanId\":\"" + HEAD_SPAN + "\",\"service\":\"orders\""), json);
            assertTrue(json.contains("\"spanId\":\"" + WAITER_SPAN + "\",\"service\":\"billingapi\",\"traceUrl\":\"https://tempo.example/trace/"
                    + WAITER_TRACE + "\""), json);
            assertTrue(json.contains("\"traceUrl\":\"https://tempo.example/trace/" + LONG_TRACE + "\""), json);
        } finally {
            background.shutdownNow();
        }
    }

    private static List<Map<String, Object>> flattened(List<Map<String, Object>> nodes) {
        return nodes.stream().<Map<String, Object>>mapMulti((node, out) -> {
            out.accept(node);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> children = (List<Map<String, Object>>) node.getOrDefault("blocked", List.of());
            flattened(children).forEach(out);
        }).toList();
    }
}
