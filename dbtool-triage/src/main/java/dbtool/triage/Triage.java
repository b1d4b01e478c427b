package dbtool.triage;

import dbtool.core.DbtoolException;
import dbtool.core.Environment;
import dbtool.core.config.Config;
import dbtool.core.config.TargetConfig;
import dbtool.core.report.CheckReport;
import dbtool.core.report.Report;
import dbtool.core.report.TraceLinks;
import dbtool.core.run.TraceSpan;
import dbtool.core.run.Tracing;
import dbtool.spi.Finding;
import dbtool.triage.send.DeliveryException;
import dbtool.triage.send.HttpSender;
import dbtool.triage.send.Receiver;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * From a report (and the alert that started it) to notifications: severity, root cause, the incident
 * it belongs to, the routes, the receivers. The same for {@code troubleshoot --notify} and for
 * {@code dbtool serve}'s alerts.
 */
public final class Triage {

    private final TriageConfig settings;
    private final Config config;
    private final IncidentBook book;
    private final Environment environment;
    private final HttpSender http;
    private final Clock clock;

    public Triage(TriageConfig settings, Config config, IncidentBook book, Environment environment, HttpSender http, Clock clock) {
        this.settings = settings;
        this.config = config;
        this.book = book;
        this.environment = environment;
        this.http = http;
        this.clock = clock;
    }

    /** The alert a report answers, when there is one. */
    public record AlertInfo(String name, String fingerprint, Map<String, String> labels, Map<String, String> annotations, Instant startsAt) {
    }

    /** What triage makes of a report without touching the store or any receiver: for {@code dbtool route test} and for {@link #observe}. */
    public record Plan(String key, String target, String engine, List<String> tags, RootCause cause, Facts facts, Classification classification,
                       List<Routes.Hit> receivers) {
    }

    public Plan plan(String targetName, Report report, AlertInfo alert) {
        String target = targetName != null ? targetName : report != null && report.target() != null ? report.target().name() : "unrouted";
        String engine = report != null && report.target() != null ? report.target().engine() : null;
        List<String> tags = config.target(target).map(TargetConfig::tags).orElse(List.of());
        RootCause cause = RootCause.of(report);
        String fallback = alert != null ? "alert:" + alert.name() : "report:" + (report == null ? "none" : report.status().name());
        String key = target + "|" + cause.code(fallback);
        Facts facts = Facts.of(report, alert == null ? null : alert.labels(), alert == null ? null : alert.startsAt(), clock.instant(),
                SeverityRules.tier(tags, settings.tiers()));
        Classification classification = settings.rules().classify(facts);
        List<String> codes = new ArrayList<>();
        if (report != null) {
            for (CheckReport check : report.checks()) {
                for (Finding finding : check.findings()) {
                    codes.add(finding.code());
                }
            }
        }
        if (cause.root() == null) {
            codes.add(cause.code(fallback));
        }
        List<Routes.Hit> hits = settings.routes().receivers(new Routes.Subject(engine, target, tags, classification.priority(), codes,
                alert == null ? Map.of() : alert.labels()));
        return new Plan(key, target, engine, tags, cause, facts, classification, hits);
    }

    /**
     * A report to triage: its incident is observed (opened, repeated, grouped, quiet) and notified as that
     * calls for. A report with nothing at WARNING or worse opens nothing; unless it answers an alert, it
     * resolves the target's open incidents whose cause it no longer shows (troubleshoot: the target is healthy again).
     */
    public List<String> observe(String targetName, Report unlinked, AlertInfo alert) {
        // Serve's scheduled runs reach triage without the links troubleshoot adds; adding them again changes nothing.
        Report report = unlinked == null ? null : TraceLinks.of(config).apply(unlinked);
        Plan found = plan(targetName, report, alert);
        Plan plan = found.cause().root() == null ? found : continuing(found);
        List<String> lines = new ArrayList<>();
        if (alert == null) {
            Set<String> present = new LinkedHashSet<>();
            if (plan.cause().root() != null) {
                present.add(plan.key());
            }
            for (String open : book.openOf(plan.target())) {
                if (!present.contains(open)) {
                    lines.addAll(resolve(open));
                }
            }
            if (plan.cause().root() == null) {
                if (lines.isEmpty()) {
                    lines.add(plan.target() + ": nothing at WARNING or worse, no incident");
                }
                return lines;
            }
        }
        IncidentBook.Outcome outcome = book.observe(plan.key(), plan.target(), plan.key().substring(plan.key().indexOf('|') + 1),
                plan.classification().priority(),
                alert == null ? null : alert.fingerprint(), summary(plan), clock.instant(), settings.windows());
        Notice notice = new Notice(outcome.action(), plan.key(), plan.target(), plan.engine(), plan.classification(), plan.cause(), report,
                alert == null ? null : alert.labels(), alert == null ? null : alert.annotations(), outcome.row(), settings.playbookBase(), null);
        String head = "incident " + plan.key() + " (" + plan.classification().summary() + "): ";
        switch (outcome.action()) {
            case TRIGGER, REPEAT -> {
                List<String> names = plan.receivers().stream().map(Routes.Hit::receiver).toList();
                book.receivers(plan.key(), names);
                lines.add(head + (outcome.action() == IncidentBook.Action.TRIGGER ? "new" : "repeat, notified again")
                        + consequences(plan.cause()));
                lines.addAll(deliver(notice, names));
            }
            case GROUPED -> {
                String leader = outcome.row().groupKey();
                lines.add(head + "the same cause as " + leader + ", grouped under it, not notified");
                IncidentBook.Row leaderRow = book.row(leader).orElse(null);
                if (leaderRow != null) {
                    Notice grouped = new Notice(IncidentBook.Action.GROUPED, plan.key(), plan.target(), plan.engine(), plan.classification(),
                            plan.cause(), report, null, null, outcome.row(), settings.playbookBase(), leaderRow.target());
                    lines.addAll(deliver(grouped, leaderRow.receivers()));
                }
            }
            case QUIET -> lines.add(head + "back within the quiet period after its resolution, reopened without a notification");
            default -> lines.add(head + "seen again (" + outcome.row().occurrences() + " occurrences), within the repeat window"
                    + (outcome.row().state().equals("acknowledged") ? " or acknowledged" : "") + ", not notified");
        }
        return lines;
    }

