package dbtool.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.Environment;
import dbtool.core.log.RunLog;
import dbtool.core.report.CheckReport;
import dbtool.core.report.Report;
import dbtool.core.run.TroubleshootRunner;
import dbtool.core.run.Tracing;
import dbtool.plugin.postgres.PostgresPlugin;
import dbtool.plugin.postgres.demo.LocalCluster;
import dbtool.spi.Credentials;
import dbtool.spi.Severity;
import dbtool.spi.TraceContext;
import dbtool.testkit.LocalServers;
import dbtool.testkit.PluginRun;
import dbtool.testkit.SilentServer;
import dbtool.testkit.otlp.OtlpReceiver;
import dbtool.testkit.otlp.ReceivedSpan;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 22, item 6: a troubleshoot of a real PostgreSQL as spans, received and decoded by an OTLP/HTTP
 * receiver: one span for the troubleshoot inside the caller's trace and one below it per check, with the attributes a team reads and none of the secrets dbtool knows.
 */
class TroubleshootSpansTest {

    static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String CALLER = "00f067aa0ba902b7";
    static final PostgresPlugin POSTGRES = new PostgresPlugin();
    static LocalCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalCluster.start(LocalCluster.Settings.defaults());
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static Environment environment(Map<String, String> variables) {
        return new Environment(variables, Path.of("/nonexistent-home"), "Linux", null);
    }

    static Report troubleshoot(Tracing tracing, String url, TraceContext parent) {
        TroubleshootRunner.Request request = new TroubleshootRunner.Request(PluginRun.target(url, "postgresql", Map.of()),
                POSTGRES, POSTGRES.checks(), Credentials.none(), Duration.ofSeconds(30), Map.of());
        return new TroubleshootRunner("test", RunLog.off(), tracing).run(request, parent);
    }

    static ReceivedSpan only(List<ReceivedSpan> spans, Predicate<ReceivedSpan> which, String what) {
        List<ReceivedSpan> found = spans.stream().filter(which).toList();
        assertEquals(1, found.size(), what + " in " + spans.stream().map(ReceivedSpan::name).toList());
        return found.getFirst();
    }

