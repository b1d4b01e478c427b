package dbtool.core.run;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.Environment;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tracing is on only when an OTLP endpoint is configured, and a dbtool without its module still diagnoses. */
class TracingLoaderTest {

    @TempDir
    Path bundle;

    static Environment environment(Map<String, String> variables, Path bundleHome) {
        return new Environment(variables, Path.of("/nonexistent-home"), "Linux", bundleHome);
    }

    @Test
    void onlyAnEndpointTurnsItOnAndTheSdksOwnSwitchesTurnItOff() {
        assertFalse(TracingLoader.configured(environment(Map.of(), null)));
        assertFalse(TracingLoader.configured(environment(Map.of("OTEL_SERVICE_NAME", "dbtool", "OTEL_EXPORTER_OTLP_HEADERS", "a=b"), null)),
                "other OTEL_ variables alone");
        assertTrue(TracingLoader.configured(environment(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318"), null)));
        assertTrue(TracingLoader.configured(environment(Map.of("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://c:4318/v1/traces"), null)));
        assertFalse(TracingLoader.configured(environment(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318", "OTEL_SDK_DISABLED", "TRUE"), null)));
        assertFalse(TracingLoader.configured(environment(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318", "OTEL_TRACES_EXPORTER", "none"), null)));
        assertFalse(TracingLoader.configured(environment(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", ""), null)), "an empty value is unset");
    }

    @Test
    void unconfiguredItIsOffWithoutLookingForTheModule() {
        assertSame(Tracing.OFF, TracingLoader.load(environment(Map.of(), bundle)));
    }

    @Test
    void configuredWithoutTheModuleItIsOff() {
        // core's tests have no dbtool.tracing beside them, and this bundle has no tracing/ folder
        assertSame(Tracing.OFF, TracingLoader.load(environment(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9"), bundle)));
        assertSame(Tracing.OFF, TracingLoader.load(environment(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9"), null)));
    }
}
