package dbtool.serve.alert;

import dbtool.spi.TraceContext;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One alert of a webhook payload, as Alertmanager (v4) and Grafana (v1) send it.
 *
 * @param status       {@code firing} or {@code resolved}
 * @param endsAt       null while firing (Alertmanager sends year 1 for "not yet")
 * @param fingerprint  the sender's identity of the alert (its label set); the dedup key
 * @param values       Grafana's evaluated values by reference id; empty from Alertmanager
 */
public record Alert(String status, Map<String, String> labels, Map<String, String> annotations, Instant startsAt,
                    Instant endsAt, String fingerprint, String generatorUrl, Map<String, Double> values) {

    public Alert {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
        values = Map.copyOf(values);
    }

    /** The {@code alertname} label: what the built-in table and the rules map to checks. */
    public String name() {
        return labels.getOrDefault("alertname", "");
    }

    public boolean firing() {
        return "firing".equals(status);
    }

    /**
     * The incident's trace, when the alert carries a W3C {@code traceparent} annotation or label (an alert
     * rule can template one from an exemplar): dbtool's troubleshoot of the alert becomes a span of it.
     */
    public Optional<TraceContext> trace() {
        return TraceContext.parseTraceparent(annotations.get("traceparent"))
                .or(() -> TraceContext.parseTraceparent(labels.get("traceparent")));
    }
}