    @Test
    void aTroubleshootIsASpanOfTheCallersTraceWithAChildPerCheck() throws Exception {
        try (OtlpReceiver receiver = OtlpReceiver.start()) {
            Map<String, String> variables = new HashMap<>();
            variables.put("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint().toString());
            variables.put("OTEL_EXPORTER_OTLP_HEADERS", "x-api-key=collector%20key");
            variables.put("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=test");
            variables.put("TRACEPARENT", "00-" + TRACE + "-" + CALLER + "-01");
            Tracing tracing = new OtlpTracingProvider().open(environment(variables), "1.2.3");
            // a password in the URL: trust authentication ignores it, and no span may carry it
            Report report = troubleshoot(tracing, "postgresql://postgres:url-secret-7@127.0.0.1:" + cluster.port() + "/postgres", null);
            assertTrue(tracing.flush(Duration.ofSeconds(10)), "the spans were delivered");

            List<ReceivedSpan> spans = receiver.await(1 + report.checks().size(), Duration.ofSeconds(10));
            ReceivedSpan root = only(spans, s -> s.name().equals("dbtool troubleshoot"), "one troubleshoot span");
            assertEquals(TRACE, root.traceId(), "inside the caller's trace (TRACEPARENT)");
            assertEquals(CALLER, root.parentSpanId(), "below the caller's span");
            assertEquals("postgresql", root.attribute("db.system.name"));
            assertEquals("127.0.0.1", root.attribute("server.address"));
            assertEquals((long) cluster.port(), root.attribute("server.port"));
            assertEquals(report.status().name().toLowerCase(Locale.ROOT), root.attribute("dbtool.status"));
            long findings = report.checks().stream().mapToLong(c -> c.findings().size()).sum();
            assertEquals(findings, root.attribute("dbtool.findings"));
            assertEquals((long) report.checks().size(), root.attribute("dbtool.checks"));

            for (CheckReport check : report.checks()) {
                ReceivedSpan span = only(spans, s -> s.name().equals("dbtool check " + check.id()), "the span of " + check.id());
                assertEquals(TRACE, span.traceId());
                assertEquals(root.spanId(), span.parentSpanId(), check.id() + " is a child of the troubleshoot");
                assertEquals(check.id(), span.attribute("dbtool.check.id"));
                assertEquals(check.status().name().toLowerCase(Locale.ROOT), span.attribute("dbtool.check.status"));
                assertEquals((long) check.findings().size(), span.attribute("dbtool.findings"));
                assertEquals(check.error() != null, span.statusCode() == ReceivedSpan.ERROR, check.id() + "'s status");
                assertTrue(span.startNanos() >= root.startNanos() && span.endNanos() <= root.endNanos(), check.id() + " inside its parent");
            }
            assertEquals("dbtool", root.resource().get("service.name"));
            assertEquals("1.2.3", root.resource().get("service.version"));
            assertEquals("test", root.resource().get("deployment.environment"));
            assertEquals("collector key", receiver.requestHeaders().getFirst().get("x-api-key"), "OTEL_EXPORTER_OTLP_HEADERS sent");
            for (ReceivedSpan span : spans) {
                assertFalse(span.attributes().toString().contains("url-secret-7"), "no password in " + span.name());
                assertFalse(span.attributes().toString().toLowerCase(Locale.ROOT).contains("select "), "no SQL in " + span.name());
            }
        }
    }

    @Test
    void anAlertsTraceparentWinsOverTheProcesssAndAFailedConnectionIsNamed() throws Exception {
        try (OtlpReceiver receiver = OtlpReceiver.start()) {
            Tracing tracing = new OtlpTracingProvider().open(environment(Map.of(
                    "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", receiver.endpoint() + "/v1/traces",
                    "OTEL_SERVICE_NAME", "dbtool-eu",
                    "TRACEPARENT", "00-" + TRACE + "-" + CALLER + "-01")), "1.2.3");
            TraceContext alert = TraceContext.parseTraceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01").orElseThrow();
            int closed = LocalServers.freePort();
            Report report = troubleshoot(tracing, "postgresql://127.0.0.1:" + closed + "/postgres", alert);
            assertEquals(Severity.CRITICAL, report.status());
            assertTrue(tracing.flush(Duration.ofSeconds(10)));

            List<ReceivedSpan> spans = receiver.await(1 + report.checks().size(), Duration.ofSeconds(10));
            ReceivedSpan root = only(spans, s -> s.name().equals("dbtool troubleshoot"), "one troubleshoot span");
            assertEquals(alert.traceId(), root.traceId(), "the alert's trace");
            assertEquals(alert.spanId(), root.parentSpanId());
            assertEquals("critical", root.attribute("dbtool.findings.worst_severity"));
            assertEquals("dbtool-eu", root.resource().get("service.name"));
            // the engine connects lazily, in its first check: that check's span names the failure's code
            assertTrue(spans.stream().anyMatch(s -> s.parentSpanId().equals(root.spanId())
                    && String.valueOf(s.attribute("dbtool.finding.codes")).contains("CONNECTION_REFUSED")), spans.toString());
        }
    }

    @Test
    void aCollectorThatIsDownOrHungNeverFailsOrHoldsTheDiagnosis() throws Exception {
        int closed = LocalServers.freePort();
        try (SilentServer hung = SilentServer.start()) {
            for (String endpoint : List.of("http://127.0.0.1:" + closed, "http://127.0.0.1:" + hung.port())) {
                Tracing tracing = new OtlpTracingProvider().open(environment(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint)), "1.2.3");
                Report report = troubleshoot(tracing, "postgresql://127.0.0.1:" + cluster.port() + "/postgres", null);
                assertFalse(report.checks().isEmpty());
                assertTrue(report.checks().stream().noneMatch(c -> c.id().equals("session")), "the session opened: " + endpoint);
                long start = System.nanoTime();
                assertFalse(tracing.flush(Duration.ofMillis(500)), "nothing delivered to " + endpoint);
                // a bound, not a speed: the flush gave up instead of waiting for the exporter's 10 s timeout
                assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(5)) < 0, endpoint);
            }
        }
    }
}
