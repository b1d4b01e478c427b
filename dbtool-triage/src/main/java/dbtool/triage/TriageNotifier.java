package dbtool.triage;

import dbtool.core.DbtoolException;
import dbtool.core.cli.CommandContext;
import dbtool.core.cli.ReportNotifier;
import dbtool.core.config.Config;
import dbtool.core.report.Report;
import dbtool.serve.store.StateStore;
import dbtool.serve.store.StoreConfig;
import dbtool.triage.send.HttpSender;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code dbtool troubleshoot --notify}: triage without a server. The incidents live in the same state
 * store {@code dbtool serve} uses (the {@code "state"} block: the embedded store under the data
 * directory, or the shared PostgreSQL database), so a repeat from cron is recognised as one.
 */
public final class TriageNotifier implements ReportNotifier {

    @Override
    public List<String> notify(List<Report> reports, CommandContext context) {
        Config config = context.config();
        TriageConfig settings = TriageConfig.of(config).orElseThrow(() -> DbtoolException.config(
                (config.source() == null ? "configuration" : config.source().toString())
                        + ": --notify needs a \"triage\" block with receivers and routes (docs/triage.md)"));
        List<String> lines = new ArrayList<>();
        try (StateStore store = StoreConfig.of(config, context.environment()).open(context.environment(), context.plugins(), Clock.systemUTC())) {
            Triage triage = new Triage(settings, config, new IncidentBook(store), context.environment(), HttpSender.standard(), Clock.systemUTC());
            for (Report report : reports) {
                lines.addAll(triage.observe(report.target() == null ? null : report.target().name(), report, null));
            }
        }
        return lines;
    }
}
