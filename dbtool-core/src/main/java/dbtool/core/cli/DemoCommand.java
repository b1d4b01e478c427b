package dbtool.core.cli;

import dbtool.core.DbtoolException;
import dbtool.core.ExitCodes;
import dbtool.core.Version;
import dbtool.core.report.Report;
import dbtool.core.report.TraceLinks;
import dbtool.core.run.CheckSelection;
import dbtool.core.run.TargetUrls;
import dbtool.core.run.TroubleshootRunner;
import dbtool.spi.Credentials;
import dbtool.spi.DemoScenario;
import dbtool.spi.EnginePlugin;
import dbtool.spi.Redaction;
import dbtool.spi.Target;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
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
        return "[--engine ENGINE] [--scenario NAME] [--format text|json] [--timeout SECONDS] [--no-color] [--keep] | --list";
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
                Other scenarios stage one incident each ('dbtool demo --list' shows them, with the
                chapter of the Book they go with): run one with --scenario NAME.
                With --keep, the server and its incident stay after the report until Ctrl-C, and its URL is
                printed: other commands ('dbtool alert --simulate', 'dbtool serve', 'dbtool change') can
                then be tried on it from another terminal, as the Book's exercises do.
                """;
    }

    @Override
    public Options options() {
        Options options = new Options();
        options.addOption(Option.builder("e").longOpt("engine").hasArg().argName("ENGINE").desc("engine to demonstrate (default: postgresql)").get());
        options.addOption(Option.builder("s").longOpt("scenario").hasArg().argName("NAME").desc("the incident to stage (default: incident)").get());
        options.addOption(Option.builder().longOpt("list").desc("list the demo scenarios of every installed engine").get());
        options.addOption(Option.builder("f").longOpt("format").hasArg().argName("text|json").desc("output format (default: text)").get());
        options.addOption(Option.builder("t").longOpt("timeout").hasArg().argName("SECONDS").desc("deadline for the diagnosis (default: 10)").get());
        options.addOption(Option.builder().longOpt("no-color").desc("no colours, even on a terminal").get());
        options.addOption(Option.builder().longOpt("keep").desc("keep the server and its incident after the report, until Ctrl-C").get());
        return options;
    }

    @Override
    public int run(CommandLine line, CommandContext context) throws Exception {
        String engineId = line.getOptionValue("engine", "postgresql");
        String format = TroubleshootCommand.format(line.getOptionValue("format", "text"));
        var timeout = TroubleshootCommand.timeout(line.getOptionValue("timeout", "10"));
        if (line.hasOption("list")) {
            return list(context);
        }
        EnginePlugin engine = context.plugins().requireEngine(engineId);
        DemoScenario scenario = scenario(context.plugins().demos(engine.id()), engine.id(), line.getOptionValue("scenario"));
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
            Report report = TraceLinks.of(context.config()).apply(new TroubleshootRunner(Version.get(), context.log()).run(new TroubleshootRunner.Request(
                    target, engine, CheckSelection.select(engine.checks(), null, engine.id()), Credentials.none(), timeout, running.thresholds())));
            context.emit(TroubleshootCommand.render(report, format, context.style(line.hasOption("no-color"))));
            context.out().flush();
            if (line.hasOption("keep")) {
                keep(url, context);
            }
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

    /**
     * Waits until Ctrl-C: from a command line the shutdown hook stops the server; in the shell
     * Ctrl-C interrupts this thread and the caller's {@code finally} does.
     */
    private static void keep(URI url, CommandContext context) throws InterruptedException {
        context.err().println("demo: the server keeps running with its incident at " + Redaction.redact(url.toString())
                + " until Ctrl-C; try other commands on it from another terminal");
        context.err().flush();
        new CountDownLatch(1).await();
    }

    /** The named scenario, or without a name the engine's "incident" (else its first). */
    static DemoScenario scenario(List<DemoScenario> scenarios, String engine, String name) {
        if (scenarios.isEmpty()) {
            throw DbtoolException.usage("demo: the " + engine + " plugin has no demo");
        }
        String wanted = name == null ? "incident" : name;
        return scenarios.stream().filter(s -> s.name().equals(wanted)).findFirst()
                .or(() -> name == null ? Optional.of(scenarios.getFirst()) : Optional.empty())
                .orElseThrow(() -> DbtoolException.usage("demo: --scenario: " + engine + " has no scenario '" + name + "'; "
                        + "available: " + String.join(", ", scenarios.stream().map(DemoScenario::name).toList())));
    }

    private static int list(CommandContext context) {
        StringBuilder out = new StringBuilder();
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("ENGINE", "SCENARIO", "WHAT IT STAGES"));
        for (String engine : context.plugins().engineIds()) {
            context.plugins().demos(engine).forEach(s -> rows.add(List.of(engine, s.name(), s.description())));
        }
        int engineWidth = rows.stream().mapToInt(r -> r.get(0).length()).max().orElse(0);
        int nameWidth = rows.stream().mapToInt(r -> r.get(1).length()).max().orElse(0);
        for (List<String> row : rows) {
            out.append(String.format("%-" + engineWidth + "s  %-" + nameWidth + "s  %s%n", row.get(0), row.get(1), row.get(2)));
        }
        // plugin text: printed through out(), which escapes control characters
        context.out().print(out);
        context.out().flush();
        return ExitCodes.OK;
    }
}
