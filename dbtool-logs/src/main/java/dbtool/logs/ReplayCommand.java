package dbtool.logs;

import dbtool.core.DbtoolException;
import dbtool.core.ExitCodes;
import dbtool.core.SafeText;
import dbtool.core.cli.Command;
import dbtool.core.cli.CommandContext;
import dbtool.core.run.ResolvedTarget;
import dbtool.core.run.TargetResolver;
import dbtool.logs.read.EntryReader;
import dbtool.logs.read.LinePrefix;
import dbtool.logs.read.LogEntry;
import dbtool.logs.read.LogFormat;
import dbtool.logs.read.LogInput;
import dbtool.logs.read.Timestamps;
import dbtool.logs.replay.Replay;
import dbtool.spi.LogSource;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code dbtool replay prepare|capture|run|report}: session replay for PostgreSQL. The capture reads
 * the server's csvlog or jsonlog with the log readers of {@code dbtool logs} (from files, or over the
 * session as {@code logs TARGET} does); the run and the report live in {@link Replay}.
 */
public final class ReplayCommand implements Command {

    @Override
    public String name() {
        return "replay";
    }

    @Override
    public String synopsis() {
        return "prepare TARGET | capture (TARGET | FILE...) --out CAPTURE | run CAPTURE --against TARGET --out RUN | report CAPTURE RUN";
    }

    @Override
    public String summary() {
        return "capture a PostgreSQL workload from its log, replay it against a clone, compare the two";
    }

