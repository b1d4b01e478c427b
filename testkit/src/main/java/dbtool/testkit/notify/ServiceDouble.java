package dbtool.testkit.notify;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The common part of the notification services' test servers (Slack, PagerDuty, GitHub, Jira): a loopback
 * HTTP server that records every request, can be told to answer the next requests with a failure (429 with
 * {@code Retry-After}, a 5xx, 401) as the service would, and otherwise lets the subclass check the request
 * against the service's documented required fields and limits.
 */
public abstract class ServiceDouble implements AutoCloseable {

    /** One request as it arrived; {@code status} is what the double answered. */
    public record Recorded(String method, String path, Map<String, String> headers, String body, int status) {

        public JsonElement json() {
            return JsonParser.parseString(body);
        }

        /** A header by name, any case; null when absent. */
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** An answer: status, body, content type, extra headers. */
    protected record Answer(int status, String body, String contentType, Map<String, String> headers) {

        public static Answer json(int status, String body) {
            return new Answer(status, body, "application/json", Map.of());
        }

        public static Answer text(int status, String body) {
            return new Answer(status, body, "text/plain", Map.of());
        }
    }

    private final HttpServer server;
    private final List<Recorded> requests = new ArrayList<>();
    private final Deque<Answer> scripted = new ArrayDeque<>();

    // The handler escapes before a subclass's fields are set, but no request can arrive until the
    // constructor has returned: nobody knows the port before base() is called.
    @SuppressWarnings("this-escape")
    protected ServiceDouble() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::exchange);
        server.start();
    }

    /** {@code http://127.0.0.1:PORT} */
    public String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next request is answered 429 with {@code Retry-After: seconds}, as the service rate-limits. */
    public synchronized void rateLimitNext(int seconds) {
        scripted.add(new Answer(429, rateLimitBody(), "application/json", Map.of("Retry-After", Integer.toString(seconds))));
    }

    /** The next request is answered with {@code status} (a 5xx: the service is failing). */
    public synchronized void failNext(int status) {
        scripted.add(Answer.json(status, "{\"message\": \"server error\"}"));
    }

    /** Every request so far. */
    public synchronized List<Recorded> requests() {
        return List.copyOf(requests);
    }

    /** The requests that were accepted (2xx). */
    public synchronized List<Recorded> accepted() {
        return requests.stream().filter(r -> r.status() < 300).toList();
    }

    protected String rateLimitBody() {
        return "{\"message\": \"rate limited\"}";
    }

    /** Checks one request and answers as the service does. */
    protected abstract Answer handle(String method, String path, Map<String, String> headers, String body);

    /** The body as JSON, or null when it is not JSON. */
    protected static JsonElement parse(String body) {
        try {
            return JsonParser.parseString(body);
        } catch (JsonParseException e) {
            return null;
        }
    }

    private void exchange(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            Answer answer;
            synchronized (this) {
                answer = scripted.poll();
            }
            if (answer == null) {
                answer = handle(method, path, headers, body);
            }
            synchronized (this) {
                requests.add(new Recorded(method, path, Map.copyOf(headers), body, answer.status()));
            }
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", answer.contentType());
            answer.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
