package dbtool.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.Environment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The OpenTelemetry variables as the specification reads them, and one-line complaints that never repeat a secret. */
class OtlpSettingsTest {

    static OtlpSettings settings(String... pairs) {
        Map<String, String> variables = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            variables.put(pairs[i], pairs[i + 1]);
        }
        return OtlpSettings.from(new Environment(variables, Path.of("/nonexistent-home"), "Linux", null));
    }

    @Test
    void theGeneralEndpointGetsTheTracesPathAndTheTracesEndpointIsTakenAsItIs() {
        assertEquals("http://collector:4318/v1/traces", settings("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318").tracesEndpoint().toString());
        assertEquals("https://collector/otlp/v1/traces", settings("OTEL_EXPORTER_OTLP_ENDPOINT", "https://collector/otlp/").tracesEndpoint().toString());
        assertEquals("http://c:9/custom", settings("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318",
                "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://c:9/custom").tracesEndpoint().toString());
    }

    @Test
    void defaultsAreTheSpecifications() {
        OtlpSettings settings = settings("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318");
        assertEquals("dbtool", settings.serviceName());
        assertEquals(Duration.ofSeconds(10), settings.timeout());
        assertFalse(settings.gzip());
        assertTrue(settings.headers().isEmpty());
    }

    @Test
    void tracesVariablesWinAndValuesArePercentDecoded() {
        OtlpSettings settings = settings("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318",
                "OTEL_EXPORTER_OTLP_HEADERS", "a=1", "OTEL_EXPORTER_OTLP_TRACES_HEADERS", "Authorization=Bearer%20abc,x-tenant=t1",
                "OTEL_EXPORTER_OTLP_TIMEOUT", "500", "OTEL_EXPORTER_OTLP_TRACES_COMPRESSION", "gzip",
                "OTEL_RESOURCE_ATTRIBUTES", "service.name=from-resource,team=db%2Fops");
        assertEquals(Map.of("Authorization", "Bearer abc", "x-tenant", "t1"), settings.headers());
        assertEquals(Duration.ofMillis(500), settings.timeout());
        assertTrue(settings.gzip());
        assertEquals("from-resource", settings.serviceName(), "service.name of OTEL_RESOURCE_ATTRIBUTES when OTEL_SERVICE_NAME is unset");
        assertEquals("db/ops", settings.resourceAttributes().get("team"));
        assertEquals("mine", settings("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:1", "OTEL_SERVICE_NAME", "mine",
                "OTEL_RESOURCE_ATTRIBUTES", "service.name=other").serviceName());
    }

    @Test
    void aMalformedVariableIsNamedWithoutItsValue() {
        IllegalArgumentException endpoint = assertThrows(IllegalArgumentException.class,
                () -> settings("OTEL_EXPORTER_OTLP_ENDPOINT", "ftp://user:pw-9@collector"));
        assertEquals("OTEL_EXPORTER_OTLP_ENDPOINT: expected an http(s) URL with a host, such as http://localhost:4318", endpoint.getMessage());
        IllegalArgumentException headers = assertThrows(IllegalArgumentException.class,
                () -> settings("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:1", "OTEL_EXPORTER_OTLP_HEADERS", "api-key=k1,secret-token-value"));
        assertEquals("OTEL_EXPORTER_OTLP_HEADERS: entry 2 is not key=value (a comma-separated list of key=value pairs was expected)",
                headers.getMessage());
        assertFalse(headers.getMessage().contains("secret-token-value"));
        assertEquals("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: expected a number of milliseconds above 0, such as 10000",
                assertThrows(IllegalArgumentException.class, () -> settings("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:1",
                        "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "10s")).getMessage());
        assertEquals("OTEL_EXPORTER_OTLP_PROTOCOL: dbtool sends http/protobuf only (the collector's port 4318), not grpc",
                assertThrows(IllegalArgumentException.class, () -> settings("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:1",
                        "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")).getMessage());
    }
}
