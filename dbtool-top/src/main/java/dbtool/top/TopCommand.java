package dbtool.top;

import dbtool.core.DbtoolException;
import dbtool.core.ExitCodes;
import dbtool.core.Version;
import dbtool.core.cli.Command;
import dbtool.core.cli.CommandContext;
import dbtool.core.report.TraceLinks;
import dbtool.core.run.CredentialResolver;
import dbtool.core.run.Deadline;
import dbtool.core.run.ResolvedTarget;
import dbtool.core.run.TargetResolver;
import dbtool.core.run.TroubleshootRunner;
import dbtool.spi.ActivityView;
import dbtool.spi.Credentials;
import dbtool.spi.EngineSession;
import dbtool.spi.SessionSettings;
import dbtool.spi.Target;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;

/**
 * {@code dbtool top TARGET}: what the database is doing, refreshed in place until {@code q}; or one
 * frame for scripts with {@code --once}. Works on every engine whose session offers
 * {@link ActivityView}, with the same read-only session settings as {@code troubleshoot}.
 */
public final class TopCommand implements Command {

    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);
    /** --once reads twice, this far apart by default, so that its rates are real. */
    static final Duration ONCE_INTERVAL = Duration.ofSeconds(1);
    /** The longest a refresh may take (server-side statement timeout too), whatever the interval. */
    static final Duration MAX_BUDGET = Duration.ofSeconds(5);
    private static final Duration MIN_STATEMENT_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration CREDENTIALS_TIMEOUT = Duration.ofSeconds(10);
    private static final int ONCE_WIDTH = 132;

    @Override
    public String name() {
        return "top";
    }

    @Override
    public String synopsis() {
        return "TARGET [--interval SECONDS] [--sort duration|cpu|io|waits] [--once [--format text|json]] [--no-color]";
    }

    @Override
    public String summary() {
        return "live view of sessions, blocking trees, waits and plans (q quits)";
    }

    @Override
    public String description() {
        return """
                A full-screen view refreshed every --interval seconds: the server's load (connections, \
                transactions and rows per second, waits by type, replication lag), then one row per session \
                that is doing something, waiters folded under their head blocker.
                Keys: d, c, i, w sort by duration, CPU, I/O or waits; / filters (user:NAME, db:NAME, app:NAME \
                or text in the query); p pauses; + and - double or halve the interval; arrows select a session \
                and Enter shows its full query, its locks, its plan and the statements that would cancel or \
                terminate it (shown, never run); q quits.
                The session is read-only with statement and lock timeouts: a plan is made with EXPLAIN \
                without ANALYZE (PostgreSQL), or read: from the plan cache (SQL Server), currentOp's planSummary \
                (MongoDB), the operator statistics of the query or of its latest completed run (Snowflake); never \
                by running the statement, and it gives up on a locked table. \
                A refresh slower than its budget makes the next one late, never two at once; a lost connection \
                is retried with backoff while the last screen stays.
                --once prints one frame (two snapshots --interval apart, default 1 s, so that rates are \
                real) as text or JSON, for scripts. Without --once, standard output must be a terminal.
                Exit code: 0 after q or --once; 3 when --once cannot read the server; 64 usage.""";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("interval").hasArg().argName("SECONDS")
                        .desc("seconds between refreshes, 0.5 to 60 (default 2; 1 with --once)").get())
                .addOption(Option.builder().longOpt("sort").hasArg().argName("KEY")
                        .desc("duration (default), cpu, io or waits").get())
                .addOption(Option.builder().longOpt("once").desc("print one frame and exit (for scripts)").get())
                .addOption(Option.builder("f").longOpt("format").hasArg().argName("text|json")
                        .desc("with --once: text (default) or json").get())
                .addOption(Option.builder().longOpt("no-color").desc("no colours (NO_COLOR works too)").get());
    }

    @Override
    public int[] arity() {
        return new int[] {1, 1};
    }

    @Override
    public int run(CommandLine line, CommandContext context) throws Exception {
        boolean once = line.hasOption("once");
        String format = line.getOptionValue("format", "text").toLowerCase(Locale.ROOT);
        if (!format.equals("text") && !format.equals("json")) {
            throw DbtoolException.usage("--format: expected text or json, got '" + line.getOptionValue("format") + "'");
        }
        if (line.hasOption("format") && !once) {
            throw DbtoolException.usage("--format: only with --once (the live view is for a terminal)");
        }
        Duration interval = line.hasOption("interval") ? interval(line.getOptionValue("interval")) : once ? ONCE_INTERVAL : DEFAULT_INTERVAL;
        ViewState.Sort sort = line.hasOption("sort") ? sort(line.getOptionValue("sort")) : ViewState.Sort.DURATION;
        if (!once && !context.terminal()) {
            throw DbtoolException.usage("top: standard output is not a terminal; use --once (--format text or json) for one frame");
        }
        ResolvedTarget resolved = new TargetResolver(context.config(), context.plugins()).resolve(line.getArgList().getFirst());
        Target target = resolved.target();
        CredentialResolver resolver = new CredentialResolver(context.plugins().credentialProviders());
        boolean prompt = resolver.mayPrompt(resolved, context.terminal());
        Credentials credentials = resolver.resolve(resolved, context.terminal(), prompt ? null : Deadline.start(CREDENTIALS_TIMEOUT));
        Duration budget = interval.compareTo(MAX_BUDGET) < 0 ? interval : MAX_BUDGET;
        SessionSettings defaults = SessionSettings.defaults();
        // The server-side statement timeout stays well above the lock timeout (at least 1 s), so that a plan
        // blocked by a lock ends by the lock timeout and says so, whatever the interval.
        Duration statementTimeout = budget.compareTo(MIN_STATEMENT_TIMEOUT) < 0 ? MIN_STATEMENT_TIMEOUT : budget;
        SessionSettings settings = new SessionSettings(defaults.applicationName(), defaults.connectTimeout(), statementTimeout,
                defaults.lockTimeout());
        AtomicReference<EngineSession> first = new AtomicReference<>(resolved.plugin().open(target, credentials, settings));
        try {
            if (!(first.get() instanceof ActivityView)) {
                first.get().close();
                throw DbtoolException.usage("top: the " + resolved.plugin().displayName() + " plugin offers no live view (its sessions "
                        + "do not implement dbtool.spi.ActivityView)");
            }
            // The first session was opened above to ask for the capability; reconnects open new ones.
            Watcher.Opener opener = () -> {
                EngineSession made = first.getAndSet(null);
                return made != null ? made : resolved.plugin().open(target, credentials, settings);
            };
            ViewState state = new ViewState(interval);
            state.sort(sort);
            try (Watcher watcher = new Watcher(opener, budget)) {
                TraceLinks links = TraceLinks.of(context.config());
                return once ? once(watcher, state, target, format, context, links)
                        : live(watcher, state, title(target), context, line.hasOption("no-color"), links);
            }
        } finally {
            release(credentials, context);
        }
    }

    private static int once(Watcher watcher, ViewState state, Target target, String format, CommandContext context, TraceLinks links)
            throws Exception {
        Frame frame;
        try {
            watcher.readNow();
            Thread.sleep(state.interval());
            frame = watcher.readNow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw e;
        } catch (Exception e) {
            context.err().println("dbtool: top: " + target.name() + ": cannot read the server: " + TroubleshootRunner.reason(e));
            return ExitCodes.UNKNOWN;
        }
        if (format.equals("json")) {
            context.emit(SnapshotJson.write(frame, target, Version.get(), state.interval().toMillis(), links));
        } else {
            state.selectNone();
            List<AttributedString> lines = new Screen(false).render(frame, state, new Screen.Context(title(target), null, null, null),
                    width(context), Integer.MAX_VALUE);
            StringBuilder text = new StringBuilder();
            lines.forEach(l -> text.append(l.toString().stripTrailing()).append(System.lineSeparator()));
            context.emit(text.toString());
        }
        return ExitCodes.OK;
    }

    private static int live(Watcher watcher, ViewState state, String title, CommandContext context, boolean noColor, TraceLinks links)
            throws Exception {
        boolean color = context.style(noColor).color();
        var shared = context.shellTerminal();
        Terminal terminal = shared.isPresent() ? shared.get() : TerminalBuilder.builder().name("dbtool").system(true).build();
        try {
            if (Terminal.TYPE_DUMB.equals(terminal.getType()) || Terminal.TYPE_DUMB_COLOR.equals(terminal.getType())) {
                throw DbtoolException.usage("top: this terminal cannot draw a full screen (TERM=dumb); use --once");
            }
            new LiveView(terminal, watcher, state, new Screen(color, links), title).run();
        } finally {
            if (shared.isEmpty()) {
                terminal.close();
            }
        }
        return ExitCodes.OK;
    }

    private static String title(Target target) {
        return target.name() + " (" + target.engine() + ")";
    }

    private static int width(CommandContext context) {
        try {
            int columns = Integer.parseInt(context.environment().get("COLUMNS").orElse(""));
            return columns >= 40 ? columns : ONCE_WIDTH;
        } catch (NumberFormatException e) {
            return ONCE_WIDTH;
        }
    }

    /**
     * Revokes what the credentials lease (a Vault database role) and wipes the password, now that no
     * session needs them. They are kept until the view ends, not wiped after the first login as a
     * troubleshoot does, because a reconnect logs in again.
     */
    private static void release(Credentials credentials, CommandContext context) {
        try {
            credentials.release();
        } catch (RuntimeException e) {
            context.err().println("dbtool: top: releasing the credentials failed: " + TroubleshootRunner.reason(e));
        } finally {
            credentials.close();
        }
    }

    static Duration interval(String value) {
        try {
            double seconds = Double.parseDouble(value);
            if (seconds >= 0.5 && seconds <= 60) {
                return Duration.ofMillis(Math.round(seconds * 1000));
            }
        } catch (NumberFormatException e) {
            // the message below says what is expected
        }
        throw DbtoolException.usage("--interval: expected seconds between 0.5 and 60, got '" + value + "'");
    }

    static ViewState.Sort sort(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "duration" -> ViewState.Sort.DURATION;
            case "cpu" -> ViewState.Sort.CPU;
            case "io" -> ViewState.Sort.IO;
            case "waits" -> ViewState.Sort.WAITS;
            default -> throw DbtoolException.usage("--sort: expected duration, cpu, io or waits, got '" + value + "'");
        };
    }
}
