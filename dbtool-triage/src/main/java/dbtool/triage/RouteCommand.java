package dbtool.triage;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dbtool.core.DbtoolException;
import dbtool.core.ExitCodes;
import dbtool.core.SafeText;
import dbtool.core.SmallInput;
import dbtool.core.cli.Command;
import dbtool.core.cli.CommandContext;
import dbtool.core.config.Config;
import dbtool.core.report.JsonReportReader;
import dbtool.core.report.Report;
import dbtool.serve.alert.Alert;
import dbtool.serve.alert.AlertPayload;
import dbtool.serve.alert.AlertRouter;
import dbtool.serve.alert.AlertsConfig;
import dbtool.serve.alert.PayloadException;
import dbtool.serve.alert.PayloadParser;
import dbtool.serve.store.StateStore;
import dbtool.serve.store.StoreConfig;
import dbtool.spi.Finding;
import java.time.Clock;
import org.apache.commons.cli.CommandLine;

/**
 * {@code dbtool route test FILE}: which receivers a report or an alert payload reaches, with its
 * priority and why, its incident key and root cause. Reads the configuration only: nothing is stored,
 * sent or connected to.
 */
public final class RouteCommand implements Command {

    @Override
    public String name() {
        return "route";
    }

    @Override
    public String synopsis() {
        return "test FILE | incidents | ack KEY";
    }

    @Override
    public String summary() {
        return "show the priority, incident and receivers triage gives a report or an alert payload; list and acknowledge incidents";
    }

    @Override
    public String description() {
        return """
                FILE is a report ('dbtool troubleshoot TARGET --format json') or an Alertmanager or Grafana
                webhook payload; - reads standard input. For each, prints the priority with its reasons,
                the incident key (target and root cause), the root cause and its consequences, and the
                receivers the configuration's triage routes reach, with the route that led to each.
                Nothing is stored or sent, and no database is connected to: a payload's alerts are
                classified by their labels alone. See docs/triage.md.

                'route incidents' lists triage's incidents in the state store, newest first: key, state,
                priority, first and last seen, occurrences. 'route ack KEY' acknowledges an open incident:
                its repeats are counted, not notified, until it resolves (its resolution is still sent).
                """;
    }

    @Override
    public int[] arity() {
        return new int[] {1, 2};
    }

    @Override
    public int run(CommandLine line, CommandContext context) {
        String verb = line.getArgList().getFirst();
        int args = line.getArgList().size();
        switch (verb) {
            case "test" -> {
                if (args != 2) {
                    throw DbtoolException.usage("route test: expected FILE (a report or a webhook payload; - for standard input)");
                }
                return test(line.getArgList().get(1), context);
            }
            case "incidents", "ack" -> {
                if (verb.equals("ack") != (args == 2)) {
                    throw DbtoolException.usage(verb.equals("ack") ? "route ack: expected KEY ('dbtool route incidents' lists them)"
                            : "route incidents: takes no argument");
                }
                return incidents(verb.equals("ack") ? line.getArgList().get(1) : null, context);
            }
            default -> throw DbtoolException.usage("route: expected test FILE, incidents or ack KEY, got '" + SafeText.oneLine(verb) + "'");
        }
    }

    private static int incidents(String ack, CommandContext context) {
        Config config = context.config();
        try (StateStore store = StoreConfig.of(config, context.environment()).open(context.environment(), context.plugins(), Clock.systemUTC())) {
            IncidentBook book = new IncidentBook(store);
            if (ack != null) {
                if (!book.acknowledge(ack)) {
                    throw new DbtoolException(ExitCodes.NO_INPUT, "route ack: no open incident " + SafeText.oneLine(ack)
                            + " ('dbtool route incidents' lists them)");
                }
                context.emit("incident " + SafeText.oneLine(ack) + " acknowledged: repeats are counted, not notified, until it resolves\n");
                return ExitCodes.OK;
            }
            StringBuilder out = new StringBuilder();
            for (IncidentBook.Row row : book.incidents(100)) {
                out.append(SafeText.oneLine(row.key())).append("  ").append(row.state()).append("  ").append(row.priority())
                        .append("  first ").append(row.firstSeen()).append("  last ").append(row.lastSeen())
                        .append("  ").append(row.occurrences()).append(row.occurrences() == 1 ? " occurrence" : " occurrences").append('\n');
            }
            context.emit(out.isEmpty() ? "no incidents\n" : out.toString());
            return ExitCodes.OK;
        }
    }

