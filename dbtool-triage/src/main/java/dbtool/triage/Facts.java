package dbtool.triage;

import dbtool.core.report.CheckReport;
import dbtool.core.report.Report;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the severity rules look at, read from a report (and the alert that started it): the worst
 * finding's severity, the blast radius (blocked sessions, share of connection slots, replication lag),
 * how long the condition has lasted, the target's tier and the alert's own {@code severity} label.
 *
 * @param status          the worst finding's severity (OK when there is none)
 * @param blockedSessions sessions waiting in blocking trees; 0 when none
 * @param connectionShare connections in use over usable slots, 0..1; 0 when unknown
 * @param lagSeconds      replication lag; 0 when none is reported
 * @param duration        how long the head blocker's transaction, the longest wait or the alert has lasted
 * @param tier            the target's tier (prod, staging, ...), "" when none is configured
 * @param alertSeverity   the alert's {@code severity} label, "" without an alert
 */
public record Facts(Severity status, long blockedSessions, double connectionShare, double lagSeconds, Duration duration, String tier,
                   String alertSeverity) {

    public static Facts of(Report report, Map<String, String> alertLabels, Instant alertStartsAt, Instant now, String tier) {
        Severity status = Severity.OK;
        long blocked = 0;
        double share = 0;
        double lag = 0;
        double seconds = 0;
        if (report != null) {
            for (CheckReport check : report.checks()) {
                for (Finding finding : check.findings()) {
                    status = status.worst(finding.severity());
                    Map<String, Object> evidence = finding.evidence();
                    blocked = Math.max(blocked, (long) number(evidence.get("blockedSessions")));
                    double connections = number(evidence.get("connections"));
                    double usable = number(evidence.get("usableSlots"));
                    if (usable > 0) {
                        share = Math.max(share, connections / usable);
                    }
                    for (Map.Entry<String, Object> entry : evidence.entrySet()) {
                        if (entry.getKey().toLowerCase(Locale.ROOT).contains("lag") || entry.getKey().equals("replayDelaySeconds")) {
                            lag = Math.max(lag, number(entry.getValue()));
                        }
                    }
                    seconds = Math.max(seconds, number(evidence.get("longestWaitSeconds")));
                    seconds = Math.max(seconds, headSeconds(evidence));
                }
            }
        }
        if (alertStartsAt != null && now.isAfter(alertStartsAt)) {
            seconds = Math.max(seconds, Duration.between(alertStartsAt, now).toSeconds());
        }
        String alertSeverity = alertLabels == null ? "" : alertLabels.getOrDefault("severity", "");
        return new Facts(status, blocked, share, lag, Duration.ofMillis(Math.round(seconds * 1000)), tier == null ? "" : tier, alertSeverity);
    }

    /** The transaction age of the head blockers named in a blocking tree. */
    private static double headSeconds(Map<String, Object> evidence) {
        if (!(evidence.get("headBlockers") instanceof Collection<?> heads) || !(evidence.get("blockingTree") instanceof List<?> tree)) {
            return 0;
        }
        double seconds = 0;
        for (Object node : tree) {
            if (node instanceof Map<?, ?> map && containsNumber(heads, map.get("pid"))) {
                seconds = Math.max(seconds, number(map.get("xactSeconds")));
            }
        }
        return seconds;
    }

    static boolean containsNumber(Collection<?> values, Object value) {
        if (!(value instanceof Number n)) {
            return false;
        }
        for (Object v : values) {
            if (v instanceof Number m && m.longValue() == n.longValue()) {
                return true;
            }
        }
        return false;
    }

    static double number(Object value) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof String s) {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }
}
