package dbtool.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.DbtoolException;
import dbtool.core.config.Config;
import dbtool.core.config.ConfigLoader;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code tracing.link}: checked when the configuration is read, and a link beside every trace id of a report. */
class TraceLinksTest {

    static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    static Config config(String json) {
        return ConfigLoader.parse(Path.of("dbtool.json"), new StringReader(json));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"tracing": {"link": "https://tempo.example/trace/"}}                 | dbtool.json:1:20: tracing.link: expected an http or https URL with {traceId}
            {"tracing": {"link": "ftp://tempo.example/{traceId}"}}                | dbtool.json:1:20: tracing.link: expected an http or https URL
            {"tracing": {"link": "tempo.example/trace/{traceId}"}}                | tracing.link: expected an http or https URL
            {"tracing": {"link": "https://tempo example/{traceId}"}}              | tracing.link: expected an http or https URL
            {"tracing": {"link": 3}}                                              | tracing.link: expected a string
            {"tracing": {"url": "https://tempo.example/trace/{traceId}"}}         | tracing.url: unknown field; expected "link"
            {"tracing": "https://tempo.example/trace/{traceId}"}                  | tracing: expected an object""")
    void aBadTemplateIsAOneLineConfigurationError(String json, String expected) {
        DbtoolException error = assertThrows(DbtoolException.class, () -> config(json));
        assertEquals(78, error.exitCode());
        assertTrue(error.getMessage().contains(expected), error.getMessage());
        assertEquals(1, error.getMessage().lines().count(), "one line");
    }

    @Test
    void addsALinkBesideEveryTraceIdAndOnlyOnce() {
        Map<String, Object> head = Map.of("pid", 1L, "traceId", TRACE, "spanId", "00f067aa0ba902b7", "blocked",
                List.of(Map.of("pid", 2L, "traceId", TRACE, "spanId", "b7ad6b7169203331", "service", "billing")));
        Finding finding = Finding.of("PG_BLOCKING_CHAIN", Severity.CRITICAL, "blocked").evidence("blockingTree", List.of(head)).build();
        Report report = Report.of("1", new TargetInfo("t", "postgresql", "h", 5432, "db"), Instant.EPOCH, 1,
                List.of(new CheckReport("blocking", "locks", Severity.CRITICAL, 1, null, Map.of(), List.of(finding))));
        TraceLinks links = TraceLinks.of(config("{\"tracing\": {\"link\": \"https://tempo.example/trace/{traceId}?orgId=1\"}}"));

        Report linked = links.apply(links.apply(report));
        String json = JsonReportWriter.toJson(linked).replaceAll("\\s+", "");
        assertEquals(2, json.split("\"traceUrl\":\"https://tempo.example/trace/" + TRACE + "\\?orgId=1\"", -1).length - 1, json);
        assertTrue(json.contains("\"service\":\"billing\",\"traceUrl\""), json);
        assertSame(report, TraceLinks.of(config("{}")).apply(report), "no template, no change");
    }
}
