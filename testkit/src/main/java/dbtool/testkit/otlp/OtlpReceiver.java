package dbtool.testkit.otlp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * An OpenTelemetry collector's OTLP/HTTP traces endpoint on a free loopback port, for tests of the
 * spans dbtool sends. It takes what a collector takes and refuses what a collector refuses: only
 * {@code POST /v1/traces} (404 otherwise, 405 for another method), only {@code application/x-protobuf}
 * (415 otherwise), gzip when the request says so, and a body that must decode as an
 * {@code ExportTraceServiceRequest} with ids of the right lengths (400 otherwise). It answers an empty
 * {@code ExportTraceServiceResponse}. Received spans, and the request headers (API keys), are kept
 * for the test.
 */
public final class OtlpReceiver implements AutoCloseable {

    private final HttpServer server;
    private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
    private final List<Map<String, String>> headers = new CopyOnWriteArrayList<>();
    private final List<String> refusals = new CopyOnWriteArrayList<>();

    private OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a receiver on a free loopback port. */
    public static OtlpReceiver start() throws IOException {
        return new OtlpReceiver();
    }

    /** The base URL, for {@code OTEL_EXPORTER_OTLP_ENDPOINT}: {@code http://127.0.0.1:PORT}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The spans received so far, in the order they came. */
    public List<ReceivedSpan> spans() {
        return List.copyOf(spans);
    }

    /** The headers of each accepted request, names in lower case. */
    public List<Map<String, String>> requestHeaders() {
        return List.copyOf(headers);
    }

    /** Why requests were refused (status and reason), for a test's failure message. */
    public List<String> refusals() {
        return List.copyOf(refusals);
    }

