package dbtool.tracing;

import dbtool.core.Environment;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The OpenTelemetry SDK's environment variables that dbtool honours (the specification's names and
 * defaults), the traces-only variant winning over the general one: endpoint (the general one gets
 * {@code /v1/traces} appended), headers, timeout, compression, protocol ({@code http/protobuf} only),
 * {@code OTEL_SERVICE_NAME} (default {@code dbtool}) and {@code OTEL_RESOURCE_ATTRIBUTES}.
 *
 * <p>A malformed value is an {@link IllegalArgumentException} naming the variable and what was
 * expected. It never repeats a header's value, which carries an API key, nor the endpoint, whose URL
 * may hold a user and password.
 */
record OtlpSettings(URI tracesEndpoint, Map<String, String> headers, Duration timeout, boolean gzip,
                    String serviceName, Map<String, String> resourceAttributes) {

    static final String ENDPOINT = "OTEL_EXPORTER_OTLP_ENDPOINT";
    static final String TRACES_ENDPOINT = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    static OtlpSettings from(Environment environment) {
        URI endpoint = endpoint(environment);
        Map<String, String> headers = pairs(either(environment, "HEADERS"));
        Duration timeout = either(environment, "TIMEOUT").map(OtlpSettings::timeout).orElse(DEFAULT_TIMEOUT);
        boolean gzip = either(environment, "COMPRESSION").map(OtlpSettings::gzip).orElse(false);
        either(environment, "PROTOCOL").ifPresent(OtlpSettings::protocol);
        Map<String, String> resource = pairs(environment.get("OTEL_RESOURCE_ATTRIBUTES")
                .map(value -> new Variable("OTEL_RESOURCE_ATTRIBUTES", value)));
        String service = environment.get("OTEL_SERVICE_NAME").map(String::strip).filter(name -> !name.isEmpty())
                .orElse(resource.getOrDefault("service.name", "dbtool"));
        return new OtlpSettings(endpoint, headers, timeout, gzip, service, resource);
    }

    /** A variable's name and value, so that a complaint names the one that was set. */
    private record Variable(String name, String value) {
    }

    private static Optional<Variable> either(Environment environment, String suffix) {
        String traces = "OTEL_EXPORTER_OTLP_TRACES_" + suffix;
        String general = "OTEL_EXPORTER_OTLP_" + suffix;
        return environment.get(traces).map(value -> new Variable(traces, value))
                .or(() -> environment.get(general).map(value -> new Variable(general, value)));
    }

    private static URI endpoint(Environment environment) {
        Optional<String> traces = environment.get(TRACES_ENDPOINT);
        String name = traces.isPresent() ? TRACES_ENDPOINT : ENDPOINT;
        String value = traces.or(() -> environment.get(ENDPOINT)).orElseThrow().strip();
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(name + ": expected an http(s) URL such as http://localhost:4318");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException(name + ": expected an http(s) URL with a host, such as http://localhost:4318");
        }
        if (traces.isPresent()) {
            return uri; // the signal's own endpoint is used as it is
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        return uri.resolve((path.endsWith("/") ? path : path + "/") + "v1/traces");
    }

    /** {@code key=value,key=value}, each part percent-decoded (the W3C Baggage format the specification names). */
    private static Map<String, String> pairs(Optional<Variable> variable) {
        Map<String, String> pairs = new LinkedHashMap<>();
        if (variable.isEmpty()) {
            return pairs;
        }
        String[] entries = variable.get().value().split(",");
        for (int i = 0; i < entries.length; i++) {
            if (entries[i].isBlank()) {
                continue;
            }
            int equals = entries[i].indexOf('=');
            String key = equals < 0 ? "" : decode(entries[i].substring(0, equals)).strip();
            if (key.isEmpty()) {
                throw new IllegalArgumentException(variable.get().name() + ": entry " + (i + 1)
                        + " is not key=value (a comma-separated list of key=value pairs was expected)");
            }
            pairs.put(key, decode(entries[i].substring(equals + 1)).strip());
        }
        return pairs;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text; // not percent-encoded after all: taken as written
        }
    }

    private static Duration timeout(Variable variable) {
        try {
            long millis = Long.parseLong(variable.value().strip());
            if (millis > 0) {
                return Duration.ofMillis(millis);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(variable.name() + ": expected a number of milliseconds above 0, such as 10000");
    }

    private static boolean gzip(Variable variable) {
        return switch (variable.value().strip().toLowerCase(Locale.ROOT)) {
            case "gzip" -> true;
            case "none", "" -> false;
            default -> throw new IllegalArgumentException(variable.name() + ": expected gzip or none");
        };
    }

    private static void protocol(Variable variable) {
        if (!variable.value().strip().equals("http/protobuf")) {
            throw new IllegalArgumentException(variable.name() + ": dbtool sends http/protobuf only (the collector's"
                    + " port 4318), not " + clip(variable.value()));
        }
    }

    private static String clip(String text) {
        String clean = text.strip().replaceAll("[^A-Za-z0-9/._-]", "?");
        return clean.length() > 20 ? clean.substring(0, 20) + "..." : clean;
    }
}
