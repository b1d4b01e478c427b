package dbtool.serve.http;

import com.google.gson.stream.JsonWriter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * The HTTP side of {@code dbtool serve}, on the JDK's own server ({@code jdk.httpserver}, already in
 * the runtime image) with one virtual thread per exchange. Every {@link Route} gets the same
 * treatment here, so no handler can forget it:
 * <ul>
 *   <li>a body larger than {@link #MAX_BODY} is refused with 413 before it is read whole;</li>
 *   <li>a {@link Route.Access#PROTECTED} route needs the configured {@link ServerAuth} (401);</li>
 *   <li>at most {@link #MAX_IN_FLIGHT} exchanges are handled at once, 429 past that;</li>
 *   <li>failures are one-line JSON ({@code {"error": ...}}); an unexpected exception is a 500 whose
 *       reason is logged, not sent;</li>
 *   <li>one JSON line per request goes to the access log (no query string, no header: they may hold
 *       secrets).</li>
 * </ul>
 */
public final class HttpService implements AutoCloseable {

    /** Alertmanager's largest payloads (hundreds of alerts) stay far below this. */
    public static final int MAX_BODY = 1 << 20;
    static final int MAX_IN_FLIGHT = 256;
    /** An access log that takes nothing: the line is then not even built (scrapes stay cheap with the log off). */
    public static final Consumer<String> NO_ACCESS_LOG = line -> { };

    private final List<Route> routes = new CopyOnWriteArrayList<>();
    private final ServerAuth auth;
    private final Consumer<String> accessLog;
    private final Consumer<String> errorLog;
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<Integer, LongAdder> answered = new ConcurrentHashMap<>();

    /**
     * Binds the address at once (a port in use fails here, before any target is checked).
     *
     * @param tls       null for plain HTTP
     * @param accessLog receives one JSON line per request; {@link #NO_ACCESS_LOG} for none
     * @param errorLog  receives the reason of each 500 (never sent to the caller)
     */
    public HttpService(InetSocketAddress address, SSLContext tls, ServerAuth auth, Consumer<String> accessLog,
                       Consumer<String> errorLog) throws IOException {
        this.auth = auth;
        this.accessLog = accessLog;
        this.errorLog = errorLog;
        if (tls == null) {
            server = HttpServer.create(address, 64);
        } else {
            HttpsServer https = HttpsServer.create(address, 64);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = https;
        }
        server.setExecutor(executor);
        server.createContext("/", this::exchange);
    }

    /** Adds routes; may be called before or after {@link #start()}. */
    public HttpService add(List<Route> more) {
        routes.addAll(more);
        return this;
    }

    public void start() {
        server.start();
    }

    /** The bound address (the real port when 0 was asked for). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** Requests answered since start, by status code (for /metrics). */
    public Map<Integer, Long> answeredByStatus() {
        Map<Integer, Long> copy = new TreeMap<>();
        answered.forEach((status, count) -> copy.put(status, count.sum()));
        return copy;
    }

    /** Stops accepting connections and gives exchanges in progress up to {@code seconds} to finish. */
    public void stop(int seconds) {
        server.stop(seconds);
        executor.shutdown();
    }

    @Override
    public void close() {
        stop(0);
        executor.shutdownNow();
    }

    private void exchange(HttpExchange exchange) {
        long start = System.nanoTime();
        Response response;
        try {
            response = respond(exchange);
        } catch (HttpFailure failure) {
            response = Response.error(failure.status(), failure.getMessage());
        } catch (Exception | Error e) {
            errorLog.accept(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath() + ": "
                    + e.getClass().getSimpleName() + ": " + e.getMessage());
            response = Response.error(500, "internal error (see the server's log)");
        }
        try {
            send(exchange, response);
        } catch (IOException | UncheckedIOException e) {
            // the client went away: nothing to answer, the access log still records the request
        } finally {
            exchange.close();
            answered.computeIfAbsent(response.status(), status -> new LongAdder()).increment();
            if (accessLog != NO_ACCESS_LOG) {
                accessLog.accept(accessLine(exchange, response, start));
            }
        }
    }

    private Response respond(HttpExchange exchange) throws Exception {
        if (!inFlight.tryAcquire()) {
            throw HttpFailure.tooManyRequests("busy: " + MAX_IN_FLIGHT + " requests in progress; retry later");
        }
        try {
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            String path = exchange.getRequestURI().getPath();
            Match match = match(method, path);
            if (match.route.access() == Route.Access.PROTECTED
                    && !auth.admits(Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization")))) {
                exchange.getResponseHeaders().set("WWW-Authenticate", auth.challenge());
                throw new HttpFailure(401, "unauthorized: this endpoint needs the " + auth + " configured for dbtool serve");
            }
            byte[] body = readBody(exchange);
            Map<String, List<String>> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values));
            Request request = new Request(method, path, exchange.getRequestURI().getRawQuery(), headers, match.parameters,
                    body, exchange.getRemoteAddress());
            return match.route.handler().handle(request);
        } finally {
            inFlight.release();
        }
    }

    private record Match(Route route, Map<String, String> parameters) {
    }

    private Match match(String method, String path) {
        List<String> given = Route.segments(path);
        boolean pathKnown = false;
        for (Route route : routes) {
            List<String> pattern = route.segments();
            if (pattern.size() != given.size()) {
                continue;
            }
            Map<String, String> parameters = new HashMap<>();
            boolean matches = true;
            for (int i = 0; i < pattern.size() && matches; i++) {
                String segment = pattern.get(i);
                if (segment.startsWith("{") && segment.endsWith("}") && !given.get(i).isEmpty()) {
                    parameters.put(segment.substring(1, segment.length() - 1), given.get(i));
                } else {
                    matches = segment.equals(given.get(i));
                }
            }
            if (!matches) {
                continue;
            }
            pathKnown = true;
            if (route.method().equals(method) || (method.equals("HEAD") && route.method().equals("GET"))) {
                return new Match(route, parameters);
            }
        }
        if (pathKnown) {
            throw new HttpFailure(405, "method " + method + " not allowed on " + path);
        }
        throw HttpFailure.notFound("no such endpoint: " + path);
    }

    /** Reads the body whole, refusing one past {@link #MAX_BODY} (by its length when declared, else while reading). */
    private static byte[] readBody(HttpExchange exchange) throws IOException {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            try {
                if (Long.parseLong(declared.strip()) > MAX_BODY) {
                    throw tooLarge();
                }
            } catch (NumberFormatException e) {
                throw HttpFailure.badRequest("Content-Length is not a number");
            }
        }
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                throw tooLarge();
            }
            return body;
        }
    }

    private static HttpFailure tooLarge() {
        return new HttpFailure(413, "request body larger than " + (MAX_BODY >> 20) + " MiB");
    }

    private static void send(HttpExchange exchange, Response response) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", response.contentType());
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equalsIgnoreCase("HEAD");
        exchange.sendResponseHeaders(response.status(), head ? -1 : response.body().length == 0 ? -1 : response.body().length);
        if (!head && response.body().length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response.body());
            }
        }
    }

    private static String accessLine(HttpExchange exchange, Response response, long start) {
        StringWriter text = new StringWriter();
        try (JsonWriter json = new JsonWriter(text)) {
            json.beginObject();
            json.name("time").value(Instant.now().toString());
            json.name("remote").value(exchange.getRemoteAddress() == null ? null : exchange.getRemoteAddress().getAddress().getHostAddress());
            json.name("method").value(exchange.getRequestMethod());
            json.name("path").value(exchange.getRequestURI().getRawPath());
            json.name("status").value(response.status());
            json.name("bytes").value(response.body().length);
            json.name("durationMs").value(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            json.endObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }
}