    /**
     * Waits until at least {@code count} spans have arrived.
     *
     * @return the spans received
     * @throws AssertionError when they do not arrive within {@code within}
     */
    public List<ReceivedSpan> await(int count, Duration within) throws InterruptedException {
        long end = System.nanoTime() + within.toNanos();
        while (spans.size() < count) {
            if (System.nanoTime() > end) {
                throw new AssertionError("expected " + count + " spans within " + within + ", got " + spans.size()
                        + (refusals.isEmpty() ? "" : "; refused: " + refusals));
            }
            Thread.sleep(20);
        }
        return spans();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (!exchange.getRequestURI().getPath().equals("/v1/traces")) {
                refuse(exchange, 404, "no such path: " + exchange.getRequestURI().getPath());
                return;
            }
            if (!exchange.getRequestMethod().equals("POST")) {
                refuse(exchange, 405, "method " + exchange.getRequestMethod());
                return;
            }
            String type = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")).toLowerCase(Locale.ROOT);
            if (!type.startsWith("application/x-protobuf")) {
                refuse(exchange, 415, "content type " + type);
                return;
            }
            List<ReceivedSpan> decoded;
            try {
                String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
                decoded = decode("gzip".equalsIgnoreCase(encoding) ? gunzip(body) : body);
            } catch (IllegalArgumentException | IOException e) {
                refuse(exchange, 400, "undecodable request: " + e.getMessage());
                return;
            }
            Map<String, String> seen = new HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> seen.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
            headers.add(seen);
            spans.addAll(decoded);
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
        }
    }

    private void refuse(HttpExchange exchange, int status, String reason) throws IOException {
        refusals.add(status + " " + reason);
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, text.length);
        exchange.getResponseBody().write(text);
    }

    private static byte[] gunzip(byte[] body) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return in.readAllBytes();
        }
    }

    /** ExportTraceServiceRequest: resource_spans (1) of resource (1) and scope_spans (2) of spans (2). */
    static List<ReceivedSpan> decode(byte[] body) {
        List<ReceivedSpan> decoded = new ArrayList<>();
        ProtoReader request = new ProtoReader(body);
        while (request.more()) {
            int tag = request.tag();
            if (tag != (1 << 3 | 2)) {
                request.skip(tag);
                continue;
            }
            ProtoReader resourceSpans = request.message();
            Map<String, Object> resource = Map.of();
            List<ProtoReader> scopes = new ArrayList<>();
            while (resourceSpans.more()) {
                int field = resourceSpans.tag();
                if (field == (1 << 3 | 2)) {
                    resource = attributesOf(resourceSpans.message(), 1);
                } else if (field == (2 << 3 | 2)) {
                    scopes.add(resourceSpans.message());
                } else {
                    resourceSpans.skip(field);
                }
            }
            for (ProtoReader scope : scopes) {
                while (scope.more()) {
                    int field = scope.tag();
                    if (field == (2 << 3 | 2)) {
                        decoded.add(span(scope.message(), resource));
                    } else {
                        scope.skip(field);
                    }
                }
            }
        }
        return decoded;
    }

    private static ReceivedSpan span(ProtoReader span, Map<String, Object> resource) {
        String traceId = "";
        String spanId = "";
        String parent = "";
        String name = "";
        long start = 0;
        long end = 0;
        Map<String, Object> attributes = new HashMap<>();
        int statusCode = 0;
        String statusMessage = "";
        while (span.more()) {
            int tag = span.tag();
            switch (tag) {
                case 1 << 3 | 2 -> traceId = id(span.bytes(), 16, "trace_id");
                case 2 << 3 | 2 -> spanId = id(span.bytes(), 8, "span_id");
                case 4 << 3 | 2 -> {
                    byte[] bytes = span.bytes();
                    parent = bytes.length == 0 ? "" : id(bytes, 8, "parent_span_id");
                }
                case 5 << 3 | 2 -> name = span.string();
                case 7 << 3 | 1 -> start = span.fixed64();
                case 8 << 3 | 1 -> end = span.fixed64();
                case 9 << 3 | 2 -> keyValue(span.message(), attributes);
                case 15 << 3 | 2 -> {
                    ProtoReader status = span.message();
                    while (status.more()) {
                        int field = status.tag();
                        if (field == (2 << 3 | 2)) {
                            statusMessage = status.string();
                        } else if (field == (3 << 3)) {
                            statusCode = (int) status.varint();
                        } else {
                            status.skip(field);
                        }
                    }
                }
                default -> span.skip(tag);
            }
        }
        if (traceId.isEmpty() || spanId.isEmpty() || name.isEmpty()) {
            throw new IllegalArgumentException("a span without trace_id, span_id or name");
        }
        return new ReceivedSpan(traceId, spanId, parent, name, attributes, statusCode, statusMessage, start, end, resource);
    }

    private static String id(byte[] bytes, int length, String field) {
        if (bytes.length != length) {
            throw new IllegalArgumentException(field + " of " + bytes.length + " bytes, expected " + length);
        }
        return ReceivedSpan.hex(bytes);
    }

    /** The KeyValue entries at {@code field} of a message (Resource.attributes is field 1). */
    private static Map<String, Object> attributesOf(ProtoReader message, int field) {
        Map<String, Object> attributes = new HashMap<>();
        while (message.more()) {
            int tag = message.tag();
            if (tag == (field << 3 | 2)) {
                keyValue(message.message(), attributes);
            } else {
                message.skip(tag);
            }
        }
        return attributes;
    }

    /** KeyValue: key (1), AnyValue (2) of string (1), bool (2), int (3) or double (4). */
    private static void keyValue(ProtoReader keyValue, Map<String, Object> into) {
        String key = null;
        Object value = null;
        while (keyValue.more()) {
            int tag = keyValue.tag();
            if (tag == (1 << 3 | 2)) {
                key = keyValue.string();
            } else if (tag == (2 << 3 | 2)) {
                ProtoReader any = keyValue.message();
                while (any.more()) {
                    int field = any.tag();
                    switch (field) {
                        case 1 << 3 | 2 -> value = any.string();
                        case 2 << 3 -> value = any.varint() != 0;
                        case 3 << 3 -> value = any.varint();
                        case 4 << 3 | 1 -> value = Double.longBitsToDouble(any.fixed64());
                        default -> any.skip(field);
                    }
                }
            } else {
                keyValue.skip(tag);
            }
        }
        if (key == null) {
            throw new IllegalArgumentException("an attribute without a key");
        }
        into.put(key, value);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