    private static int test(String file, CommandContext context) {
        Config config = context.config();
        TriageConfig settings = TriageConfig.of(config).orElseThrow(() -> DbtoolException.config(
                (config.source() == null ? "configuration" : config.source().toString()) + ": no \"triage\" block to test (docs/triage.md)"));
        Triage triage = new Triage(settings, config, null, context.environment(), null, Clock.systemUTC());
        String text = SmallInput.read(file, "report or webhook payload");
        String name = SmallInput.name(file);
        JsonElement json;
        try {
            json = JsonParser.parseString(text);
        } catch (JsonParseException e) {
            throw DbtoolException.usage(name + ": not JSON");
        }
        StringBuilder out = new StringBuilder();
        if (json.isJsonObject() && json.getAsJsonObject().has("alerts")) {
            AlertPayload payload;
            try {
                payload = PayloadParser.parse(text);
            } catch (PayloadException e) {
                throw DbtoolException.usage(name + ": " + e.getMessage());
            }
            AlertRouter router = new AlertRouter(config, AlertsConfig.of(config), true);
            for (Alert alert : payload.alerts()) {
                AlertRouter.Route route = router.route(alert);
                out.append("alert ").append(SafeText.oneLine(alert.name())).append(" (").append(alert.status()).append(")\n");
                if (!alert.firing()) {
                    out.append("  resolves the incidents it started; their resolution goes to the receivers their trigger went to\n\n");
                    continue;
                }
                print(out, triage.plan(route.target(), null, new Triage.AlertInfo(alert.name(), null, alert.labels(), alert.annotations(),
                        alert.startsAt())));
            }
        } else if (json.isJsonObject() && json.getAsJsonObject().has("checks")) {
            Report report;
            try {
                report = JsonReportReader.fromJson(text);
            } catch (RuntimeException e) {
                throw DbtoolException.usage(name + ": not a dbtool report: " + SafeText.oneLine(String.valueOf(e.getMessage())));
            }
            print(out, triage.plan(report.target() == null ? null : report.target().name(), report, null));
        } else {
            throw DbtoolException.usage(name + ": expected a dbtool report (with \"checks\") or a webhook payload (with \"alerts\")");
        }
        context.emit(out.toString());
        return ExitCodes.OK;
    }

    private static void print(StringBuilder out, Triage.Plan plan) {
        out.append("  incident ").append(SafeText.oneLine(plan.key())).append('\n');
        out.append("  priority ").append(plan.classification().priority()).append(" (PagerDuty ")
                .append(plan.classification().priority().pagerDuty()).append(")\n");
        for (String reason : plan.classification().reasons()) {
            out.append("    ").append(SafeText.oneLine(reason)).append('\n');
        }
        if (plan.cause().root() != null) {
            out.append("  root cause ").append(plan.cause().root().code()).append(": ").append(SafeText.oneLine(plan.cause().root().title())).append('\n');
            for (Finding f : plan.cause().consequences()) {
                out.append("    consequence ").append(f.code()).append('\n');
            }
            for (Finding f : plan.cause().others()) {
                out.append("    also ").append(f.code()).append('\n');
            }
        }
        out.append("  receivers:\n");
        for (Routes.Hit hit : plan.receivers()) {
            out.append("    ").append(hit.receiver()).append("  (").append(hit.route()).append(")\n");
        }
        out.append('\n');
    }
}
