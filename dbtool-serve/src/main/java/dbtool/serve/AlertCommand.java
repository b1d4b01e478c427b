package dbtool.serve;

import dbtool.core.DbtoolException;
import dbtool.core.ExitCodes;
import dbtool.core.SafeText;
import dbtool.core.SmallInput;
import dbtool.core.cli.Command;
import dbtool.core.cli.CommandContext;
import dbtool.core.cli.TroubleshootPlanner;
import dbtool.core.report.Style;
import dbtool.serve.alert.Alert;
import dbtool.serve.alert.AlertDiagnoser;
import dbtool.serve.alert.AlertIntake;
import dbtool.serve.alert.AlertPayload;
import dbtool.serve.alert.AlertRouter;
import dbtool.serve.alert.AlertsConfig;
import dbtool.serve.alert.Incident;
import dbtool.serve.alert.IncidentJson;
import dbtool.serve.alert.PayloadException;
import dbtool.serve.alert.PayloadParser;
import dbtool.spi.Severity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code dbtool alert FILE.json}: what {@code dbtool serve} would make of a webhook payload, without a
 * server: each firing alert routed and troubleshot, printed as troubleshoot prints. For testing the
 * routing and for drills; {@code --simulate ALERTNAME TARGET} builds the payload.
 */
public final class AlertCommand implements Command {

    @Override
    public String name() {
        return "alert";
    }

    @Override
    public String synopsis() {
        return "FILE.json | - | --simulate ALERTNAME TARGET [--format text|json] [--timeout SECONDS] [--no-color]";
    }

    @Override
    public String summary() {
        return "diagnose the alerts of a saved Alertmanager or Grafana webhook payload, or a simulated alert";
    }

    @Override
    public String description() {
        return """
                Reads a webhook payload as Alertmanager (version "4") or Grafana (version "1") sends it to
                'dbtool serve' (FILE, or - for standard input), and does what the server would: each firing
                alert is mapped to a target (the dbtool_target label, the "alerts" rules of the configuration,
                or the server, instance or job label matching a configured target) and to the checks its
                name calls for (the rules, else the built-in table of docs/serve.md, else every check), and
                troubleshot at once; resolved alerts are listed. Nothing is stored.

                --simulate ALERTNAME TARGET builds a firing alert with that name for TARGET (a configured
                name or a URL): a drill for an alert that has not fired yet.

                Exit code: the worst status, as troubleshoot: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (an alert
                without a target or whose troubleshoot could not run); 64 a payload that is not one, 66 a
                missing file, 78 a configuration mistake.""";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("simulate").desc("build a firing alert: the arguments are ALERTNAME TARGET").get())
                .addOption(Option.builder("f").longOpt("format").hasArg().argName("text|json")
                        .desc("output format (default: text, or defaults.format of the configuration)").get())
                .addOption(Option.builder("t").longOpt("timeout").hasArg().argName("SECONDS")
                        .desc("deadline of each troubleshoot (default: alerts.timeout, else defaults.timeout, else 10)").get())
                .addOption(Option.builder().longOpt("no-color").desc("no colours, even on a terminal (NO_COLOR works too)").get());
    }

    @Override
    public int[] arity() {
        return new int[] {1, 2};
    }

    @Override
    public int run(CommandLine line, CommandContext context) throws Exception {
        List<String> args = line.getArgList();
        boolean simulate = line.hasOption("simulate");
        if (simulate && args.size() != 2) {
            throw DbtoolException.usage("alert --simulate: expected ALERTNAME TARGET, e.g. dbtool alert --simulate PostgresqlDeadLocks orders");
        }
        if (!simulate && args.size() != 1) {
            throw DbtoolException.usage("alert: expected one FILE.json (or - for standard input); --simulate ALERTNAME TARGET builds an alert");
        }
        String format = TroubleshootPlanner.format(line.getOptionValue("format", context.config().defaults().format()));
        AlertsConfig alerts = AlertsConfig.of(context.config());
        Duration timeout = line.hasOption("timeout") ? TroubleshootPlanner.timeout(line.getOptionValue("timeout")) : alerts.timeout();
        Instant received = Instant.now();
        List<Alert> firing = simulate ? List.of(simulated(args.get(0), args.get(1), received)) : read(args.getFirst()).alerts();

        // URLs are followed here: the user chose this payload (a webhook's are not, see AlertRouter).
        AlertRouter router = new AlertRouter(context.config(), alerts, true);
        AlertIntake intake = new AlertIntake(router, new AlertDiagnoser(context, context.config(), timeout)::diagnose, Clock.systemUTC());
        List<Incident> incidents = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Alert alert : firing) {
            if (alert.firing() && !seen.add(AlertIntake.fingerprint(alert))) {
                continue; // the same alert twice in one payload is diagnosed once, as the server's dedup would
            }
            incidents.add(intake.handle(alert, received));
        }
        Severity worst = Severity.OK;
        for (Incident incident : incidents) {
            worst = worst.worst(incident.status());
        }
        if ("json".equals(format)) {
            context.out().print(IncidentJson.toJson(incidents, worst.name()));
        } else {
            context.emit(text(incidents, context.style(line.hasOption("no-color"))));
        }
        return worst.exitCode();
    }

    private static Alert simulated(String name, String target, Instant now) {
        if (name.isBlank()) {
            throw DbtoolException.usage("alert --simulate: ALERTNAME is empty");
        }
        return new Alert("firing", Map.of("alertname", name, AlertRouter.TARGET_LABEL, target, "dbtool_simulated", "true"),
                Map.of("summary", "simulated by dbtool alert --simulate"), now, null, null, null, Map.of());
    }

    private static AlertPayload read(String file) {
        String text = SmallInput.read(file, "webhook payload");
        try {
            return PayloadParser.parse(text);
        } catch (PayloadException e) {
            throw DbtoolException.usage(SmallInput.name(file) + ": " + e.getMessage());
        }
    }

    private static String text(List<Incident> incidents, Style style) {
        if (incidents.isEmpty()) {
            return "The payload holds no alerts.\n";
        }
        StringBuilder out = new StringBuilder();
        for (Incident incident : incidents) {
            if (!out.isEmpty()) {
                out.append('\n');
            }
            // Everything quoted from the payload goes through SafeText: an alert's labels are anyone's text.
            StringBuilder head = new StringBuilder("alert ").append(SafeText.oneLine(incident.alertName()))
                    .append(" (").append(incident.alertStatus()).append(", fingerprint ").append(SafeText.oneLine(incident.fingerprint())).append(')');
            out.append(style.bold(head.toString())).append('\n');
            switch (incident.state()) {
                case RESOLVED -> out.append("  resolved: recorded, not troubleshot\n");
                case UNROUTED -> out.append("  no target: ").append(SafeText.oneLine(incident.error())).append('\n');
                case FAILED -> out.append("  target ").append(SafeText.oneLine(incident.target())).append(": not troubleshot: ")
                        .append(SafeText.oneLine(incident.error())).append('\n');
                case DIAGNOSED -> {
                    out.append("  target ").append(SafeText.oneLine(incident.target())).append(" (").append(SafeText.oneLine(incident.routedBy()))
                            .append("), checks: ").append(incident.checks().isEmpty() ? "all" : SafeText.oneLine(String.join(", ", incident.checks())))
                            .append("\n\n");
                    out.append(TroubleshootPlanner.render(incident.report(), "text", style));
                }
            }
        }
        return out.toString();
    }
}
