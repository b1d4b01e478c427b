package dbtool.serve.alert;

import dbtool.core.report.Report;
import dbtool.spi.Redaction;
import dbtool.spi.Severity;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What became of one alert: its diagnosis (the report of a focused troubleshoot), or why there is none.
 *
 * @param id          unique, time-ordered ({@code 20261207T153012Z-3fa9c1})
 * @param annotations the alert's annotations (summary, description, runbook_url): what triage quotes
 * @param state       {@link State}
 * @param target      the target troubleshot; null when the alert named none
 * @param routedBy    how the target was found, or why none was
 * @param error       one line when the troubleshoot could not run (unknown target, configuration); else null
 * @param report      the report, null unless {@link State#DIAGNOSED}
 * @param diagnosisMs from the alert's arrival to its report
 */
public record Incident(String id, Instant receivedAt, String alertName, String alertStatus, String fingerprint,
                       Map<String, String> labels, Map<String, String> annotations, Instant startsAt, Instant endsAt, String target, String routedBy,
                       List<String> checks, State state, String error, Report report, long diagnosisMs) {

    /** Where the incident stands. */
    public enum State {
        /** A firing alert, troubleshot: the report says what was found. */
        DIAGNOSED,
        /** A firing alert whose troubleshoot could not run: {@code error} says why. */
        FAILED,
        /** A firing alert that no rule or label maps to a target. */
        UNROUTED,
        /** A resolved alert: recorded, not troubleshot. */
        RESOLVED
    }

    public Incident {
        // A label value may hold a URL with a password (dbtool_target=postgresql://u:pw@h/db): kept masked.
        labels = masked(labels);
        annotations = masked(annotations);
        checks = List.copyOf(checks);
        target = target == null ? null : Redaction.redact(target);
    }

    private static Map<String, String> masked(Map<String, String> values) {
        Map<String, String> masked = new LinkedHashMap<>();
        values.forEach((k, v) -> masked.put(k, Redaction.redactText(v)));
        return Map.copyOf(masked);
    }

    /** The status that decides the exit code: the report's, UNKNOWN when a firing alert got no report, OK when resolved. */
    public Severity status() {
        if (report != null) {
            return report.status();
        }
        return state == State.RESOLVED ? Severity.OK : Severity.UNKNOWN;
    }
}
