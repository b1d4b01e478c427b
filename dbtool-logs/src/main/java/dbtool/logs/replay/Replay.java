package dbtool.logs.replay;

import dbtool.core.DbtoolException;
import dbtool.core.ExitCodes;
import dbtool.core.IoErrors;
import dbtool.core.SafeText;
import dbtool.core.cli.CommandContext;
import dbtool.core.report.JsonReportWriter;
import dbtool.core.report.Report;
import dbtool.core.report.Style;
import dbtool.core.report.TextReportRenderer;
import dbtool.core.report.TextTable;
import dbtool.core.run.CredentialResolver;
import dbtool.core.run.Deadline;
import dbtool.core.run.ResolvedTarget;
import dbtool.core.run.TargetResolver;
import dbtool.core.run.TroubleshootRunner;
import dbtool.logs.read.LogEntry;
import dbtool.serve.store.StoreDrivers;
import dbtool.spi.Credentials;
import dbtool.spi.SessionSettings;
import dbtool.spi.Target;
import java.io.Console;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/** The steps of {@code dbtool replay} behind its command line: the recipe, the capture, the run, the report. */
public final class Replay {

    private static final Duration CREDENTIALS_TIMEOUT = Duration.ofSeconds(10);
    /** The replayed sessions' application_name: they can be told apart on the target (and in its lock waits). */
    static final String APPLICATION = "dbtool-replay";

    private Replay() {
    }

    /** The settings a capture needs, as {@code replay prepare} prints them: nothing is changed. */
    public static String recipe(String target) {
        return """
                To capture %1$s's workload, its log needs (postgresql.conf, or ALTER SYSTEM then SELECT pg_reload_conf()):

                  logging_collector = on                 # needs a restart when it was off
                  log_destination = 'csvlog'             # or 'jsonlog' (PostgreSQL 15+); listed first when there are several
                  log_min_duration_statement = 0         # every statement with its duration and bind parameters
                                                         # (or log_statement = 'all' with log_duration = on)
                  log_connections = on                   # the sessions' starts, users and databases
                  log_disconnections = on                # the sessions' ends
                  log_parameter_max_length = -1          # bind parameters in full (the default)
                  lc_messages = 'C'                      # the log's messages in English, as dbtool reads them

                As SQL:
                  ALTER SYSTEM SET log_destination = 'csvlog';
                  ALTER SYSTEM SET log_min_duration_statement = 0;
                  ALTER SYSTEM SET log_connections = on;
                  ALTER SYSTEM SET log_disconnections = on;
                  SELECT pg_reload_conf();

                Logging every statement costs I/O and log space on a busy server: turn it on for the minutes you capture,
                then back (ALTER SYSTEM RESET log_min_duration_statement; ... SELECT pg_reload_conf()). Connections opened
                before the change have no connection line; their statements are still captured.
                Then: dbtool replay capture %1$s --since 10m --out capture.dbr
                """.formatted(target);
    }

    /** Where a capture came from, for its header. */
    public record Source(CaptureFile.Source value) {

        public static Source of(Target target) {
            return new Source(new CaptureFile.Source(target.name(), target.host(), target.portOr(5432), target.database()));
        }

        public static Source files(String names) {
            return new Source(new CaptureFile.Source(names, null, 0, null));
        }
    }

    public static Capture capture(Path out, Source source, String database) {
        try {
            return new Capture(out, source.value(), database);
        } catch (IOException e) {
            throw new DbtoolException(ExitCodes.CANT_CREATE, out + ": cannot be written (" + IoErrors.describe(e) + ")");
        }
    }

    /** A capture being written: log entries in, sessions' events out to the file. */
    public static final class Capture implements AutoCloseable {
        private final Path path;
        private final CaptureFile.Out file;
        private final SessionBuilder sessions;
        private boolean finished;

        private Capture(Path path, CaptureFile.Source source, String database) throws IOException {
            this.path = path;
            this.file = new CaptureFile.Out(path, source);
            this.sessions = new SessionBuilder(file::write, database);
        }

        public void add(LogEntry entry, Instant at) {
            try {
                sessions.add(entry, at);
            } catch (IOException e) {
                throw writeFailed(e);
            }
        }

        /** Ends the file; a log without what a replay needs is one line saying which setting is missing (exit 78). */
        public void finish(String input) {
            try {
                sessions.finish();
            } catch (IOException e) {
                throw writeFailed(e);
            }
            String missing = sessions.missingSetting();
            if (missing != null) {
                throw DbtoolException.config(input + ": " + missing + " ('dbtool replay prepare' prints the settings)");
            }
            try {
                file.finish();
            } catch (IOException e) {
                throw writeFailed(e);
            }
            finished = true;
        }

        private DbtoolException writeFailed(IOException e) {
            return new DbtoolException(ExitCodes.IO_ERROR, path + ": cannot be written (" + IoErrors.describe(e) + ")");
        }

        public String summary(Path out) {
            return "captured " + sessions.statements() + " statements of " + sessions.connections() + " sessions ("
                    + sessions.disconnections() + " ended) into " + out;
        }

