package dbtool.serve.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.serve.Reports;
import dbtool.serve.http.Request;
import dbtool.serve.http.Response;
import dbtool.serve.schedule.MemoryServeState;
import dbtool.serve.schedule.Sample;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** /metrics reuses what it wrote for the same samples, and still shows every new run and the server's live counters. */
class MetricsEndpointTest {

    private static final String OPEN_METRICS_ACCEPT = "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5";

    private final MemoryServeState state = new MemoryServeState();
    private final AtomicLong requests = new AtomicLong();
    private final MetricsEndpoint endpoint = new MetricsEndpoint(state::all,
            () -> new ServeMetrics.ServerCounters(Map.of("orders", 1L), 0, Map.of(200, requests.incrementAndGet())));

    private String scrape(String accept) throws Exception {
        Map<String, List<String>> headers = accept == null ? Map.of() : Map.of("accept", List.of(accept));
        Response response = endpoint.handle(new Request("GET", "/metrics", null, headers, Map.of(), new byte[0],
                new InetSocketAddress("127.0.0.1", 40000)));
        assertEquals(200, response.status());
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    @Test
    void scrapesBetweenRunsReuseTheFamiliesButCountLive() throws Exception {
        state.record(Sample.of("orders", Reports.blocked("orders"), Instant.parse("2026-12-07T10:00:01Z")));
        String first = scrape(null);
        String second = scrape(null);
        assertEquals(1, endpoint.builds(), "the same sample is turned into families once");
        assertTrue(first.contains("dbtool_blocked_sessions{check=\"blocking\",engine=\"postgresql\",target=\"orders\"} 3.0"), first);
        assertTrue(first.contains("dbtool_serve_http_requests_total{code=\"200\"} 1.0"), first);
        assertTrue(second.contains("dbtool_serve_http_requests_total{code=\"200\"} 2.0"), "the server's counters are read at each scrape: " + second);
        assertEquals(first.lines().filter(line -> !line.startsWith("dbtool_serve_")).toList(),
                second.lines().filter(line -> !line.startsWith("dbtool_serve_")).toList());
    }

    @Test
    void aNewRunIsShownAtTheNextScrape() throws Exception {
        state.record(Sample.of("orders", Reports.blocked("orders"), Instant.parse("2026-12-07T10:00:01Z")));
        assertTrue(scrape(null).contains("dbtool_blocked_sessions{"));
        state.record(Sample.of("orders", Reports.healthy("orders"), Instant.parse("2026-12-07T10:00:31Z")));
        String after = scrape(null);
        assertFalse(after.contains("dbtool_blocked_sessions{"), "the blocked chain is gone with the new run: " + after);
        assertTrue(after.contains("dbtool_connections{check=\"connections\",engine=\"postgresql\",target=\"orders\"} 2.0"), after);
        state.record(Sample.of("billing", Reports.healthy("billing"), Instant.parse("2026-12-07T10:00:32Z")));
        assertTrue(scrape(null).contains("target=\"billing\""), "a new target is shown too");
        assertEquals(3, endpoint.builds());
    }

    @Test
    void eachFormatIsWholeWhateverWasAskedBefore() throws Exception {
        state.record(Sample.of("orders", Reports.blocked("orders"), Instant.parse("2026-12-07T10:00:01Z")));
        String text = scrape(null);
        String openMetrics = scrape(OPEN_METRICS_ACCEPT);
        String textAgain = scrape("text/plain");
        assertFalse(text.contains("# EOF"), text);
        assertTrue(openMetrics.endsWith("# EOF\n"), openMetrics);
        assertEquals(1, openMetrics.split("# EOF", -1).length - 1, "one EOF, at the end: " + openMetrics);
        assertTrue(openMetrics.contains("# TYPE dbtool_temp_files counter"), "OpenMetrics names the counter family without _total");
        assertTrue(openMetrics.contains("dbtool_serve_runs_total{target=\"orders\"} 1.0"), openMetrics);
        assertTrue(textAgain.contains("# TYPE dbtool_temp_files_total counter"), textAgain);
        assertFalse(textAgain.contains("# EOF"), textAgain);
        assertEquals(1, endpoint.builds(), "formats share the families; each is written once");
    }
}
