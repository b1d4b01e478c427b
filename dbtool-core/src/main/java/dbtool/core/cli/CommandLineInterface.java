package dbtool.core.cli;

import dbtool.core.DbtoolException;
import dbtool.core.ExitCodes;
import dbtool.core.Version;
import dbtool.core.run.Suggestions;
import dbtool.core.run.TargetUrls;
import dbtool.core.run.TroubleshootRunner;
import dbtool.core.shell.MaskedPrompt;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.commons.cli.AlreadySelectedException;
import org.apache.commons.cli.AmbiguousOptionException;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.MissingArgumentException;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.apache.commons.cli.UnrecognizedOptionException;

/**
 * Parses one command line (argv, or a line of the shell) and runs the command. Every mistake is
 * one line on stderr with exit code 64 (usage) or 78 (configuration); no stack traces unless
 * {@code DBTOOL_DEBUG} is set.
 */
public final class CommandLineInterface {

    private final Map<String, Command> commands = new LinkedHashMap<>();

    public CommandLineInterface(List<Command> commands) {
        commands.forEach(c -> this.commands.put(c.name(), c));
    }

    /**
     * The built-in commands, then those that feature modules on the boot module path (dbtool.serve,
     * dbtool.logs, ...) provide as a {@link Command} service. Core names none of them.
     */
    public static CommandLineInterface standard() {
        return standard(features());
    }

    /** The built-in commands followed by {@code features}; a feature never replaces a built-in of the same name. */
    static CommandLineInterface standard(List<Command> features) {
        HelpCommand help = new HelpCommand();
        List<Command> all = new ArrayList<>(List.of(
                new TroubleshootCommand(), new ChecksCommand(), new PluginsCommand(), new TargetsCommand(),
                new DemoCommand(), new AuthCommand(), new GrantsCommand(), new ExplainCommand(), help, new VersionCommand()));
        Set<String> names = new HashSet<>();
        all.forEach(c -> names.add(c.name()));
        features.stream().filter(c -> names.add(c.name())).forEach(all::add);
        CommandLineInterface cli = new CommandLineInterface(all);
        help.attach(cli);
        return cli;
    }

    /** The feature commands found by ServiceLoader; one that fails to instantiate is skipped, not fatal to the rest. */
    private static List<Command> features() {
        List<Command> found = new ArrayList<>();
        Iterator<Command> providers = ServiceLoader.load(Command.class).iterator();
        while (true) {
            try {
                if (!providers.hasNext()) {
                    return found;
                }
                found.add(providers.next());
            } catch (ServiceConfigurationError e) {
                // A broken feature module must not take troubleshoot down with it.
            }
        }
    }

    public Map<String, Command> commands() {
        return commands;
    }