        /** A capture not finished is removed. */
        @Override
        public void close() {
            if (!finished) {
                file.close();
            }
        }
    }

    /**
     * How to replay.
     *
     * @param speed           offsets and think times are divided by it
     * @param maxSessions     sessions at once
     * @param againstSource   the target may be the capture's source
     * @param yes             no question asked
     */
    public record RunOptions(double speed, int maxSessions, boolean againstSource, boolean yes) {
    }

    /** {@code replay run}: refuses the source, checks the login, asks, replays, writes the run file. */
    public static int run(String capturePath, String against, Path out, RunOptions options, CommandContext context) throws Exception {
        try (CaptureFile.In capture = new CaptureFile.In(capturePath)) {
            ResolvedTarget resolved = new TargetResolver(context.config(), context.plugins()).resolve(against);
            Target target = resolved.target();
            if (!"postgresql".equals(resolved.plugin().id())) {
                throw DbtoolException.usage("--against " + target.name() + ": a " + resolved.plugin().displayName()
                        + " target; replay runs on PostgreSQL");
            }
            CaptureFile.Source source = capture.header().source();
            if (sameServer(source, target) && !options.againstSource()) {
                throw DbtoolException.usage("--against " + target.name() + ": is the capture's source (" + source.host() + ":" + source.port()
                        + "/" + source.database() + "); replay on a clone, or add --i-know-this-is-the-source");
            }
            if (source.host() == null) {
                context.err().println("dbtool: " + capturePath + ": its source is not recorded (captured from files without --source): "
                        + "not checked against --against");
            }
            Driver driver = StoreDrivers.postgres(context.plugins());
            Credentials credentials = credentials(resolved, context);
            try {
                Replayer.Connector connector = () -> connect(driver, target, credentials);
                try (Connection probe = connector.open()) {
                    probe.isValid(5);
                } catch (SQLException e) {
                    throw DbtoolException.config("--against " + target.name() + ": the login is refused (" + TroubleshootRunner.reason(e) + ")");
                }
                confirm(context, options.yes(), "replay the sessions of " + capturePath + " (captured from " + source.name() + ") on "
                        + target.name() + " at speed " + options.speed() + "; what they write stays written");
                context.log().info("replay run: " + capturePath + " on " + target.name() + " (speed " + options.speed() + ")");
                return replay(capture, connector, resolved, credentials, capturePath, out, options, context);
            } finally {
                release(credentials, context);
            }
        }
    }

    private static int replay(CaptureFile.In capture, Replayer.Connector connector, ResolvedTarget resolved, Credentials credentials,
                              String capturePath, Path out, RunOptions options, CommandContext context) throws Exception {
        Target target = resolved.target();
        long start = System.nanoTime();
        boolean done = false;
        try (RunFile run = new RunFile(out, capturePath, target.name(), options.speed(), options.maxSessions())) {
            Replayer replayer = new Replayer(connector, run, options.speed(), options.maxSessions());
            SessionSettings defaults = SessionSettings.defaults();
            SessionSettings settings = new SessionSettings(APPLICATION + "-locks", defaults.connectTimeout(), Duration.ofSeconds(5),
                    defaults.lockTimeout());
            LockSampler sampler = new LockSampler(() -> resolved.plugin().open(target, credentials, settings));
            try {
                replayer.run(capture);
            } finally {
                sampler.close();
            }
            long durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            Map<String, Object> totals = new LinkedHashMap<>();
            totals.put("sessions", replayer.sessions());
            totals.put("statements", replayer.replayed());
            totals.put("errors", replayer.failed());
            totals.put("skipped", replayer.skipped());
            totals.put("durationMs", durationMs);
            totals.put("meanLagMs", Math.round(replayer.meanLagMs() * 1000) / 1000.0);
            totals.put("maxLagMs", replayer.maxLagMs());
            if (sampler.problem() != null) {
                totals.put("lockSampling", sampler.problem());
            }
            run.finish(sampler.waits(), sampler.samples(), totals);
            done = true;
            context.out().println("replayed " + replayer.replayed() + " statements of " + replayer.sessions() + " sessions on " + target.name()
                    + " in " + String.format(Locale.ROOT, "%.1f", durationMs / 1000.0) + " s (" + replayer.failed() + " errors, "
                    + replayer.skipped() + " skipped, " + sampler.samples() + " lock waits sampled) into " + out);
            if (sampler.problem() != null) {
                context.err().println("dbtool: replay run: " + SafeText.oneLine(sampler.problem()));
            }
            return ExitCodes.OK;
        } catch (IOException e) {
            throw new DbtoolException(ExitCodes.IO_ERROR, out + ": cannot be written (" + IoErrors.describe(e) + ")");
        } finally {
            if (!done) {
                Files.deleteIfExists(out);
            }
        }
    }

