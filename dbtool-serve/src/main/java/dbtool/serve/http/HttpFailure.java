package dbtool.serve.http;

/**
 * A request answered with an error status and a one-line reason ({@code {"error": "..."}}). The
 * reason is shown to the caller: it names what was wrong with the request, never a secret.
 */
public final class HttpFailure extends RuntimeException {

    private final int status;

    public HttpFailure(int status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static HttpFailure badRequest(String reason) {
        return new HttpFailure(400, reason);
    }

    public static HttpFailure notFound(String reason) {
        return new HttpFailure(404, reason);
    }

    /** A bounded queue is full: the caller retries later (Alertmanager does, with backoff). */
    public static HttpFailure tooManyRequests(String reason) {
        return new HttpFailure(429, reason);
    }
}
