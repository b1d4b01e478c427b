package dbtool.monitoring.rules;

import java.time.Duration;
import java.util.List;

/**
 * One generated Prometheus alerting rule, with the series that make it fire and the series that must not, from
 * which the promtool unit tests are written.
 *
 * @param alert       the alert name, one that serve's intake maps to checks (its built-in alert table)
 * @param engine      the engine it is about (serve's {@code engine} label)
 * @param expr        the PromQL expression; every series it names is one {@code dbtool serve} exports
 * @param holdFor     the rule's {@code for}
 * @param severity    {@code critical}, {@code warning} or {@code info}
 * @param summary     one line, with {@code {{ $labels.target }}}
 * @param description what it means and what dbtool's diagnosis will show
 * @param playbook    the playbook's path in dbtool's documentation
 * @param firing      series that make it fire; the alert carries the first one's labels
 * @param quiet       series that must not make it fire
 * @param anchor      the awesome-prometheus-alerts (or other) rule this one stands for, or what it adds
 */
public record AlertRule(String alert, String engine, String expr, Duration holdFor, String severity, String summary,
                        String description, String playbook, List<Series> firing, List<Series> quiet,
                        String anchor) {

    public AlertRule {
        firing = List.copyOf(firing);
        quiet = List.copyOf(quiet);
        if (firing.isEmpty() || quiet.isEmpty()) {
            throw new IllegalArgumentException(alert + ": a rule needs firing and quiet example series");
        }
        if (!List.of("critical", "warning", "info").contains(severity)) {
            throw new IllegalArgumentException(alert + ": severity " + severity);
        }
    }

    /**
     * One input series of a promtool unit test.
     *
     * @param series PromQL series notation, {@code dbtool_blocked_sessions{target="orders",...}}
     * @param values promtool's expanding notation, one sample a minute: {@code 0x20}, {@code 0+5x20}
     */
    public record Series(String series, String values) {
    }
}