    public int execute(List<String> args, CommandContext context) {
        long start = System.nanoTime();
        // One policy for the log, stderr and (in the shell) the history: what it hides from the command
        // line is scrubbed from every message too, as a message may quote what the user typed.
        CommandLineRedaction.Redacted redacted = redaction().apply(args);
        int code;
        try {
            context.log().info("dbtool " + Version.get() + " " + redacted.line());
            code = dispatch(args, context);
        } catch (DbtoolException e) {
            if (Thread.currentThread().isInterrupted()) {
                code = interrupted(context, e);
            } else {
                String message = redacted.scrub(e.getMessage());
                context.err().println("dbtool: " + message);
                context.log().error(message);
                debug(e, context);
                code = e.exitCode();
            }
        } catch (TroubleshootRunner.Interrupted e) {
            code = interrupted(context, e);
        } catch (Exception | LinkageError e) {
            if (Thread.currentThread().isInterrupted() || e instanceof InterruptedException) {
                code = interrupted(context, e);
            } else {
                String message = redacted.scrub(String.valueOf(e));
                context.err().println("dbtool: internal error: " + message + " (set DBTOOL_DEBUG=1 for the stack trace)");
                context.log().error("internal error: " + message);
                debug(e, context);
                code = ExitCodes.SOFTWARE;
            }
        }
        Optional<String> unwritten = context.outputFailure();
        if (unwritten.isPresent()) {
            // A wrapper that reads the exit code must not see "OK" for a report nobody received.
            context.err().println("dbtool: cannot write to standard output: " + unwritten.get());
            context.log().error("cannot write to standard output: " + unwritten.get() + " (exit " + code + " not reported)");
            code = ExitCodes.IO_ERROR;
        }
        context.log().info("exit " + code + " after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
        return code;
    }

    /** Ctrl-C: one line, "cancelled" when it was at a masked prompt (nothing ran yet), else "interrupted". */
    private static int interrupted(CommandContext context, Throwable failure) {
        String what = MaskedPrompt.cancelled(failure) ? "cancelled" : "interrupted";
        context.err().println("dbtool: " + what);
        context.log().warn(what);
        return ExitCodes.INTERRUPTED;
    }

    /** The redaction policy for this set of commands (log, messages, shell history). */
    public CommandLineRedaction redaction() {
        return new CommandLineRedaction(commands);
    }

    /** The command line for the run log and the shell history: see {@link CommandLineRedaction}. */
    public String loggable(List<String> args) {
        return redaction().apply(args).line();
    }

    private int dispatch(List<String> args, CommandContext context) throws Exception {
        if (args.isEmpty()) {
            throw DbtoolException.usage("no command given; try 'dbtool --help'");
        }
        String first = args.getFirst();
        switch (first) {
            case "--version", "-V" -> {
                return commands.get("version").run(null, context);
            }
            case "--help", "-h", "-?" -> {
                context.out().print(HelpCommand.overview(this));
                return ExitCodes.OK;
            }
            default -> {
            }
        }
        Command command = commands.get(first);
        if (command == null) {
            if (first.startsWith("-")) {
                throw DbtoolException.usage("unknown option '" + optionName(first) + "' before the command; try 'dbtool --help'");
            }
            if (TargetUrls.isUrl(first)) {
                // Not repeated: a URL may carry a password.
                throw DbtoolException.usage("a URL is not a command (did you mean 'dbtool troubleshoot URL'?)");
            }
            // A typo is repeated to help; anything else (a pasted token) is not.
            String shown = CommandLineRedaction.showableCommand(first, commands.keySet())
                    ? " '" + first + "'" + Suggestions.didYouMean(first, commands.keySet()) : "";
            throw DbtoolException.usage("unknown command" + shown
                    + "; commands: " + String.join(", ", commands.keySet()));
        }
        Options options = withHelp(command.options());
        CommandLine line;
        try {
            // No abbreviations: '--pass X' taken for --password-env would be a secret option the
            // redaction (and the reader of the command line) does not recognise.
            line = DefaultParser.builder().setStripLeadingAndTrailingQuotes(false).setAllowPartialMatching(false).get()
                    .parse(options, args.subList(1, args.size()).toArray(String[]::new));
        } catch (ParseException e) {
            throw DbtoolException.usage(command.name() + ": " + describe(e, options) + "; see 'dbtool help " + command.name() + "'");
        }
        line = lastWins(line);
        if (line.hasOption("help")) {
            context.out().print(HelpCommand.usage(command));
            return ExitCodes.OK;
        }
        int[] arity = command.arity();
        List<String> positional = line.getArgList();
        if (positional.size() < arity[0]) {
            throw DbtoolException.usage(command.name() + ": missing " + command.synopsis().split(" ")[positional.size()]
                    + "; usage: dbtool " + command.name() + " " + command.synopsis());
        }
        if (positional.size() > arity[1]) {
            // The extra arguments are not repeated: a token or password pasted in the wrong place would
            // otherwise reach the terminal's scrollback and the run log.
            int extra = positional.size() - arity[1];
            String after = arity[1] == 0 ? command.name() : positional.get(arity[1] - 1);
            throw DbtoolException.usage(command.name() + ": " + extra + " unexpected argument" + (extra == 1 ? "" : "s")
                    + " after '" + after + "'; usage: dbtool " + command.name() + " " + command.synopsis());
        }
        return command.run(line, context);
    }

    /**
     * A repeated option keeps its last value ({@code --timeout 20 --timeout 5} is 5 s), as with most
     * Unix tools: a wrapper that appends its own {@code --timeout} to what it was given overrides it.
     * Commons CLI would keep the first.
     */
    static CommandLine lastWins(CommandLine line) {
        Map<String, Option> last = new LinkedHashMap<>();
        for (Option option : line.getOptions()) {
            last.remove(option.getKey());
            last.put(option.getKey(), option);
        }
        if (last.size() == line.getOptions().length) {
            return line;
        }
        CommandLine.Builder builder = CommandLine.builder();
        last.values().forEach(builder::addOption);
        line.getArgList().forEach(builder::addArg);
        return builder.get();
    }

    static Options withHelp(Options options) {
        Options copy = new Options();
        options.getOptions().forEach(copy::addOption);
        copy.addOption(Option.builder("h").longOpt("help").desc("show this help").get());
        return copy;
    }

    /** Commons CLI's messages, reworded into one line that names the flag and what it expects. */
    private static String describe(ParseException e, Options options) {
        if (e instanceof UnrecognizedOptionException unrecognized) {
            String option = optionName(unrecognized.getOption());
            List<String> names = options.getOptions().stream().filter(o -> o.getLongOpt() != null)
                    .map(o -> "--" + o.getLongOpt()).toList();
            return "unknown option '" + option + "'" + Suggestions.didYouMean(option, names);
        }
        if (e instanceof MissingArgumentException missing) {
            Option option = missing.getOption();
            return "option --" + (option.getLongOpt() != null ? option.getLongOpt() : option.getOpt())
                    + " needs a value (" + option.getArgName() + ")";
        }
        if (e instanceof AmbiguousOptionException ambiguous) {
            return "ambiguous option '" + ambiguous.getOption() + "': could be " + String.join(", ", ambiguous.getMatchingOptions());
        }
        if (e instanceof AlreadySelectedException) {
            return e.getMessage();
        }
        return e.getMessage();
    }

    /** An option word without its {@code =value}: a mistyped secret option still holds a secret. */
    static String optionName(String word) {
        int equals = word.indexOf('=');
        return equals >= 0 ? word.substring(0, equals) : word;
    }

    private static void debug(Throwable e, CommandContext context) {
        if (context.environment().get("DBTOOL_DEBUG").isPresent()) {
            e.printStackTrace(context.err());
        }
    }

    /** For {@code --version}: name, version and runtime. */
    static String versionLine() {
        return "dbtool " + Version.get() + " (Java " + Runtime.version() + ", " + System.getProperty("os.name")
                + " " + System.getProperty("os.arch") + ")";
    }
}
