package dbtool.triage;

import com.google.gson.JsonObject;
import dbtool.spi.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * From {@link Facts} to a {@link Priority} with its reasons. The rules are data: the configuration's
 * {@code triage.severity.rules} (in order, the first that matches wins), else {@link #DEFAULTS}. A rule's
 * conditions must all hold; a rule without conditions matches everything (the last one should be one).
 *
 * <pre>
 * {"priority": "P1", "when": {"status": "CRITICAL", "tier": "prod", "blockedSessions": 20}}
 * </pre>
 *
 * Conditions: {@code status} (the worst finding at least this severe), {@code tier} and
 * {@code alertSeverity} (one of the values given), {@code blockedSessions}, {@code connectionShare} (0..1),
 * {@code lagSeconds}, {@code durationMinutes} (at least this much).
 */
public record SeverityRules(List<Rule> rules) {

    /** One rule: the priority it gives when all of its conditions hold. */
    public record Rule(Priority priority, Severity status, List<String> tiers, List<String> alertSeverities, long blockedSessions,
                       double connectionShare, double lagSeconds, double durationMinutes) {

        boolean matches(Facts facts) {
            return (status == null || facts.status().rank() >= status.rank())
                    && (tiers.isEmpty() || tiers.contains(facts.tier()))
                    && (alertSeverities.isEmpty() || alertSeverities.contains(facts.alertSeverity().toLowerCase(Locale.ROOT)))
                    && facts.blockedSessions() >= blockedSessions
                    && facts.connectionShare() >= connectionShare
                    && facts.lagSeconds() >= lagSeconds
                    && facts.duration().toSeconds() >= durationMinutes * 60;
        }

        /** What made this rule match, in words: "120 sessions blocked for 9 min on a prod target". */
        String because(Facts facts) {
            List<String> parts = new ArrayList<>();
            if (blockedSessions > 0) {
                parts.add(facts.blockedSessions() + " sessions blocked");
            }
            if (connectionShare > 0) {
                parts.add(Math.round(facts.connectionShare() * 100) + " % of connection slots in use");
            }
            if (lagSeconds > 0) {
                parts.add(Math.round(facts.lagSeconds()) + " s replication lag");
            }
            if (durationMinutes > 0 || blockedSessions > 0 && facts.duration().toSeconds() > 0) {
                parts.add("for " + minutes(facts) + " min");
            }
            if (status != null && parts.isEmpty()) {
                parts.add(facts.status() == Severity.OK ? "no finding" : "a " + facts.status() + " finding");
            }
            if (!tiers.isEmpty()) {
                parts.add("on a " + facts.tier() + " target");
            }
            if (!alertSeverities.isEmpty()) {
                parts.add((parts.isEmpty() ? "the alert's severity is " : "alerted with severity ") + facts.alertSeverity());
            }
            return parts.isEmpty() ? "no rule above matched" : String.join(" ", parts);
        }

        private static long minutes(Facts facts) {
            return Math.max(1, Math.round(facts.duration().toSeconds() / 60.0));
        }
    }

    /** The built-in rules: impact first (how many wait, how full, how long), then severity and tier. */
    public static final SeverityRules DEFAULTS = new SeverityRules(List.of(
            rule(Priority.P1, Severity.CRITICAL, List.of("prod"), List.of(), 20, 0, 0, 0),
            rule(Priority.P1, Severity.CRITICAL, List.of("prod"), List.of(), 0, 0.9, 0, 0),
            rule(Priority.P1, Severity.CRITICAL, List.of("prod"), List.of(), 0, 0, 0, 15),
            rule(Priority.P2, Severity.CRITICAL, List.of("prod"), List.of(), 0, 0, 0, 0),
            rule(Priority.P2, Severity.CRITICAL, List.of(), List.of("critical", "page"), 0, 0, 0, 0),
            rule(Priority.P2, Severity.CRITICAL, List.of(), List.of(), 20, 0, 0, 0),
            rule(Priority.P3, Severity.CRITICAL, List.of(), List.of(), 0, 0, 0, 0),
            rule(Priority.P3, Severity.WARNING, List.of("prod"), List.of(), 0, 0, 0, 0),
            rule(Priority.P3, null, List.of(), List.of("critical", "page"), 0, 0, 0, 0),
            rule(Priority.P4, Severity.WARNING, List.of(), List.of(), 0, 0, 0, 0),
            rule(Priority.P4, null, List.of(), List.of("warning"), 0, 0, 0, 0),
            rule(Priority.P5, null, List.of(), List.of(), 0, 0, 0, 0)));

    public static Rule rule(Priority priority, Severity status, List<String> tiers, List<String> alertSeverities, long blocked,
                            double share, double lag, double minutes) {
        return new Rule(priority, status, tiers, alertSeverities, blocked, share, lag, minutes);
    }

    /** The first rule that matches; P5 when none does. */
    public Classification classify(Facts facts) {
        for (Rule rule : rules) {
            if (rule.matches(facts)) {
                String reason = rule.priority() + ": " + rule.because(facts);
                return new Classification(rule.priority(), reasons(reason, facts));
            }
        }
        return new Classification(Priority.P5, reasons("P5: no rule matched", facts));
    }

    private static List<String> reasons(String first, Facts facts) {
        List<String> reasons = new ArrayList<>();
        reasons.add(first);
        reasons.add("worst finding: " + facts.status());
        if (facts.blockedSessions() > 0) {
            reasons.add("blocked sessions: " + facts.blockedSessions());
        }
        if (facts.connectionShare() > 0) {
            reasons.add("connection slots in use: " + Math.round(facts.connectionShare() * 100) + " %");
        }
        if (facts.lagSeconds() > 0) {
            reasons.add("replication lag: " + Math.round(facts.lagSeconds()) + " s");
        }
        if (!facts.duration().isZero()) {
            reasons.add("lasting: " + facts.duration().toSeconds() + " s");
        }
        reasons.add("tier: " + (facts.tier().isEmpty() ? "none configured" : facts.tier()));
        if (!facts.alertSeverity().isEmpty()) {
            reasons.add("alert severity: " + facts.alertSeverity());
        }
        return List.copyOf(reasons);
    }

    /** Reads {@code triage.severity}; absent: the defaults. */
    public static SeverityRules of(Block severity) {
        if (!severity.has("rules")) {
            return DEFAULTS;
        }
        List<Rule> rules = new ArrayList<>();
        for (Block rule : severity.objects("rules")) {
            rule.only("priority", "when");
            Priority priority;
            try {
                priority = Priority.parse(rule.required("priority"));
            } catch (IllegalArgumentException e) {
                throw rule.fail("priority", "expected P1, P2, P3, P4 or P5");
            }
            Block when = rule.has("when") ? rule.object("when") : Block.of(rule.config(), rule.path() + ".when", new JsonObject());
            when.only("status", "tier", "alertSeverity", "blockedSessions", "connectionShare", "lagSeconds", "durationMinutes");
            Severity status = null;
            if (when.has("status")) {
                try {
                    status = Severity.valueOf(when.required("status").toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw when.fail("status", "expected INFO, WARNING, CRITICAL or UNKNOWN");
                }
            }
            rules.add(rule(priority, status, when.strings("tier"), when.strings("alertSeverity").stream().map(s -> s.toLowerCase(Locale.ROOT)).toList(),
                    (long) atLeast(when, "blockedSessions"), atLeast(when, "connectionShare"), atLeast(when, "lagSeconds"),
                    atLeast(when, "durationMinutes")));
        }
        return new SeverityRules(List.copyOf(rules));
    }

    private static double atLeast(Block when, String field) {
        if (!when.has(field)) {
            return 0;
        }
        double value = when.number(field);
        if (value < 0 || field.equals("connectionShare") && value > 1) {
            throw when.fail(field, field.equals("connectionShare") ? "expected a share from 0 to 1" : "expected a number of at least 0");
        }
        return value;
    }

    /** The tier of a target from its tags: {@code tiers} maps each tier to the tags that mean it. */
    public static String tier(List<String> tags, Map<String, List<String>> tiers) {
        for (Map.Entry<String, List<String>> tier : tiers.entrySet()) {
            for (String tag : tags) {
                if (tier.getValue().contains(tag) || tag.equals("tier:" + tier.getKey()) || tag.equals("tier=" + tier.getKey())) {
                    return tier.getKey();
                }
            }
        }
        return "";
    }
}
