package dbtool.core.cli;

import dbtool.core.DbtoolException;
import dbtool.core.ExitCodes;
import dbtool.core.IoErrors;
import dbtool.core.Version;
import dbtool.core.config.Config;
import dbtool.core.report.FleetReport;
import dbtool.core.report.FleetTextRenderer;
import dbtool.core.report.JsonReportWriter;
import dbtool.core.report.Report;
import dbtool.core.report.Style;
import dbtool.core.report.TextReportRenderer;
import dbtool.core.report.TraceLinks;
import dbtool.core.run.CheckSelection;
import dbtool.core.run.FleetRunner;
import dbtool.core.run.TargetResolver;
import dbtool.core.run.TroubleshootRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** {@code dbtool troubleshoot TARGET}: the main job. */
public final class TroubleshootCommand implements Command {

    @Override
    public String name() {
        return "troubleshoot";
    }

    @Override
    public String synopsis() {
        return "TARGET | --targets-file FILE | --tag TAG [--parallel N] [--check ID|CATEGORY[,...]] [--format text|json] "
                + "[--timeout SECONDS] [--output FILE] [--no-color] [--notify]";
    }

    @Override
    public String summary() {
        return "diagnose connectivity, locks, resources and running queries of a database";
    }

    @Override
    public String description() {
        return """
                TARGET is a configured name ('dbtool targets') or a URL; its scheme picks the plugin:
                postgresql://, sqlserver://, mongodb:// or mongodb+srv://, snowflake://.

                dbtool connects read-only with one session, runs the checks under one shared deadline
                and prints the findings worst first, each with its evidence, a recommendation and a
                playbook. A check that fails or runs out of time is reported UNKNOWN with its reason;
                the others still report. Recommended statements are printed, never run.

                Many targets at once: --targets-file FILE (one name or URL per line, # for comments) or
                --tag TAG (the configured targets with that tag) troubleshoots each, at most --parallel N
                (default 16) at a time, and prints one summary, worst first; JSON holds every full report.

                --notify hands the report to triage (docs/triage.md): its severity, the incident it belongs
                to (kept in the state store), and the receivers the configuration's routes name: Slack,
                email, PagerDuty, a webhook, GitHub or Jira tickets. No server needed.

                Exit code: the worst status, 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
                """;
    }

    @Override
    public Options options() {
        Options options = new Options();
        options.addOption(Option.builder("c").longOpt("check").hasArg().argName("ID|CATEGORY[,...]")
                .desc("run only these checks or categories (connectivity, locks, resources, queries, or an engine's own); 'dbtool checks' lists them").get());
        options.addOption(Option.builder("f").longOpt("format").hasArg().argName("text|json")
                .desc("output format (default: text, or defaults.format of the configuration)").get());
        options.addOption(Option.builder("t").longOpt("timeout").hasArg().argName("SECONDS")
                .desc("deadline for the whole diagnosis (default: 10)").get());
        options.addOption(Option.builder("o").longOpt("output").hasArg().argName("FILE")
                .desc("write the report to FILE instead of standard output (written whole or not at all)").get());
        options.addOption(Option.builder().longOpt("no-color").desc("no colours, even on a terminal (NO_COLOR works too)").get());
        options.addOption(Option.builder().longOpt("notify")
                .desc("hand the report to triage: incident, routes, receivers (Slack, email, PagerDuty, webhook, tickets)").get());
        options.addOption(Option.builder().longOpt("targets-file").hasArg().argName("FILE")
                .desc("troubleshoot every target listed in FILE, one name or URL per line").get());
        options.addOption(Option.builder().longOpt("tag").hasArg().argName("TAG")
                .desc("troubleshoot every configured target with this tag").get());
        options.addOption(Option.builder("p").longOpt("parallel").hasArg().argName("N")
                .desc("with --targets-file or --tag: at most N targets at a time (default 16)").get());
        return options;
    }

    @Override
    public int[] arity() {
        return new int[] {0, 1};
    }

