package dbtool.serve.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An alert's W3C traceparent, which makes dbtool's troubleshoot of it a span of the incident's trace (issue 22, item 6). */
class AlertTraceTest {

    static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    static Alert alert(Map<String, String> labels, Map<String, String> annotations) {
        return new Alert("firing", labels, annotations, Instant.now(), null, "f", null, Map.of());
    }

    @Test
    void theAnnotationWinsOverTheLabel() {
        Alert alert = alert(Map.of("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
                Map.of("traceparent", TRACEPARENT));
        assertEquals("0af7651916cd43dd8448eb211c80319c", alert.trace().orElseThrow().traceId());
        assertEquals("b7ad6b7169203331", alert.trace().orElseThrow().spanId());
    }

    @Test
    void aLabelServesWhenNoAnnotationCarriesOne() {
        assertEquals("b7ad6b7169203331", alert(Map.of("traceparent", TRACEPARENT), Map.of()).trace().orElseThrow().spanId());
    }

    @Test
    void noneOrAMalformedOneIsNoTrace() {
        assertTrue(alert(Map.of("alertname", "PostgresqlDown"), Map.of()).trace().isEmpty());
        assertTrue(alert(Map.of(), Map.of("traceparent", "00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01")).trace().isEmpty(),
                "upper-case hex is not W3C");
        assertTrue(alert(Map.of(), Map.of("traceparent", "00-00000000000000000000000000000000-b7ad6b7169203331-01")).trace().isEmpty());
    }
}
