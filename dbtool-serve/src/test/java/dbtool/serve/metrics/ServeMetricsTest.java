package dbtool.serve.metrics;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.report.CheckReport;
import dbtool.core.report.Report;
import dbtool.core.report.TargetInfo;
import dbtool.serve.Reports;
import dbtool.serve.schedule.Sample;
import dbtool.spi.Severity;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a Prometheus user queries: the families, their types and labels, from a last report. */
class ServeMetricsTest {

    private static String exposition(List<Sample> samples) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, ServeMetrics.snapshot(samples,
                new ServeMetrics.ServerCounters(Map.of("orders", 4L), 1, Map.of(200, 9L))), EscapingScheme.UNDERSCORE_ESCAPING);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void everyNumericCheckMetricIsAGaugeWithTargetEngineAndCheckLabels() throws Exception {
        String text = exposition(List.of(Sample.of("orders", Reports.blocked("orders"), Instant.parse("2026-12-07T10:00:01Z"))));
        assertTrue(text.contains("# TYPE dbtool_blocked_sessions gauge"), text);
        assertTrue(text.contains("dbtool_blocked_sessions{check=\"blocking\",engine=\"postgresql\",target=\"orders\"} 3.0"), text);
        assertTrue(text.contains("dbtool_head_blockers{check=\"blocking\",engine=\"postgresql\",target=\"orders\"} 1.0"), text);
        assertTrue(text.contains("dbtool_in_recovery{check=\"connections\",engine=\"postgresql\",target=\"orders\"} 0.0"), text);
        assertFalse(text.contains("chains"), "a text metric stays in the report");
    }

    @Test
    void aReportRestoredFromTheStoreIsNotExportedAsIfMeasuredNow() throws Exception {
        String text = exposition(List.of(Sample.restored("orders", Reports.blocked("orders"), Instant.parse("2026-12-07T09:00:00Z")),
                Sample.of("billing", Reports.healthy("billing"), Instant.now())));
        assertTrue(text.contains("dbtool_connections{check=\"connections\",engine=\"postgresql\",target=\"billing\"}"), text);
        assertFalse(text.contains("engine=\"postgresql\",target=\"orders\"}"), text);
    }

    @Test
    void theServersCumulativeCountersAreCountersSoRateWorks() throws Exception {
        String text = exposition(List.of(Sample.of("orders", Reports.blocked("orders"), Instant.now())));
        assertTrue(text.contains("# TYPE dbtool_temp_files_total counter"), text);
        assertTrue(text.contains("dbtool_temp_files_total{check=\"temp_files\",engine=\"postgresql\",target=\"orders\"} 12.0"), text);
        assertTrue(text.contains("dbtool_serve_runs_total{target=\"orders\"} 4.0"), text);
        assertTrue(text.contains("dbtool_serve_http_requests_total{code=\"200\"} 9.0"), text);
    }

    @Test
    void aMetricNoCheckDeclaresACounterStaysAGaugeAsForAPluginWrittenBeforeCounters() throws Exception {
        // The same numbers as above from a check that declares no counters (SPI 1.0): gauges, and no _total.
        Report report = Report.of("test", new TargetInfo("orders", "postgresql", "127.0.0.1", 5432, "postgres"), Instant.now(), 10,
                List.of(new CheckReport("temp_files", "queries", Severity.OK, 4, null, Map.of("temp_files", 12L), List.of())));
        String text = exposition(List.of(Sample.of("orders", report, Instant.now())));
        assertTrue(text.contains("# TYPE dbtool_temp_files gauge"), text);
        assertTrue(text.contains("dbtool_temp_files{check=\"temp_files\",engine=\"postgresql\",target=\"orders\"} 12.0"), text);
        assertFalse(text.contains("dbtool_temp_files_total"), text);
    }

    @Test
    void statusDurationAndFindingCountsPerTargetAndCheck() throws Exception {
        String text = exposition(List.of(Sample.of("orders", Reports.blocked("orders"), Instant.parse("2026-12-07T10:00:01Z")),
                Sample.failed("typo", "unknown target 'typo'", Instant.parse("2026-12-07T10:00:02Z"))));
        assertTrue(text.contains("dbtool_target_status{engine=\"postgresql\",target=\"orders\"} 2.0"), text);
        assertTrue(text.contains("dbtool_target_status{engine=\"\",target=\"typo\"} 3.0"), text);
        assertTrue(text.contains("dbtool_target_up{engine=\"\",target=\"typo\"} 0.0"), text);
        assertTrue(text.contains("dbtool_check_status{category=\"locks\",check=\"blocking\",engine=\"postgresql\",target=\"orders\"} 2.0"), text);
        assertTrue(text.contains("dbtool_check_duration_seconds{check=\"blocking\",engine=\"postgresql\",target=\"orders\"} 0.035"), text);
        assertTrue(text.contains("dbtool_findings{code=\"PG_BLOCKING_CHAIN\",engine=\"postgresql\",severity=\"CRITICAL\",target=\"orders\"} 1.0"), text);
        assertTrue(text.contains("dbtool_target_last_run_timestamp_seconds{engine=\"postgresql\",target=\"orders\"} 1.796637601E9"), text);
        assertFalse(text.contains("unknown target"), "an error is for /health, not a label");
    }
}
