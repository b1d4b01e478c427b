package dbtool.serve.http;

import java.util.List;
import java.util.Objects;

/**
 * One endpoint of {@code dbtool serve}: a method, a path and what answers it. The server applies the
 * same rules to every route (body cap, authentication, access log, one-line errors), so a handler
 * only does its own work.
 *
 * <p>A path segment written {@code {name}} matches any one segment, read back with
 * {@link Request#pathParameter(String)}: {@code /api/v1/targets/{name}/report}.
 *
 * @param access  {@link Access#PROTECTED} routes need the bearer token or basic auth when one is
 *                configured (and one must be, when the server listens beyond loopback)
 */
public record Route(String method, String path, Access access, Handler handler) {

    /** Who may call a route. */
    public enum Access {
        /** Scraped by Prometheus and probed by orchestrators: /metrics, /health, /ready. */
        PUBLIC,
        /** Says more than a status, or starts work: /api/..., /alerts, /-/reload. */
        PROTECTED
    }

    /** Answers one request. Throw {@link HttpFailure} for an answer other than success (400, 404, 429...). */
    @FunctionalInterface
    public interface Handler {
        Response handle(Request request) throws Exception;
    }

    public Route {
        Objects.requireNonNull(method);
        Objects.requireNonNull(access);
        Objects.requireNonNull(handler);
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("a route's path starts with /: " + path);
        }
    }

    public static Route get(String path, Access access, Handler handler) {
        return new Route("GET", path, access, handler);
    }

    public static Route post(String path, Access access, Handler handler) {
        return new Route("POST", path, access, handler);
    }

    List<String> segments() {
        return segments(path);
    }

    static List<String> segments(String path) {
        return List.of(path.substring(1).split("/", -1));
    }
}
