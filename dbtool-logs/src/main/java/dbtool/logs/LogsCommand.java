package dbtool.logs;

import com.google.gson.stream.JsonWriter;
import dbtool.core.DbtoolException;
import dbtool.core.ExitCodes;
import dbtool.core.IoErrors;
import dbtool.core.SafeText;
import dbtool.core.Version;
import dbtool.core.cli.Command;
import dbtool.core.cli.CommandContext;
import dbtool.core.report.CheckReport;
import dbtool.core.report.JsonReportWriter;
import dbtool.core.report.Report;
import dbtool.core.report.Style;
import dbtool.core.report.TargetInfo;
import dbtool.core.report.TextReportRenderer;
import dbtool.core.report.TraceLinks;
import dbtool.core.report.TextTable;
import dbtool.logs.analysis.Baseline;
import dbtool.logs.analysis.BaselineStore;
import dbtool.logs.analysis.Level;
import dbtool.logs.analysis.LogAnalysis;
import dbtool.logs.analysis.Pattern;
import dbtool.logs.analysis.Printable;
import dbtool.logs.mining.Masker;
import dbtool.logs.mining.TemplateMiner;
import dbtool.logs.read.EntryReader;
import dbtool.logs.read.FollowedFile;
import dbtool.logs.read.JsonLineReader;
import dbtool.logs.read.LinePrefix;
import dbtool.logs.read.LineSource;
import dbtool.logs.read.LogEntry;
import dbtool.logs.read.LogFormat;
import dbtool.logs.read.LogInput;
import dbtool.logs.read.MessageReader;
import dbtool.logs.read.PostgresCsvReader;
import dbtool.logs.read.PostgresStderrReader;
import dbtool.logs.read.SqlServerErrorLogReader;
import dbtool.logs.read.Timestamps;
import dbtool.logs.rules.LogRules;
import dbtool.spi.Finding;
import dbtool.spi.LogSource;
import dbtool.spi.Redaction;
import dbtool.spi.Severity;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code dbtool logs FILE...}: reads server logs (PostgreSQL stderr, csvlog and jsonlog, SQL Server
 * ERRORLOG, MongoDB's JSON log, or bare messages), mines them into patterns, and reports the causes
 * it recognises as findings of category {@code logs}, in the report contract.
 * {@code dbtool logs templates FILE...} prints each entry's template instead, one JSON object a line.
 */
public final class LogsCommand implements Command {

    private static final long PROGRESS_FROM_BYTES = 64L << 20;
    /** How often a followed file is looked at once it is read to its end: tail -F's default is 1 s; a quarter feels live. */
    private static final Duration FOLLOW_POLL = Duration.ofMillis(250);

    @Override
    public String name() {
        return "logs";
    }

    @Override
    public String synopsis() {
        return "[templates] FILE...|TARGET [options]";
    }

    @Override
    public String summary() {
        return "mine server logs into patterns and name the causes (PostgreSQL, SQL Server, MongoDB)";
    }

    @Override
    public String description() {
        return """
                Reads one or more log files (gzip'd or not; - for standard input), groups their entries into \
                patterns with an online template miner, and turns the patterns it knows into findings with \
                causes, evidence and playbooks: too many clients, deadlocks with their statements, failed \
                logins by user and host, statement and lock timeouts, checkpoints too frequent, disk or memory \
                exhausted, WAL and replication slot trouble, wraparound, crashes (and SQL Server's and MongoDB's \
                equivalents). Routine entries (connections, checkpoints, autovacuum) are collapsed into one line \
                with their count; --all lists them.
                The layout is detected from the first line: PostgreSQL stderr (any log_line_prefix, given with \
                --prefix to read user, database and host), csvlog or jsonlog, SQL Server ERRORLOG (UTF-16), \
                MongoDB 4.4+ JSON; --layout message reads any other log line by line.
                TARGET (a configured name or a URL) reads the server's own log over a read-only session, as \
                troubleshoot connects: PostgreSQL through pg_ls_logdir() and pg_read_file() (the last --max-mb MiB; \
                the role needs pg_monitor and EXECUTE on pg_read_file), its layout and log_line_prefix from the server; SQL Server \
                through sys.sp_readerrorlog (the login needs securityadmin); MongoDB through getLog (its last 1024 entries; \
                the user needs clusterMonitor); Snowflake, which has no server log, gives its failed logins and failed \
                queries of the last day (LOGIN_HISTORY, QUERY_HISTORY) as events.
                The previous run for the same files or target is kept (under the data directory) as the next run's \
                baseline: patterns it did not have are new, patterns whose share jumped spiked; --baseline FILE \
                compares with a saved report instead, --no-baseline neither compares nor keeps.
                --follow keeps reading one FILE as it grows, like tail -F (through rotation by rename and by \
                copytruncate): on a terminal the findings and patterns are redrawn, with --format jsonl each event \
                is written as it arrives; Ctrl-C ends it with the summary so far and exit 0.
                'logs templates FILE' prints, for every entry, its template id and template (JSON lines).
                Exit code: 0 OK, 1 WARNING, 2 CRITICAL from the findings; 3 the target's log was not read; 64 usage; 66 a file missing or \
                unreadable; 78 the role may not read the server's log.""";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("format").hasArg().argName("FORMAT")
                        .desc("text (default), json (the report contract) or jsonl (one event per entry)").get())
                .addOption(Option.builder().longOpt("layout").hasArg().argName("LAYOUT")
                        .desc("postgres, postgres-csv, postgres-json, sqlserver, mongodb, snowflake or message (default: detected)").get())
                .addOption(Option.builder().longOpt("prefix").hasArg().argName("PREFIX")
                        .desc("PostgreSQL's log_line_prefix, e.g. '%m [%p] %u@%d ' (default '" + LinePrefix.DEFAULT + "')").get())
                .addOption(Option.builder().longOpt("since").hasArg().argName("WHEN")
                        .desc("only entries at or after WHEN: a duration back from now (30m, 2h, 7d) or an ISO time (2026-12-07T09:00:00Z)").get())
                .addOption(Option.builder().longOpt("max-mb").hasArg().argName("N")
                        .desc("with a TARGET: read at most the last N MiB of its log (default 16)").get())
                .addOption(Option.builder().longOpt("top").hasArg().argName("N").desc("patterns to list (default 20)").get())
                .addOption(Option.builder().longOpt("all").desc("also list the routine (benign) patterns one by one").get())
                .addOption(Option.builder().longOpt("baseline").hasArg().argName("FILE")
                        .desc("compare with this earlier 'logs --format json' report instead of the previous run kept for the same"
                                + " files or target: patterns it lacks are new, patterns whose share jumped spiked").get())
                .addOption(Option.builder().longOpt("no-baseline")
                        .desc("neither compare with the previous run nor keep this one as the next run's baseline").get())
                .addOption(Option.builder().longOpt("follow")
                        .desc("keep reading FILE as it grows, like tail -F (through rotation); Ctrl-C prints the summary").get())
                .addOption(Option.builder().longOpt("no-color").desc("no colours").get());
    }

    @Override
    public int[] arity() {
        return new int[] {1, Integer.MAX_VALUE};
    }

    @Override
    public int run(CommandLine line, CommandContext context) throws IOException {
        List<String> args = new ArrayList<>(line.getArgList());
        boolean templatesMode = args.getFirst().equals("templates");
        if (templatesMode) {
            args.removeFirst();
            if (args.isEmpty()) {
                throw DbtoolException.usage("logs templates: name at least one FILE (or - for standard input)");
            }
        }
        String format = line.getOptionValue("format", templatesMode ? "jsonl" : "text");
        if (!List.of("text", "json", "jsonl").contains(format) || (templatesMode && !format.equals("jsonl"))) {
            throw DbtoolException.usage("--format " + format + ": expected " + (templatesMode ? "jsonl for 'logs templates'" : "text, json or jsonl"));
        }
        LogFormat layout = null;
        if (line.hasOption("layout")) {
            layout = LogFormat.fromOption(line.getOptionValue("layout"));
            if (layout == null) {
                throw DbtoolException.usage("--layout " + line.getOptionValue("layout")
                        + ": expected postgres, postgres-csv, postgres-json, sqlserver, mongodb, snowflake or message");
            }
        }
        LinePrefix prefix = line.hasOption("prefix") ? LinePrefix.parse(line.getOptionValue("prefix")) : LinePrefix.defaultPrefix();
        int maxMb = positive(line.getOptionValue("max-mb", "16"), "--max-mb");
        int top = positive(line.getOptionValue("top", "20"), "--top");
        boolean streaming = format.equals("jsonl");
        Instant since = line.hasOption("since") ? since(line.getOptionValue("since")) : null;
        ZoneId localZone = ZoneId.systemDefault();
        if (line.hasOption("baseline") && line.hasOption("no-baseline")) {
            throw DbtoolException.usage("--baseline FILE and --no-baseline: give one or the other");
        }
        Baseline baseline = line.hasOption("baseline") ? Baseline.read(line.getOptionValue("baseline")) : null;
        // the previous run of the same files or target is the baseline, unless one is named; standard input has no identity
        BaselineStore kept = line.hasOption("no-baseline") || templatesMode || args.contains("-") ? null
                : new BaselineStore(context.environment().dataDir().resolve("logs"));
        String source = kept == null ? null : baselineSource(args, context);
        if (baseline == null && kept != null) {
            baseline = kept.load(source).orElse(null);
        }
        boolean following = line.hasOption("follow");
        if (following) {
            refuseFollow(args, context);
        }

        Instant started = Instant.now();
        long start = System.nanoTime();
        // Open every file first: a missing one is reported before any output.
        List<LogInput> inputs = new ArrayList<>();
        Follow follow = new Follow(args.getFirst(), context);
        try {
            if (args.size() == 1 && TargetLog.isTarget(args.getFirst(), context)) {
                // A target: its own log over the session, read as the server writes it (layout and prefix from its settings).
                LogSource.ServerLog serverLog = TargetLog.read(args.getFirst(), (long) maxMb << 20, context);
                inputs.add(LogInput.ofText(serverLog.name(), serverLog.text()));
                layout = layout != null ? layout : ServerLogCheck.layout(serverLog);
                prefix = line.hasOption("prefix") ? prefix : ServerLogCheck.prefix(serverLog, null);
            } else if (following) {
                FollowedFile followed = LogInput.openFollowed(args.getFirst(), FOLLOW_POLL, follow);
                follow.stopWith(followed::stop);
                inputs.add(LogInput.ofFollowed(args.getFirst(), followed));
            } else {
                for (String arg : args) {
                    inputs.add(LogInput.open(arg, System.in));
                }
            }
            Writer jsonl = streaming ? new OutputStreamWriter(context.out(), StandardCharsets.UTF_8) : null;
            LogAnalysis analysis = null;
            LogFormat engineFormat = null;
            long lines = 0;
            for (LogInput input : inputs) {
                LogFormat fileFormat = layout != null ? layout : LogFormat.detect(input.firstLine());
                if (analysis == null) {
                    engineFormat = fileFormat;
                    analysis = new LogAnalysis(LogRules.forFormat(fileFormat));
                }
                LineWarnings warnings = new LineWarnings(input.name(), context.err());
                EntryReader entries = reader(fileFormat, input, prefix, warnings, streaming);
                if (following) {
                    follow.refreshWith(refresher(jsonl, analysis, entries, engineFormat, String.join(", ", args), started, start, top, line, context));
                }
                Progress progress = Progress.start(context, input, entries);
                try {
                    drain(entries, analysis, since, localZone, jsonl, input.name(), fileFormat, templatesMode);
                } finally {
                    progress.close();
                }
                lines += entries.lines();
            }
            if (jsonl != null) {
                jsonl.flush();
                return ExitCodes.OK;
            }
            long durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            boolean json = format.equals("json");
            Report report = TraceLinks.of(context.config()).apply(report(String.join(", ", args), engineFormat, analysis, lines, started,
                    durationMs, top, line.hasOption("all"), json, baseline));
            if (kept != null && analysis.entries() > 0) {
                try {
                    kept.save(source, Redaction.redact(String.join(", ", args)), analysis.patterns(), analysis.entries(), started);
                } catch (IOException e) {
                    context.err().println("dbtool: warning: this run is not kept as the next one's baseline: "
                            + SafeText.escape(IoErrors.describe(e)));
                }
            }
            if (json) {
                context.out().print(JsonReportWriter.toJson(report));
            } else {
                // emit: the renderer and TextTable escaped what the log said; the colours are dbtool's own.
                context.emit(text(report, analysis, top, line.hasOption("all"), context.style(line.hasOption("no-color"))));
            }
            // Following ends only when asked (Ctrl-C): that is success, whatever the log said so far.
            return following ? ExitCodes.OK : report.exitCode();
        } finally {
            follow.close();
            for (LogInput input : inputs) {
                input.close();
            }
        }
    }

    /**
     * Reads every entry into the analysis (and out as an event with jsonl). A small method of its own:
     * the JIT compiles its loop within a fraction of a second, where the same loop inside run() waited
     * seconds for that long method to be compiled as a whole.
     */
    private static void drain(EntryReader entries, LogAnalysis analysis, Instant since, ZoneId zone, Writer jsonl, String file,
                              LogFormat format, boolean templatesMode) throws IOException {
        LogEntry entry;
        while ((entry = entries.next()) != null) {
            if (since != null) {
                Instant at = Timestamps.parse(entry.timestamp(), zone);
                if (at != null && at.isBefore(since)) {
                    continue; // an entry without a readable time is kept: nothing is dropped unread
                }
            }
            TemplateMiner.Template template = analysis.add(entry);
            if (jsonl != null) {
                writeEvent(jsonl, file, format, entry, template, templatesMode);
            }
        }
    }

    /**
     * What identifies the log for its baseline: the files' absolute paths, or the target as named
     * (redacted: a URL's password is no part of it).
     */
    private static String baselineSource(List<String> args, CommandContext context) {
        if (args.size() == 1 && TargetLog.isTarget(args.getFirst(), context)) {
            return "target\n" + Redaction.redact(args.getFirst());
        }
        List<String> files = new ArrayList<>();
        for (String arg : args) {
            files.add(Path.of(arg).toAbsolutePath().normalize().toString());
        }
        return "files\n" + String.join("\n", files);
    }

    /** --follow reads one growing file; the inputs it cannot follow are refused with one line. */
    private static void refuseFollow(List<String> args, CommandContext context) {
        if (args.size() > 1) {
            throw DbtoolException.usage("--follow: follows one FILE; " + args.size() + " were named");
        }
        if (args.getFirst().equals("-")) {
            throw DbtoolException.usage("--follow: follows a FILE; standard input is read to its end without it");
        }
        if (TargetLog.isTarget(args.getFirst(), context)) {
            throw DbtoolException.usage("--follow: follows a FILE; a target's log is read once (run again, or follow the server's log file)");
        }
    }

    /**
     * What the followed file does when it has caught up: jsonl flushes the events written since; text on a
     * terminal redraws the findings and patterns (at most once a second, and only when something was mined).
     * It runs on the reading thread, between entries, so the analysis is never read while it changes.
     */
    private static Runnable refresher(Writer jsonl, LogAnalysis analysis, EntryReader entries, LogFormat format, String name,
                                      Instant started, long start, int top, CommandLine line, CommandContext context) {
        if (jsonl != null) {
            return () -> {
                try {
                    jsonl.flush();
                } catch (IOException e) {
                    // stdout gone (a closed pipe): the command's own write reports it at the next event
                }
            };
        }
        if (!context.terminal() || line.hasOption("format") && !line.getOptionValue("format").equals("text")) {
            return () -> { }; // piped text or json: one summary at the end, not a screen per poll
        }
        long[] shown = {-1, 0};
        return () -> {
            long now = System.nanoTime();
            if (analysis.entries() == shown[0] || now - shown[1] < TimeUnit.SECONDS.toNanos(1)) {
                return;
            }
            shown[0] = analysis.entries();
            shown[1] = now;
            long durationMs = TimeUnit.NANOSECONDS.toMillis(now - start);
            Report report = report(name, format, analysis, entries.lines(), started, durationMs, top, line.hasOption("all"), false, null);
            // Home and clear screen: dbtool's own control codes; the text was escaped by the renderers.
            context.emit("\033[H\033[2J" + text(report, analysis, top, line.hasOption("all"), context.style(line.hasOption("no-color")))
                    + "\nfollowing " + SafeText.oneLine(name) + " (Ctrl-C ends with the summary)\n");
        };
    }

    private static String text(Report report, LogAnalysis analysis, int top, boolean all, Style style) {
        String text = new TextReportRenderer(style).render(report).replaceFirst("dbtool troubleshoot ", "dbtool logs ");
        return text + patternTable(analysis, top, all, style);
    }

    /** --since: 30m, 2h, 7d, 90s back from now, or an ISO-8601 instant. */
    static Instant since(String value) {
        Matcher duration = java.util.regex.Pattern.compile("(\\d+)([smhd])").matcher(value);
        if (duration.matches()) {
            long n = Long.parseLong(duration.group(1));
            long seconds = switch (duration.group(2)) {
                case "s" -> n;
                case "m" -> n * 60;
                case "h" -> n * 3600;
                default -> n * 86400;
            };
            return Instant.now().minusSeconds(seconds);
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw DbtoolException.usage("--since " + value + ": expected a duration such as 30m, 2h or 7d, or an ISO time such as 2026-12-07T09:00:00Z");
        }
    }

    private static int positive(String value, String option) {
        try {
            int n = Integer.parseInt(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw DbtoolException.usage(option + " " + value + ": expected a positive whole number");
    }

    static EntryReader reader(LogFormat format, LogInput input, LinePrefix prefix, LineSource.Warnings warnings,
                                      boolean everyField) throws IOException {
        return switch (format) {
            case POSTGRES -> new PostgresStderrReader(input.lines(warnings), prefix, everyField);
            case POSTGRES_CSV -> new PostgresCsvReader(input.reader(), warnings);
            case POSTGRES_JSON -> new JsonLineReader(input.lines(warnings), JsonLineReader.Kind.POSTGRES, warnings);
            case MONGODB -> new JsonLineReader(input.lines(warnings), JsonLineReader.Kind.MONGODB, warnings);
            case SNOWFLAKE -> new JsonLineReader(input.lines(warnings), JsonLineReader.Kind.SNOWFLAKE, warnings);
            case SQLSERVER -> new SqlServerErrorLogReader(input.lines(warnings));
            case MESSAGE -> new MessageReader(input.lines(warnings));
        };
    }

    private static void writeEvent(Writer out, String file, LogFormat format, LogEntry entry, TemplateMiner.Template template,
                                   boolean templatesOnly) throws IOException {
        JsonWriter json = new JsonWriter(out);
        json.setHtmlSafe(false);
        json.beginObject();
        if (!templatesOnly) {
            json.name("file").value(file);
        }
        json.name("line").value(entry.line());
        if (!templatesOnly) {
            json.name("timestamp").value(entry.timestamp());
            json.name("engine").value(format.engine());
            json.name("severity").value(entry.severity());
            json.name("code").value(entry.code());
        }
        json.name("templateId").value(template.id());
        // The miner's wildcards stand for quoted literals, but not for every form a password takes ($$...$$).
        json.name("template").value(Redaction.redactSql(template.text()));
        if (!templatesOnly) {
            json.name("parameters").beginArray();
            for (String parameter : parameters(Redaction.redactSql(entry.message()), template)) {
                json.value(parameter);
            }
            json.endArray();
            json.name("message").value(Printable.of(entry.message(), 2000));
            for (Map.Entry<String, String> field : entry.fields().entrySet()) {
                if (List.of("user", "database", "host", "pid", "application").contains(field.getKey())) {
                    json.name(field.getKey()).value(field.getValue());
                }
            }
        }
        json.endObject();
        json.flush();
        out.write('\n');
    }

    /** The message's tokens where the template has a variable, when the two line up token for token. */
    static List<String> parameters(String message, TemplateMiner.Template template) {
        String[] words = message.strip().split("\\s+");
        String[] slots = template.text().split(" ");
        List<String> parameters = new ArrayList<>();
        if (words.length != slots.length) {
            return parameters;
        }
        for (int i = 0; i < slots.length; i++) {
            if (slots[i].contains(Masker.WILDCARD)) {
                parameters.add(Printable.of(words[i], 500));
            }
        }
        return parameters;
    }

    private static Report report(String name, LogFormat format, LogAnalysis analysis, long lines, Instant started, long durationMs,
                                 int top, boolean all, boolean patternFindings, Baseline baseline) {
        List<Finding> findings = new ArrayList<>(analysis.rules().findings());
        List<Pattern> patterns = analysis.patterns();
        if (baseline != null) {
            findings.addAll(novelty(patterns, analysis.entries(), baseline));
        }
        List<Map<String, Object>> listed = new ArrayList<>();
        List<Map<String, Object>> routine = new ArrayList<>();
        for (Pattern pattern : patterns) {
            if (pattern.benign() && !all) {
                routine.add(Map.of("template", Printable.of(pattern.template(), 500), "count", pattern.count()));
            } else if (listed.size() < top) {
                listed.add(patternEvidence(pattern));
            }
        }
        if (!patternFindings) {
            listed.clear(); // text: the pattern table follows the findings instead
        }
        if (patternFindings) {
            findings.add(Finding.of("LOG_PATTERNS", Severity.INFO, patterns.size() + " patterns in " + analysis.entries() + " entries")
                .detail("Patterns ranked by severity, then count" + (all ? "" : "; routine patterns are collapsed into LOG_ROUTINE"))
                .evidence("patterns", listed).build());
        }
        if (patternFindings && !routine.isEmpty()) {
            findings.add(Finding.of("LOG_ROUTINE", Severity.INFO, analysis.benignEntries() + " routine entries in " + routine.size()
                    + " patterns collapsed (--all lists them)").evidence("routine", routine).build());
        }
        Severity status = Severity.OK;
        for (Finding finding : findings) {
            if (finding.severity() != Severity.INFO) {
                status = status.worst(finding.severity()); // INFO counts as OK, as in troubleshoot
            }
        }
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("lines", lines);
        metrics.put("entries", analysis.entries());
        metrics.put("patterns", patterns.size());
        metrics.put("routineEntries", analysis.benignEntries());
        metrics.put("evictedLines", analysis.evictedLines());
        metrics.put("baseline", baseline == null ? "none" : baseline.description());
        CheckReport check = new CheckReport("log-patterns", "logs", status, durationMs, null, metrics, findings);
        TargetInfo target = new TargetInfo(name, format == null ? "unknown" : format.engine(), "", null, "");
        return Report.of(Version.get(), target, started, durationMs, List.of(check));
    }

    /** New patterns (WARNING when one is an error or worse) and spikes against the baseline. */
    private static List<Finding> novelty(List<Pattern> patterns, long entries, Baseline baseline) {
        List<Map<String, Object>> fresh = new ArrayList<>();
        List<Map<String, Object>> spikes = new ArrayList<>();
        boolean freshError = false;
        for (Pattern pattern : patterns) {
            if (baseline.isNew(pattern)) {
                if (fresh.size() < 20) {
                    fresh.add(patternEvidence(pattern));
                }
                freshError |= pattern.level().compareTo(Level.ERROR) >= 0;
            } else {
                double ratio = baseline.spike(pattern, entries);
                if (ratio > 0 && spikes.size() < 20) {
                    Map<String, Object> spike = patternEvidence(pattern);
                    spike.put("timesTheBaselineShare", ratio);
                    spikes.add(spike);
                }
            }
        }
        List<Finding> findings = new ArrayList<>();
        if (!fresh.isEmpty()) {
            findings.add(Finding.of("LOG_NEW_PATTERNS", freshError ? Severity.WARNING : Severity.INFO,
                            fresh.size() + " patterns the baseline did not have")
                    .detail("Patterns absent from the baseline, " + baseline.description() + "; new errors are the first thing to read.")
                    .evidence("patterns", fresh).playbook("docs/playbooks/logs.md#log_new_patterns").build());
        }
        if (!spikes.isEmpty()) {
            findings.add(Finding.of("LOG_SPIKES", Severity.WARNING, spikes.size() + " patterns spiked against the baseline")
                    .detail("Their share of the entries is " + (int) Baseline.SPIKE_RATIO + " times the baseline's or more (the baseline: "
                            + baseline.description() + ").")
                    .evidence("patterns", spikes).playbook("docs/playbooks/logs.md#log_spikes").build());
        }
        return findings;
    }

    private static Map<String, Object> patternEvidence(Pattern pattern) {
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("id", pattern.id());
        evidence.put("template", Printable.of(pattern.template(), 500));
        evidence.put("count", pattern.count());
        evidence.put("firstSeen", pattern.firstSeen());
        evidence.put("lastSeen", pattern.lastSeen());
        evidence.put("severity", pattern.severity());
        evidence.put("code", pattern.code());
        evidence.put("examples", pattern.examples());
        return evidence;
    }

    /** The ranked patterns as a table after the findings: what a reader scans first. */
    private static String patternTable(LogAnalysis analysis, int top, boolean all, Style style) {
        List<List<String>> rows = new ArrayList<>();
        long routineEntries = 0;
        int routinePatterns = 0;
        for (Pattern pattern : analysis.patterns()) {
            if (pattern.benign() && !all) {
                routineEntries += pattern.count();
                routinePatterns++;
                continue;
            }
            if (rows.size() < top) {
                rows.add(List.of(String.valueOf(pattern.count()), pattern.severity() == null ? "" : pattern.severity(),
                        pattern.code() == null ? "" : pattern.code(), Printable.of(pattern.template(), 160)));
            }
        }
        StringBuilder out = new StringBuilder("\n").append(style.bold("Patterns")).append(style.dim(" (severity, then count)")).append('\n');
        if (!rows.isEmpty()) {
            out.append(TextTable.format(List.of("COUNT", "SEVERITY", "CODE", "TEMPLATE"), rows, "  ", style));
        }
        if (routinePatterns > 0) {
            out.append("  ").append(style.dim(routineEntries + " routine entries in " + routinePatterns
                    + " patterns (connections, checkpoints, autovacuum) collapsed; --all lists them")).append('\n');
        }
        return out.toString();
    }

    /** Warnings about bad input: one line each on stderr, naming the file. */
    record LineWarnings(String file, PrintStream err) implements LineSource.Warnings {
        @Override
        public void warn(String message) {
            err.println("dbtool: " + file + ": " + message);
        }
    }

    /** Progress on stderr for large files on a terminal: percent of bytes, lines so far. */
    private static final class Progress implements AutoCloseable {
        private final ScheduledExecutorService timer;
        private final CommandContext context;

        private Progress(ScheduledExecutorService timer, CommandContext context) {
            this.timer = timer;
            this.context = context;
        }

        static Progress start(CommandContext context, LogInput input, EntryReader entries) {
            if (!context.terminal() || input.size() < PROGRESS_FROM_BYTES) {
                return new Progress(null, null);
            }
            ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "dbtool-logs-progress");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleAtFixedRate(() -> context.progress(input.name() + ": " + (100 * input.bytesRead() / input.size()) + "% ("
                    + entries.lines() + " lines)   "), 500, 500, TimeUnit.MILLISECONDS);
            return new Progress(timer, context);
        }

        @Override
        public void close() {
            if (timer != null) {
                timer.shutdownNow();
                context.progress(" ".repeat(60));
                context.progress("");
            }
        }
    }
}