    @Override
    public int run(CommandLine line, CommandContext context) throws Exception {
        Config config = context.config();
        String format = format(line.getOptionValue("format", config.defaults().format()));
        Duration timeout = line.hasOption("timeout") ? timeout(line.getOptionValue("timeout")) : config.defaults().timeout();
        if (line.hasOption("check")) {
            CheckSelection.wanted(line.getOptionValue("check")); // a --check that names nothing fails before any connection
        }
        Path output = line.hasOption("output") ? outputPath(line.getOptionValue("output")) : null;
        if (output != null && output.getParent() != null && !Files.isDirectory(output.getParent())) {
            throw DbtoolException.usage("--output: the folder " + output.getParent() + " does not exist");
        }
        boolean fleet = line.hasOption("targets-file") || line.hasOption("tag");
        if (fleet == !line.getArgList().isEmpty()) {
            throw DbtoolException.usage(fleet ? "troubleshoot: give either TARGET or --targets-file/--tag, not both"
                    : "troubleshoot: missing TARGET (a configured name or a URL such as postgresql://host:5432/db)"
                    + "; usage: dbtool troubleshoot " + synopsis());
        }
        if (line.hasOption("parallel") && !fleet) {
            throw DbtoolException.usage("--parallel: only with --targets-file or --tag");
        }
        ReportNotifier notifier = line.hasOption("notify") ? notifier() : null;
        Style style = output == null ? context.style(line.hasOption("no-color")) : Style.PLAIN;
        String rendered;
        int exitCode;
        if (fleet) {
            List<String> targets = FleetTargets.collect(line.getOptionValue("targets-file"), line.getOptionValue("tag"), config);
            int parallel = line.hasOption("parallel") ? FleetRunner.parallel(line.getOptionValue("parallel")) : FleetRunner.DEFAULT_PARALLEL;
            FleetReport report = TraceLinks.of(config).apply(new FleetRunner(Version.get(), parallel, context.log()).run(targets,
                    name -> TroubleshootPlanner.plan(name, line.getOptionValue("check"), timeout, context, false)));
            rendered = "json".equals(format) ? JsonReportWriter.toJson(report) : new FleetTextRenderer(style).render(report);
            exitCode = report.exitCode();
            if (notifier != null) {
                notify(notifier, report.targets().stream().map(FleetReport.Entry::report).filter(Objects::nonNull).toList(), context);
            }
        } else {
            Report report = TraceLinks.of(config).apply(new TroubleshootRunner(Version.get(), context.log()).run(
                    TroubleshootPlanner.plan(line.getArgList().getFirst(), line.getOptionValue("check"), timeout, context, context.terminal())));
            rendered = render(report, format, style);
            exitCode = report.exitCode();
            if (notifier != null) {
                notify(notifier, List.of(report), context);
            }
        }
        if (output == null) {
            context.emit(rendered);
        } else {
            writeWhole(output, rendered);
            context.err().println("dbtool: report written to " + output + " (exit code " + exitCode + ")");
        }
        return exitCode;
    }

    /**
     * The runner's request for one target, as troubleshoot prepares it ({@link TroubleshootPlanner}), with
     * {@code config} in place of the context's: {@code dbtool serve} calls it for every scheduled run, with
     * the configuration as last (re)loaded.
     */
    public static TroubleshootRunner.Request request(String nameOrUrl, String checkSpec, Duration timeout, Config config,
                                                     CommandContext context, boolean interactive) {
        return TroubleshootPlanner.plan(new TargetResolver(config, context.plugins()).resolve(nameOrUrl), checkSpec, timeout,
                context, interactive);
    }

    private static ReportNotifier notifier() {
        ReportNotifier notifier = ReportNotifier.installed();
        if (notifier == null) {
            throw DbtoolException.config("--notify: this dbtool has no triage module (dbtool-triage); reinstall the bundle");
        }
        return notifier;
    }

    /** What triage did goes to standard error, so that the report on standard output stays the contract. */
    private static void notify(ReportNotifier notifier, List<Report> reports, CommandContext context) {
        for (String line : notifier.notify(reports, context)) {
            context.err().println("dbtool: " + line);
        }
    }

    static Path outputPath(String value) {
        if (value.isBlank()) {
            throw DbtoolException.usage("--output: expected a file name, got '" + value + "'");
        }
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw DbtoolException.usage("--output: not a valid file name (" + e.getReason() + ")");
        }
    }

    static String render(Report report, String format, Style style) {
        return "json".equals(format) ? JsonReportWriter.toJson(report) : new TextReportRenderer(style).render(report);
    }

    static String format(String value) {
        String format = value.toLowerCase(Locale.ROOT);
        if (!format.equals("text") && !format.equals("json")) {
            throw DbtoolException.usage("--format: expected text or json, got '" + value + "'");
        }
        return format;
    }

    static Duration timeout(String value) {
        try {
            double seconds = Double.parseDouble(value);
            if (seconds > 0 && seconds <= 3600) {
                return Duration.ofMillis(Math.round(seconds * 1000));
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw DbtoolException.usage("--timeout: expected a number of seconds between 0 and 3600, got '" + value + "'");
    }

    /**
     * Writes the report whole or not at all: to a temporary file beside the target, then moved
     * into place. A target that exists and is not a regular file (/dev/null, a named pipe, a
     * terminal) is written to directly: replacing it would destroy it. Symbolic links are followed.
     */
    static void writeWhole(Path output, String content) {
        Path target = output.toAbsolutePath();
        Path temporary = null;
        try {
            if (Files.exists(target)) {
                target = target.toRealPath();
                if (!Files.isRegularFile(target)) {
                    Files.writeString(target, content, StandardCharsets.UTF_8);
                    return;
                }
            }
            temporary = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
            Files.writeString(temporary, content, StandardCharsets.UTF_8);
            try {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // the original error is the one to report
                }
            }
            String why = IoErrors.describe(e);
            String where = temporary == null && e instanceof FileSystemException fs && fs.getFile() != null
                    && !fs.getFile().equals(target.toString()) ? " (creating a temporary file in " + target.getParent() + " to replace it whole)" : "";
            throw new DbtoolException(ExitCodes.CANT_CREATE, "--output: cannot write " + output + ": " + why + where);
        }
    }
}