    @Override
    public String description() {
        return """
                Session replay for PostgreSQL, in four steps.
                'replay prepare TARGET' prints the logging settings a capture needs (csvlog or jsonlog, every statement \
                with its duration, connections and disconnections) and the statements that set them; it changes nothing.
                'replay capture TARGET --since 10m --out capture.dbr' reads the server's log over a read-only session, as \
                'dbtool logs TARGET' does (pg_read_file: the role needs pg_monitor and EXECUTE on pg_read_file); \
                'replay capture FILE... --out capture.dbr' reads csvlog or jsonlog files. Each session becomes its \
                statements with their bind parameters (extended protocol), durations, transaction boundaries and errors. \
                The capture is gzip'd JSON lines with a versioned header, written and read as a stream. It holds the \
                statements' literal values: keep it as you keep the database's data.
                'replay run CAPTURE --against TARGET --out run.json' replays every session on its own connection to \
                TARGET (a clone, or any target named explicitly), each started at its original offset and its statements \
                separated by their original think times, both divided by --speed, at most --max-sessions at once, while \
                the target's blocking forest is sampled twice a second. It refuses a TARGET that is the capture's source \
                (same host, port and database) unless --i-know-this-is-the-source is given. The replay writes what the \
                workload wrote and nothing undoes it: it asks before it starts, unless --yes.
                'replay report CAPTURE RUN' compares them per statement template: latency p50, p95 and p99 before and \
                after, errors that are new or gone, the lock waits seen, and the top regressions (--format json: the \
                report contract).
                Exit code: report 0 OK, 1 WARNING (regressions, lock waits), 2 CRITICAL (new errors); 64 usage; 66 a file \
                missing, truncated or not a capture; 78 the log lacks a setting the capture needs, or the target refuses \
                the login; 3 the target's log was not read.""";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("out").hasArg().argName("FILE").desc("capture and run: the file to write").get())
                .addOption(Option.builder().longOpt("since").hasArg().argName("WHEN")
                        .desc("capture: only entries since then (30m, 2h, an ISO time)").get())
                .addOption(Option.builder().longOpt("database").hasArg().argName("NAME")
                        .desc("capture: only this database's sessions (default: the target's database; all for files)").get())
                .addOption(Option.builder().longOpt("source").hasArg().argName("TARGET")
                        .desc("capture FILE: the server the log came from, recorded so that a replay refuses it").get())
                .addOption(Option.builder().longOpt("max-mb").hasArg().argName("N")
                        .desc("capture TARGET: read at most the last N MiB of the log (default 64)").get())
                .addOption(Option.builder().longOpt("against").hasArg().argName("TARGET").desc("run: the server to replay on").get())
                .addOption(Option.builder().longOpt("speed").hasArg().argName("N")
                        .desc("run: divide offsets and think times by N (default 1; 2 is twice as fast)").get())
                .addOption(Option.builder().longOpt("max-sessions").hasArg().argName("N")
                        .desc("run: at most N sessions at once (default 50)").get())
                .addOption(Option.builder().longOpt("i-know-this-is-the-source").desc("run: replay on the capture's own source").get())
                .addOption(Option.builder().longOpt("yes").desc("run: do not ask (needed without a terminal)").get())
                .addOption(Option.builder().longOpt("format").hasArg().argName("FORMAT").desc("report: text (default) or json").get())
                .addOption(Option.builder().longOpt("top").hasArg().argName("N").desc("report: templates listed per finding (default 10)").get())
                .addOption(Option.builder().longOpt("no-color").desc("report: no colours").get());
    }

    @Override
    public int[] arity() {
        return new int[] {1, Integer.MAX_VALUE};
    }

    @Override
    public int run(CommandLine line, CommandContext context) throws Exception {
        List<String> args = line.getArgList();
        String step = args.getFirst();
        List<String> rest = args.subList(1, args.size());
        return switch (step) {
            case "prepare" -> {
                exactly(rest, 1, "replay prepare TARGET");
                context.emit(Replay.recipe(SafeText.oneLine(rest.getFirst())));
                yield ExitCodes.OK;
            }
            case "capture" -> capture(rest, line, context);
            case "run" -> {
                exactly(rest, 1, "replay run CAPTURE --against TARGET --out RUN");
                yield Replay.run(rest.getFirst(), required(line, "against", "replay run"), Path.of(required(line, "out", "replay run")),
                        new Replay.RunOptions(speed(line), positive(line, "max-sessions", 50), line.hasOption("i-know-this-is-the-source"),
                                line.hasOption("yes")), context);
            }
            case "report" -> {
                exactly(rest, 2, "replay report CAPTURE RUN");
                String format = line.getOptionValue("format", "text").toLowerCase(Locale.ROOT);
                if (!format.equals("text") && !format.equals("json")) {
                    throw DbtoolException.usage("--format " + line.getOptionValue("format") + ": expected text or json");
                }
                yield Replay.report(rest.get(0), rest.get(1), format.equals("json"), positive(line, "top", 10),
                        context.style(line.hasOption("no-color")), context);
            }
            default -> throw DbtoolException.usage("replay " + SafeText.oneLine(step) + ": expected prepare, capture, run or report");
        };
    }

    /** Reads the log (files, or the target's own over its session) into the capture file. */
    private static int capture(List<String> inputs, CommandLine line, CommandContext context) throws IOException {
        if (inputs.isEmpty()) {
            throw DbtoolException.usage("replay capture: name a TARGET or csvlog/jsonlog FILEs, and --out CAPTURE");
        }
        Path out = Path.of(required(line, "out", "replay capture"));
        Instant since = line.hasOption("since") ? LogsCommand.since(line.getOptionValue("since")) : null;
        List<LogInput> opened = new ArrayList<>();
        Replay.Capture capture;
        try {
            String database = line.getOptionValue("database");
            Replay.Source source;
            if (inputs.size() == 1 && TargetLog.isTarget(inputs.getFirst(), context)) {
                ResolvedTarget resolved = new TargetResolver(context.config(), context.plugins()).resolve(inputs.getFirst());
                LogSource.ServerLog log = TargetLog.read(inputs.getFirst(), (long) positive(line, "max-mb", 64) << 20, context);
                opened.add(LogInput.ofText(log.name(), log.text()));
                source = Replay.Source.of(resolved.target());
                database = database != null ? database : resolved.target().database();
            } else {
                for (String input : inputs) {
                    opened.add(LogInput.open(input, System.in));
                }
                source = line.hasOption("source") ? Replay.Source.of(new TargetResolver(context.config(), context.plugins())
                        .resolve(line.getOptionValue("source")).target()) : Replay.Source.files(String.join(", ", inputs));
            }
            capture = Replay.capture(out, source, database);
            try {
                for (LogInput input : opened) {
                    read(input, since, capture, context);
                }
                capture.finish(inputs.size() == 1 ? inputs.getFirst() : String.join(", ", inputs));
            } finally {
                capture.close();
            }
        } finally {
            for (LogInput input : opened) {
                input.close();
            }
        }
        context.out().println(capture.summary(out));
        return ExitCodes.OK;
    }

    /** One log into the capture, with the readers of {@code dbtool logs}: csvlog or jsonlog only (stderr has no session id). */
    private static void read(LogInput input, Instant since, Replay.Capture capture, CommandContext context) throws IOException {
        LogFormat format = LogFormat.detect(input.firstLine());
        if (format != LogFormat.POSTGRES_CSV && format != LogFormat.POSTGRES_JSON) {
            throw DbtoolException.config(input.name() + ": not a PostgreSQL csvlog or jsonlog (set log_destination = 'csvlog'; "
                    + "'dbtool replay prepare' prints the settings)");
        }
        EntryReader entries = LogsCommand.reader(format, input, LinePrefix.defaultPrefix(), new LogsCommand.LineWarnings(input.name(),
                context.err()), true);
        ZoneId zone = ZoneId.systemDefault();
        LogEntry entry;
        while ((entry = entries.next()) != null) {
            Instant at = Timestamps.parse(entry.timestamp(), zone);
            if (since != null && at != null && at.isBefore(since)) {
                continue;
            }
            capture.add(entry, at);
        }
    }

    private static void exactly(List<String> rest, int count, String usage) {
        if (rest.size() != count) {
            throw DbtoolException.usage("expected: dbtool " + usage);
        }
    }

    private static String required(CommandLine line, String option, String step) {
        String value = line.getOptionValue(option);
        if (value == null || value.isBlank()) {
            throw DbtoolException.usage(step + ": --" + option + " is required");
        }
        return value;
    }

    private static double speed(CommandLine line) {
        String value = line.getOptionValue("speed", "1");
        try {
            double speed = Double.parseDouble(value);
            if (speed > 0 && speed <= 1000) {
                return speed;
            }
        } catch (NumberFormatException e) {
            // the message below says what is expected
        }
        throw DbtoolException.usage("--speed " + value + ": expected a number above 0 and at most 1000 (2 replays twice as fast)");
    }

    private static int positive(CommandLine line, String option, int fallback) {
        String value = line.getOptionValue(option, Integer.toString(fallback));
        try {
            int n = Integer.parseInt(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw DbtoolException.usage("--" + option + " " + value + ": expected a positive whole number");
    }
}
