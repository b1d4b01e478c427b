package dbtool.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.testkit.DbtoolBundle;
import dbtool.testkit.LocalServers;
import dbtool.testkit.ProcessResult;
import dbtool.testkit.otlp.OtlpReceiver;
import dbtool.testkit.otlp.ReceivedSpan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dbtool's own spans from the bundle (decision 0012): OpenTelemetry is not in the runtime image but in
 * tracing/, loaded into a layer of its own only when an OTLP endpoint is set. Without one no class of it
 * is loaded; with one the spans reach a receiver inside the caller's trace; with a dead collector the
 * diagnosis and its exit code are unchanged.
 */
class TracingBundleIT {

    static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String CALLER = "00f067aa0ba902b7";
    /** Nothing listens on port 1: the session fails and the report is CRITICAL (exit 2), quickly. */
    static final String NOWHERE = "postgresql://127.0.0.1:1/orders";

    @TempDir
    Path home;

    @Test
    void withoutAnEndpointNoClassOfOpenTelemetryIsLoaded() throws Exception {
        DbtoolBundle bundle = DbtoolBundle.locate(home);
        try (Stream<Path> tracing = Files.list(bundle.home().resolve("tracing"))) {
            List<String> jars = tracing.map(p -> p.getFileName().toString()).toList();
            assertTrue(jars.stream().anyMatch(n -> n.startsWith("dbtool-tracing-")) && jars.stream().anyMatch(n -> n.startsWith("opentelemetry-exporter-sender-jdk-")),
                    "tracing/ holds the module and the JDK sender: " + jars);
            assertFalse(jars.stream().anyMatch(n -> n.contains("okhttp") || n.contains("kotlin")), "no OkHttp: " + jars);
        }
        Path classes = home.resolve("classes.log");
        ProcessResult result = bundle.env("DBTOOL_JAVA_OPTS", "-Xlog:class+load:file=" + classes).run("troubleshoot", NOWHERE, "--format", "json");
        assertEquals(2, result.exitCode(), result.describe());
        String loaded = Files.readString(classes);
        assertTrue(loaded.contains("dbtool.core.run.Tracing"), "the log lists core's classes");
        assertFalse(loaded.contains("io.opentelemetry") || loaded.contains("dbtool.tracing."), "no OpenTelemetry class loaded");
    }

    @Test
    void withAnEndpointTheTroubleshootIsASpanOfTheCallersTrace() throws Exception {
        try (OtlpReceiver receiver = OtlpReceiver.start()) {
            ProcessResult result = DbtoolBundle.locate(home)
                    .env("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint().toString())
                    .env("TRACEPARENT", "00-" + TRACE + "-" + CALLER + "-01")
                    .run("troubleshoot", NOWHERE, "--format", "json");
            assertEquals(2, result.exitCode(), result.describe());
            assertFalse(result.stderr().contains("tracing"), result.stderr());
            List<ReceivedSpan> spans = receiver.await(2, Duration.ofSeconds(10));
            ReceivedSpan root = spans.stream().filter(s -> s.name().equals("dbtool troubleshoot")).findFirst().orElseThrow();
            assertEquals(TRACE, root.traceId());
            assertEquals(CALLER, root.parentSpanId());
            assertEquals("critical", root.attribute("dbtool.status"));
            assertTrue(spans.stream().anyMatch(s -> s.name().startsWith("dbtool check ") && s.parentSpanId().equals(root.spanId())),
                    "the checks below the troubleshoot: " + spans);
        }
    }

    @Test
    void aDeadCollectorLeavesTheDiagnosisAndItsExitCodeAlone() throws Exception {
        int closed = LocalServers.freePort();
        ProcessResult result = DbtoolBundle.locate(home).env("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + closed)
                .run("troubleshoot", NOWHERE, "--format", "json");
        assertEquals(2, result.exitCode(), result.describe());
        assertTrue(result.stdout().contains("\"status\": \"CRITICAL\""), result.stdout());
        assertTrue(result.stderr().contains("dbtool: tracing: spans not delivered within 2 s"), result.stderr());
    }
}
