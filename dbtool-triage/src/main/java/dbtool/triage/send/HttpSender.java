package dbtool.triage.send;

import dbtool.spi.Redaction;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * Sends a request to a chat, paging or ticket service, again on 429 and 5xx (and when the connection
 * fails), waiting what {@code Retry-After} says (seconds or an HTTP date, at most {@code maxWait}), else
 * an exponential backoff from {@code base}. A 4xx other than 429 is final: retrying a refused token or
 * an invalid body cannot help. Failures are one line that never holds the URL (a Slack webhook's URL
 * is its secret) nor any of {@code secrets}.
 */
public final class HttpSender {

    private final HttpClient client;
    private final int attempts;
    private final Duration base;
    private final Duration maxWait;

    public HttpSender(HttpClient client, int attempts, Duration base, Duration maxWait) {
        this.client = client;
        this.attempts = attempts;
        this.base = base;
        this.maxWait = maxWait;
    }

    public static HttpSender standard() {
        return new HttpSender(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build(),
                4, Duration.ofMillis(500), Duration.ofSeconds(30));
    }

    /** The response of the first attempt that is neither 429 nor 5xx; {@code ok} decides which statuses succeed. */
    public HttpResponse<String> send(HttpRequest request, List<String> secrets) throws DeliveryException {
        String last = "";
        for (int attempt = 1; attempt <= attempts; attempt++) {
            Duration wait;
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status < 300) {
                    return response;
                }
                last = "HTTP " + status + body(response.body(), secrets);
                if (status != 429 && status < 500) {
                    throw new DeliveryException(last);
                }
                wait = retryAfter(response).orElse(backoff(attempt));
            } catch (IOException e) {
                last = "cannot reach the service: " + e.getClass().getSimpleName();
                wait = backoff(attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DeliveryException("interrupted");
            }
            if (attempt < attempts) {
                try {
                    Thread.sleep(wait.compareTo(maxWait) > 0 ? maxWait : wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new DeliveryException("interrupted while waiting to retry after " + last);
                }
            }
        }
        throw new DeliveryException(last + " (" + attempts + " attempts)");
    }

    private Duration backoff(int attempt) {
        return base.multipliedBy(1L << Math.min(attempt - 1, 10));
    }

    static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").map(String::trim).flatMap(value -> {
            try {
                return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value))));
            } catch (NumberFormatException notSeconds) {
                try {
                    Duration until = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
                    return Optional.of(until.isNegative() ? Duration.ZERO : until);
                } catch (DateTimeParseException notADate) {
                    return Optional.empty();
                }
            }
        });
    }

    /** A short, single-line, masked piece of the service's answer: enough to tell why. */
    static String body(String body, List<String> secrets) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String text = mask(Redaction.redactText(body.replaceAll("\\s+", " ").strip()), secrets);
        return ": " + (text.length() > 160 ? text.substring(0, 160) + "..." : text);
    }

    /** Replaces every secret value in {@code text}. */
    public static String mask(String text, List<String> secrets) {
        String masked = text;
        for (String secret : secrets) {
            if (secret != null && secret.length() >= 4) {
                masked = masked.replace(secret, Redaction.MASK);
            }
        }
        return masked;
    }
}
