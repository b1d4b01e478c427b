package dbtool.serve.alert;

import dbtool.core.DbtoolException;
import dbtool.core.report.Report;
import dbtool.core.run.TroubleshootRunner;
import dbtool.spi.TraceContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;

/**
 * What happens to one alert, with or without a server: a resolved alert is recorded; a firing one is
 * routed to a target and its checks, and troubleshot; the outcome is an {@link Incident}.
 */
public final class AlertIntake {

    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AlertRouter router;
    private final BiFunction<AlertRouter.Route, TraceContext, Report> diagnose;
    private final Clock clock;

    /** @param diagnose runs the focused troubleshoot of a route ({@link AlertDiagnoser#diagnose}) */
    public AlertIntake(AlertRouter router, BiFunction<AlertRouter.Route, TraceContext, Report> diagnose, Clock clock) {
        this.router = router;
        this.diagnose = diagnose;
        this.clock = clock;
    }

    /** Troubleshoots a firing alert, or records a resolved one. {@code receivedAt}: when the payload arrived. */
    public Incident handle(Alert alert, Instant receivedAt) {
        long arrived = receivedAt.toEpochMilli();
        String fingerprint = fingerprint(alert);
        AlertRouter.Route route = router.route(alert);
        if (!alert.firing()) {
            return incident(alert, fingerprint, receivedAt, route, Incident.State.RESOLVED, null, null, arrived);
        }
        if (route.target() == null) {
            return incident(alert, fingerprint, receivedAt, route, Incident.State.UNROUTED, route.reason(), null, arrived);
        }
        try {
            Report report = diagnose.apply(route, alert.trace().orElse(null));
            return incident(alert, fingerprint, receivedAt, route, Incident.State.DIAGNOSED, null, report, arrived);
        } catch (DbtoolException e) {
            // An unknown target or check, a configuration mistake: the incident says which, the rest go on.
            return incident(alert, fingerprint, receivedAt, route, Incident.State.FAILED, e.getMessage(), null, arrived);
        } catch (RuntimeException e) {
            if (e instanceof TroubleshootRunner.Interrupted) {
                throw e;
            }
            return incident(alert, fingerprint, receivedAt, route, Incident.State.FAILED,
                    "the troubleshoot failed: " + TroubleshootRunner.reason(e), null, arrived);
        }
    }

    private Incident incident(Alert alert, String fingerprint, Instant receivedAt, AlertRouter.Route route, Incident.State state,
                              String error, Report report, long arrivedMillis) {
        return new Incident(newId(receivedAt), receivedAt, alert.name(), alert.status(), fingerprint, alert.labels(),
                alert.annotations(), alert.startsAt(), alert.endsAt(), route.target(), route.reason(), route.checks(), state, error, report,
                Math.max(0, clock.millis() - arrivedMillis));
    }

    /**
     * The sender's fingerprint; for a payload written by hand without one, a hash of the sorted labels,
     * which is what Alertmanager's fingerprint identifies too.
     */
    public static String fingerprint(Alert alert) {
        if (alert.fingerprint() != null && !alert.fingerprint().isBlank()) {
            return alert.fingerprint();
        }
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, String> label : new TreeMap<>(alert.labels()).entrySet()) {
            text.append(label.getKey()).append('\u0000').append(label.getValue()).append('\u0000');
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return "labels-" + HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Time-ordered and unique across replicas: the second, then 48 random bits. */
    static String newId(Instant at) {
        byte[] random = new byte[6];
        RANDOM.nextBytes(random);
        return ID_TIME.format(at) + "-" + HexFormat.of().formatHex(random);
    }
}
