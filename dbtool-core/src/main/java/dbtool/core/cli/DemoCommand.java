package dbtool.core.cli;

import dbtool.core.DbtoolException;
import dbtool.core.ExitCodes;
import dbtool.core.Version;
import dbtool.core.report.Report;
import dbtool.core.run.CheckSelection;
import dbtool.core.run.TargetUrls;
import dbtool.core.run.TroubleshootRunner;
import dbtool.spi.Credentials;
import dbtool.spi.DemoScenario;
import dbtool.spi.EnginePlugin;
import dbtool.spi.Redaction;
import dbtool.spi.Target;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code dbtool demo}: a throwaway server on this machine with a staged incident, diagnosed and
 * cleaned up, for a newcomer who has no database at hand.
 */
final class DemoCommand implements Command {

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String synopsis() {
        return "[--engine ENGINE] [--format text|json] [--timeout SECONDS] [--no-color]";
    }

    @Override
    public String summary() {
        return "start a throwaway local database with a staged incident and troubleshoot it";
    }

    @Override
    public String description() {
        return """
                Starts a throwaway server from this machine's binaries (PostgreSQL by default), stages an
                incident on it (a blocking chain under an idle-in-transaction session, a long-running query,
                connections near the limit), runs 'troubleshoot' against it, prints the report and removes
                the server again, also on Ctrl-C. The exit code is 0 when the demo ran, whatever it found.
                """;
    }

    @Override
    public Options options() {
        Options options = new Options();
        options.addOption(Option.builder("e").longOpt("engine").hasArg().argName("ENGINE").desc("engine to demonstrate (default: postgresql)").get());
        options.addOption(Option.builder("f").longOpt("format").hasArg().argName("text|json").desc("output format (default: text)").get());
        options.addOption(Option.builder("t").longOpt("timeout").hasArg().argName("SECONDS").desc("deadline for the diagnosis (default: 10)").get());
        options.addOption(Option.builder().longOpt("no-color").desc("no colours, even on a terminal").get());
        return options;
    }

    @Override
    public int run(CommandLine line, CommandContext context) throws Exception {
        String engineId = line.getOptionValue("engine", "postgresql");
        String format = TroubleshootCommand.format(line.getOptionValue("format", "text"));
        var timeout = TroubleshootCommand.timeout(line.getOptionValue("timeout", "10"));
        EnginePlugin engine = context.plugins().requireEngine(engineId);
        DemoScenario scenario = context.plugins().demo(engine.id()).orElseThrow(() ->
                DbtoolException.usage("demo: the " + engine.id() + " plugin has no demo"));
        DemoScenario.Running running;
        try {
            running = scenario.start(context.err());
        } catch (DbtoolException e) {
            throw e;
        } catch (Exception e) {
            throw new DbtoolException(ExitCodes.UNKNOWN, "demo: " + TroubleshootRunner.reason(e));
        }
        // Ctrl-C ends the JVM outside the shell: stop the server on the way out too.
        Thread cleanup = new Thread(running::close, "dbtool-demo-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            URI url = running.url();
            String name = "demo (" + Redaction.redact(url.toString()) + ")";
            Target target = TargetUrls.target(name, url, engine.id(), List.of("demo"), Map.of());
            context.err().println("demo: troubleshooting " + Redaction.redact(url.toString())
                    + (running.thresholds().isEmpty() ? "" : " with thresholds scaled down to the incident's age: "
                    // sorted: a demo's Map.of prints in another order on every run
                    + new TreeMap<>(running.thresholds())));
            Report report = new TroubleshootRunner(Version.get(), context.log()).run(new TroubleshootRunner.Request(
                    target, engine, CheckSelection.select(engine.checks(), null, engine.id()), Credentials.none(), timeout, running.thresholds()));
            context.emit(TroubleshootCommand.render(report, format, context.style(line.hasOption("no-color"))));
            context.out().flush();
        } finally {
            running.close();
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException e) {
                // already shutting down: the hook runs
            }
        }
        context.err().println("demo: the throwaway server was stopped and removed");
        return ExitCodes.OK;
    }
}