    /** Whether the replay target is where the capture was taken: same port and database, and a host with an address in common. */
    static boolean sameServer(CaptureFile.Source source, Target target) {
        if (source.host() == null || source.port() != target.portOr(5432) || !String.valueOf(source.database()).equals(
                String.valueOf(target.database()))) {
            return false;
        }
        if (source.host().equalsIgnoreCase(target.host())) {
            return true;
        }
        try {
            List<InetAddress> captured = Arrays.asList(InetAddress.getAllByName(source.host()));
            return Arrays.stream(InetAddress.getAllByName(target.host())).anyMatch(captured::contains);
        } catch (UnknownHostException e) {
            return false; // a name that does not resolve here cannot be checked by address; the names differ
        }
    }

    /** One connection of the replay: the target's database, the resolved credentials, no timeouts of dbtool's own (the target's settings apply). */
    private static Connection connect(Driver driver, Target target, Credentials credentials) throws SQLException {
        Properties properties = new Properties();
        target.urlQuery().forEach(properties::setProperty);
        properties.remove("password");
        credentials.user().or(target::urlUser).ifPresent(user -> properties.setProperty("user", user));
        credentials.password().map(String::new).or(target::urlPassword).ifPresent(password -> properties.setProperty("password", password));
        properties.setProperty("ApplicationName", APPLICATION);
        properties.setProperty("connectTimeout", "10");
        String host = target.host().contains(":") ? "[" + target.host() + "]" : target.host();
        String database = target.database() == null || target.database().isBlank() ? "postgres" : target.database();
        Connection connection = driver.connect("jdbc:postgresql://" + host + ":" + target.portOr(5432) + "/" + database, properties);
        if (connection == null) {
            throw new SQLException("the PostgreSQL driver does not accept " + target.name());
        }
        return connection;
    }

    private static Credentials credentials(ResolvedTarget resolved, CommandContext context) {
        CredentialResolver resolver = new CredentialResolver(context.plugins().credentialProviders());
        boolean prompt = resolver.mayPrompt(resolved, context.terminal());
        return resolver.resolve(resolved, context.terminal(), prompt ? null : Deadline.start(CREDENTIALS_TIMEOUT));
    }

    private static void release(Credentials credentials, CommandContext context) {
        try {
            credentials.release();
        } catch (RuntimeException e) {
            context.err().println("dbtool: replay run: releasing the credentials failed: " + TroubleshootRunner.reason(e));
        } finally {
            credentials.close();
        }
    }

    private static void confirm(CommandContext context, boolean yes, String what) {
        if (yes) {
            context.err().println("replay run: " + SafeText.oneLine(what));
            return;
        }
        Console console = System.console();
        if (!context.terminal() || console == null) {
            throw DbtoolException.usage("replay run: will " + SafeText.oneLine(what) + "; not on a terminal, so add --yes to go ahead");
        }
        String answer = console.readLine("%s", "replay run: will " + SafeText.oneLine(what) + ". Go ahead? [y/N] ");
        if (answer == null || !List.of("y", "yes").contains(answer.strip().toLowerCase(Locale.ROOT))) {
            throw new DbtoolException(ExitCodes.USAGE, "replay run: not confirmed; nothing replayed");
        }
    }

    /** {@code replay report}: the report contract as JSON, or text with a table of the templates. */
    public static int report(String capturePath, String runPath, boolean json, int top, Style style, CommandContext context) {
        Instant started = Instant.now();
        long start = System.nanoTime();
        ReplayReport.Result result = ReplayReport.read(capturePath, runPath);
        Report report = ReplayReport.report(result, started, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), top);
        if (json) {
            context.out().print(JsonReportWriter.toJson(report));
        } else {
            String text = new TextReportRenderer(style).render(report).replaceFirst("dbtool troubleshoot ", "dbtool replay report ");
            context.emit(text + table(result, top, style));
        }
        return report.exitCode();
    }

    /** The templates that took the most replayed time, with their percentiles on both sides. */
    private static String table(ReplayReport.Result result, int top, Style style) {
        List<List<String>> rows = new ArrayList<>();
        result.templates().values().stream()
                .sorted(Comparator.comparingDouble((ReplayReport.Stats s) -> s.replayed.percentile(50) * s.replayedCount).reversed())
                .limit(top)
                .forEach(s -> rows.add(List.of(Long.toString(s.replayedCount), ms(s.original, 50) + " / " + ms(s.replayed, 50),
                        ms(s.original, 95) + " / " + ms(s.replayed, 95), ms(s.original, 99) + " / " + ms(s.replayed, 99),
                        s.originalErrors.values().stream().mapToLong(Long::longValue).sum() + " / "
                                + s.replayedErrors.values().stream().mapToLong(Long::longValue).sum(), s.template)));
        return System.lineSeparator() + "Templates (captured / replayed, ms):" + System.lineSeparator()
                + TextTable.format(List.of("count", "p50", "p95", "p99", "errors", "template"), rows, "  ", style);
    }

    private static String ms(ReplayReport.Latencies latencies, double p) {
        return latencies.size() == 0 ? "-" : String.format(Locale.ROOT, "%.2f", latencies.percentile(p));
    }
}