    /**
     * The incident this report continues: when an open incident of the target was named after what is now
     * a consequence (the blocking chain, before the idle transaction at its head was old enough to be a
     * finding), the report belongs to it, so that a root cause seen more clearly is not a second incident.
     */
    private Plan continuing(Plan plan) {
        List<String> consequences = plan.cause().consequences().stream().map(Finding::code).toList();
        for (String open : book.openOf(plan.target())) {
            String code = open.substring(open.indexOf('|') + 1);
            if (consequences.contains(code)) {
                return new Plan(open, plan.target(), plan.engine(), plan.tags(), plan.cause(), plan.facts(), plan.classification(), plan.receivers());
            }
        }
        return plan;
    }

    /** An alert resolved: the incidents it started are resolved, and each notified once. */
    public List<String> alertResolved(String fingerprint) {
        List<String> lines = new ArrayList<>();
        for (String key : book.openByFingerprint(fingerprint)) {
            lines.addAll(resolve(key));
        }
        return lines;
    }

    private List<String> resolve(String key) {
        IncidentBook.Outcome outcome = book.resolve(key, clock.instant());
        if (outcome.action() != IncidentBook.Action.RESOLVE) {
            return List.of("incident " + key + ": resolved" + (outcome.row() == null ? "" : " (nothing had been notified)"));
        }
        IncidentBook.Row row = outcome.row();
        Notice notice = new Notice(IncidentBook.Action.RESOLVE, key, row.target(), null, null, null, null, null, null, row,
                settings.playbookBase(), null);
        List<String> lines = new ArrayList<>();
        lines.add("incident " + key + ": resolved, notifying " + (row.receivers().isEmpty() ? "nobody" : String.join(", ", row.receivers())));
        lines.addAll(deliver(notice, row.receivers()));
        return lines;
    }

    /** Each receiver on a virtual thread of its own (a slow SMTP relay does not hold the page back); lines in route order. */
    private List<String> deliver(Notice notice, List<String> names) {
        Receiver.Delivery delivery = new Receiver.Delivery(environment, book, http);
        List<Future<String>> results = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String name : names) {
                Receiver receiver = settings.receivers().get(name);
                if (receiver != null && receiver.wants(notice)) {
                    results.add(threads.submit(() -> "  " + receiver.type() + " " + name + ": " + traced(receiver, name, notice, delivery)));
                }
            }
        }
        List<String> lines = new ArrayList<>();
        for (Future<String> result : results) {
            lines.add(result.resultNow());
        }
        return lines;
    }

    /**
     * The delivery as a span of dbtool's trace (issue 22, item 6): receiver, target, action and whether it
     * went out; never the failure's text, which may quote what a service answered.
     */
    private static String traced(Receiver receiver, String name, Notice notice, Receiver.Delivery delivery) {
        TraceSpan span = Tracing.process().start("dbtool notify", null)
                .set("dbtool.receiver", name)
                .set("dbtool.receiver.type", receiver.type())
                .set("dbtool.target", notice.target())
                .set("db.system.name", notice.engine())
                .set("dbtool.incident.action", notice.action().name().toLowerCase(Locale.ROOT));
        try {
            String outcome = outcome(receiver, notice, delivery);
            if (outcome.startsWith("failed")) {
                span.fail("the notification was not delivered");
            }
            return outcome;
        } finally {
            span.end();
        }
    }

    private static String outcome(Receiver receiver, Notice notice, Receiver.Delivery delivery) {
        try {
            return receiver.deliver(notice, delivery);
        } catch (DeliveryException e) {
            return "failed: " + e.getMessage();
        } catch (DbtoolException e) {
            return "failed: " + e.getMessage(); // one line, never a secret
        } catch (RuntimeException e) {
            return "failed: " + e.getClass().getSimpleName();
        }
    }

    private static String summary(Plan plan) {
        Finding root = plan.cause().root();
        return root == null ? plan.key() : root.code() + ": " + Render.oneLine(Render.clean(root.title()));
    }

    private static String consequences(RootCause cause) {
        if (cause.consequences().isEmpty()) {
            return "";
        }
        return "; root " + cause.root().code() + " explains " + String.join(", ", cause.consequences().stream().map(Finding::code).toList());
    }
}
