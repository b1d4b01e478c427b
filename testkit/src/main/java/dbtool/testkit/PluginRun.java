package dbtool.testkit;

import dbtool.core.report.JsonReportWriter;
import dbtool.core.report.Report;
import dbtool.core.run.TargetUrls;
import dbtool.core.run.TroubleshootRunner;
import dbtool.spi.Check;
import dbtool.spi.Credentials;
import dbtool.spi.EnginePlugin;
import dbtool.spi.Target;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Runs an engine plugin's checks against a URL through core's {@link TroubleshootRunner}, the way
 * {@code dbtool troubleshoot <url>} does, for the plugins' tests. Each plugin keeps a small wrapper
 * with its own defaults (plugin instance, timeout, thresholds, extra checks); testkit's {@code Reports} reads
 * the result.
 */
@SuppressWarnings("exports") // core's report package is exported to testkit and its users at compile time only
public final class PluginRun {

    private PluginRun() {
    }

    /**
     * Runs all of the plugin's own checks. For dbtool's own plugins: the result is core's internal
     * report; a plugin built outside this repository uses {@link #troubleshoot} instead.
     *
     * @param plugin      the plugin, constructed as its service provider would be
     * @param url         the target URL, as a user would give it to {@code dbtool troubleshoot}
     * @param credentials what the credential chain would have found; {@link Credentials#none()} for nothing
     * @param thresholds  threshold values by name, as a configuration file's {@code thresholds} gives them
     * @param timeout     the shared deadline of the run (dbtool's {@code --timeout})
     * @return core's report of the run
     */
    public static Report run(EnginePlugin plugin, String url, Credentials credentials, Map<String, String> thresholds,
                             Duration timeout) {
        return run(plugin, url, credentials, thresholds, timeout, plugin.checks());
    }

    /**
     * Runs the given checks (the plugin's own, a subset, or with test probes added); as
     * {@link #run(EnginePlugin, String, Credentials, Map, Duration)} otherwise.
     *
     * @param plugin      the plugin, constructed as its service provider would be
     * @param url         the target URL, as a user would give it to {@code dbtool troubleshoot}
     * @param credentials what the credential chain would have found; {@link Credentials#none()} for nothing
     * @param thresholds  threshold values by name, as a configuration file's {@code thresholds} gives them
     * @param timeout     the shared deadline of the run (dbtool's {@code --timeout})
     * @param checks      the checks to run, in the order they would run
     * @return core's report of the run
     */
    public static Report run(EnginePlugin plugin, String url, Credentials credentials, Map<String, String> thresholds,
                             Duration timeout, List<Check> checks) {
        Target target = target(url, plugin.id(), Map.of());
        return new TroubleshootRunner("test").run(new TroubleshootRunner.Request(target, plugin, checks, credentials,
                timeout, thresholds));
    }

    /**
     * Runs all of the plugin's checks against a URL as {@code dbtool troubleshoot <url>} does (no
     * credentials beyond those in the URL; thresholds as a configuration file would give them) and
     * returns the outcome in SPI types: the entry point for plugin tests outside this repository.
     *
     * @param plugin     the plugin, constructed as its service provider would be
     * @param url        the target URL, as a user would give it to {@code dbtool troubleshoot}
     * @param thresholds threshold values by name, as a configuration file's {@code thresholds} gives them
     * @param timeout    the shared deadline of the run (dbtool's {@code --timeout})
     * @return the report: status, each check's outcome, the JSON and the text a user would see
     */
    public static PluginReport troubleshoot(EnginePlugin plugin, String url, Map<String, String> thresholds, Duration timeout) {
        Report report = run(plugin, url, Credentials.none(), thresholds, timeout);
        return new PluginReport(report.status(), report.checks().stream()
                .map(c -> new PluginReport.CheckOutcome(c.id(), c.category(), c.status(), c.error(), c.findings(), c.metrics()))
                .toList(), JsonReportWriter.toJson(report), Reports.text(report));
    }

    /**
     * The target {@code dbtool troubleshoot <url>} builds: parsed as core parses it, since
     * {@link TargetUrls} copes with host names {@link URI} rejects (underscores) and with MongoDB
     * seed lists.
     *
     * @param url     the target URL
     * @param engine  the plugin's engine id
     * @param options connection options, as a configured target's {@code options}
     * @return the target, named {@code test}
     */
    public static Target target(String url, String engine, Map<String, String> options) {
        URI uri = TargetUrls.parse(url);
        return TargetUrls.target("test", uri, engine, List.of(), options);
    }
}
