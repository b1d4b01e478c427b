package dbtool.serve.alert;

import dbtool.core.Version;
import dbtool.core.cli.CommandContext;
import dbtool.core.cli.TroubleshootPlanner;
import dbtool.core.config.Config;
import dbtool.core.report.Report;
import dbtool.core.report.TraceLinks;
import dbtool.core.run.CheckSelection;
import dbtool.core.run.ResolvedTarget;
import dbtool.core.run.TargetResolver;
import dbtool.core.run.TroubleshootRunner;
import dbtool.spi.Check;
import dbtool.spi.TraceContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs the focused troubleshoot an alert asks for: the routed target, the routed checks, with the
 * safety settings, credentials and deadline of {@code dbtool troubleshoot} (its planner and runner).
 */
public final class AlertDiagnoser {

    private final CommandContext context;
    private final Config config;
    private final Duration timeout;

    /** @param config the configuration in force ({@code dbtool serve} reloads it; the context keeps the first) */
    public AlertDiagnoser(CommandContext context, Config config, Duration timeout) {
        this.context = context;
        this.config = config;
        this.timeout = timeout;
    }

    /**
     * The report of the alert's troubleshoot. A target that cannot be resolved or checks that do not
     * exist throw {@link dbtool.core.DbtoolException}, whose one-line message the caller records.
     *
     * @param trace the alert's trace (its traceparent), or null: the troubleshoot's span becomes a child of it
     */
    public Report diagnose(AlertRouter.Route route, TraceContext trace) {
        ResolvedTarget resolved = new TargetResolver(config, context.plugins()).resolve(route.target());
        String spec = checkSpec(route, resolved.plugin().checks());
        TroubleshootRunner.Request request = TroubleshootPlanner.plan(resolved, spec, timeout, context, false);
        return TraceLinks.of(config).apply(new TroubleshootRunner(Version.get(), context.log()).run(request, trace));
    }

    /**
     * The {@code --check} value for the route: the rule's checks as written (a name the plugin lacks is
     * the configuration's mistake, reported), or the built-in row's names this plugin has (the row spans
     * engines); null (every check) when the alert is not in the table or the plugin has none of its names.
     */
    static String checkSpec(AlertRouter.Route route, List<Check> available) {
        if (route.checks().isEmpty()) {
            return null;
        }
        if (!route.builtIn()) {
            return String.join(",", route.checks());
        }
        List<String> known = CheckSelection.names(available);
        List<String> kept = new ArrayList<>();
        for (String name : route.checks()) {
            if (known.contains(name.toLowerCase(Locale.ROOT))) {
                kept.add(name);
            }
        }
        return kept.isEmpty() ? null : String.join(",", kept);
    }
}
