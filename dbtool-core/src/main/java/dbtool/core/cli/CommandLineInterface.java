package dbtool.core.cli;

import dbtool.core.DbtoolException;
import dbtool.core.ExitCodes;
import dbtool.core.Version;
import dbtool.core.run.Suggestions;
import dbtool.core.run.TargetUrls;
import dbtool.core.run.TroubleshootRunner;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /** The standard commands. */
    public static CommandLineInterface standard() {
        HelpCommand help = new HelpCommand();
        CommandLineInterface cli = new CommandLineInterface(List.of(
                new TroubleshootCommand(), new ChecksCommand(), new PluginsCommand(), new TargetsCommand(),
                new DemoCommand(), new AuthCommand(), help, new VersionCommand()));
        help.attach(cli);
        return cli;
    }

    public Map<String, Command> commands() {
        return commands;
    }

    public int execute(List<String> args, CommandContext context) {
        long start = System.nanoTime();
        int code;
        try {
            context.log().info("dbtool " + Version.get() + " " + loggable(args));
            code = dispatch(args, context);
        } catch (DbtoolException e) {
            context.err().println("dbtool: " + e.getMessage());
            context.log().error(e.getMessage());
            debug(e, context);
            code = e.exitCode();
        } catch (TroubleshootRunner.Interrupted e) {
            context.err().println("dbtool: interrupted");
            context.log().warn("interrupted");
            code = ExitCodes.INTERRUPTED;
        } catch (Exception | LinkageError e) {
            context.err().println("dbtool: internal error: " + e + " (set DBTOOL_DEBUG=1 for the stack trace)");
            context.log().error("internal error: " + e);
            debug(e, context);
            code = ExitCodes.SOFTWARE;
        }
        context.log().info("exit " + code + " after " + java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
        return code;
    }

    /**
     * The command line for the run log, with URLs redacted (a URL may carry a password) and the value
     * of {@code --password-env} replaced by {@code ****}: it should name a variable, but a user in a hurry
     * may have typed the password itself there.
     */
    static String loggable(List<String> args) {
        List<String> shown = new java.util.ArrayList<>();
        boolean hideNext = false;
        boolean auth = !args.isEmpty() && args.getFirst().equals("auth");
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (hideNext) {
                shown.add("****");
                hideNext = false;
            } else if (a.equals(SECRET_NAMING_OPTION)) {
                shown.add(a);
                hideNext = true;
            } else if (a.startsWith(SECRET_NAMING_OPTION + "=")) {
                shown.add(SECRET_NAMING_OPTION + "=****");
            } else if (auth && i > 0 && !a.startsWith("-") && !AUTH_WORDS.contains(a) && !args.get(i - 1).startsWith("-")) {
                // A stray argument to auth is most likely a pasted token.
                shown.add("****");
            } else {
                shown.add(TargetUrls.isUrl(a) ? TargetUrls.redact(a) : a);
            }
        }
        return String.join(" ", shown);
    }

    private static final java.util.Set<String> AUTH_WORDS = java.util.Set.of("status", "login", "logout");

    /** The option whose value names a variable holding a secret, and is never shown (it may be the secret). */
    public static final String SECRET_NAMING_OPTION = "--password-env";

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
                throw DbtoolException.usage("unknown option '" + first + "' before the command; try 'dbtool --help'");
            }
            throw DbtoolException.usage("unknown command '" + first + "'" + Suggestions.didYouMean(first, commands.keySet())
                    + "; commands: " + String.join(", ", commands.keySet()));
        }
        Options options = withHelp(command.options());
        CommandLine line;
        try {
            line = DefaultParser.builder().setStripLeadingAndTrailingQuotes(false).get()
                    .parse(options, args.subList(1, args.size()).toArray(String[]::new));
        } catch (ParseException e) {
            throw DbtoolException.usage(command.name() + ": " + describe(e, options) + "; see 'dbtool help " + command.name() + "'");
        }
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

    private static Options withHelp(Options options) {
        Options copy = new Options();
        options.getOptions().forEach(copy::addOption);
        copy.addOption(Option.builder("h").longOpt("help").desc("show this help").get());
        return copy;
    }

    /** Commons CLI's messages, reworded into one line that names the flag and what it expects. */
    private static String describe(ParseException e, Options options) {
        if (e instanceof UnrecognizedOptionException unrecognized) {
            String option = unrecognized.getOption();
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
