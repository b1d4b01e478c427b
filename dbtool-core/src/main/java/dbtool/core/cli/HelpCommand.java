package dbtool.core.cli;

import dbtool.core.DbtoolException;
import dbtool.core.ExitCodes;
import dbtool.core.run.Suggestions;
import java.util.Comparator;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;

/** {@code dbtool help [COMMAND]}. */
final class HelpCommand implements Command {

    private CommandLineInterface cli;

    void attach(CommandLineInterface cli) {
        this.cli = cli;
    }

    @Override
    public String name() {
        return "help";
    }

    @Override
    public String synopsis() {
        return "[COMMAND]";
    }

    @Override
    public String summary() {
        return "show the commands, or how to use one";
    }

    @Override
    public int[] arity() {
        return new int[] {0, 1};
    }

    @Override
    public int run(CommandLine line, CommandContext context) {
        if (line.getArgList().isEmpty()) {
            context.out().print(overview(cli));
            return ExitCodes.OK;
        }
        String name = line.getArgList().getFirst();
        Command command = cli.commands().get(name);
        if (command == null) {
            throw DbtoolException.usage("help: unknown command '" + name + "'"
                    + Suggestions.didYouMean(name, cli.commands().keySet())
                    + "; commands: " + String.join(", ", cli.commands().keySet()));
        }
        context.out().print(usage(command));
        return ExitCodes.OK;
    }

    static String overview(CommandLineInterface cli) {
        StringBuilder out = new StringBuilder();
        out.append("dbtool: from a database alert to a diagnosis in one command.\n\n");
        out.append("Usage: dbtool COMMAND [options]     run one command\n");
        out.append("       dbtool                       open the dbtool> shell (on a terminal)\n");
        out.append("       dbtool --version | --help\n\n");
        out.append("Commands:\n");
        int width = cli.commands().keySet().stream().mapToInt(String::length).max().orElse(10) + 2;
        cli.commands().values().forEach(c -> out.append("  ").append(pad(c.name(), width)).append(c.summary()).append('\n'));
        out.append("\nTargets are configured names ('dbtool targets') or URLs such as postgresql://host:5432/db,\n")
                .append("sqlserver://host:1433/db, mongodb://host:27017/db, snowflake://account/db.\n")
                .append("Exit codes: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN, 64 usage error, 78 configuration error.\n")
                .append("Configuration: $DBTOOL_CONFIG, else $XDG_CONFIG_HOME/dbtool/config.json (%APPDATA%\\dbtool\\config.json on Windows).\n")
                .append("Run log: DBTOOL_LOG=FILE appends what each command did (targets, sessions, checks, timings; never a secret).\n")
                .append("Run 'dbtool help COMMAND' for a command's options.\n");
        return out.toString();
    }

    static String usage(Command command) {
        StringBuilder out = new StringBuilder();
        out.append("Usage: dbtool ").append(command.name()).append(' ').append(command.synopsis()).append("\n\n");
        out.append(command.summary().substring(0, 1).toUpperCase()).append(command.summary().substring(1)).append(".\n");
        if (!command.description().isEmpty()) {
            out.append('\n').append(command.description().strip()).append('\n');
        }
        var options = command.options().getOptions().stream()
                .sorted(Comparator.comparing(o -> o.getLongOpt() == null ? o.getOpt() : o.getLongOpt())).toList();
        if (!options.isEmpty()) {
            out.append("\nOptions:\n");
            int width = options.stream().mapToInt(o -> flags(o).length()).max().orElse(10) + 2;
            for (Option option : options) {
                out.append("  ").append(pad(flags(option), width)).append(option.getDescription()).append('\n');
            }
            out.append("  ").append(pad("-h, --help", width)).append("show this help\n");
        }
        return out.toString();
    }

    private static String flags(Option option) {
        StringBuilder flags = new StringBuilder();
        if (option.getOpt() != null && option.getOpt().length() == 1) {
            flags.append('-').append(option.getOpt()).append(", ");
        } else {
            flags.append("    ");
        }
        flags.append("--").append(option.getLongOpt());
        if (option.hasArg()) {
            flags.append(' ').append(option.getArgName());
        }
        return flags.toString();
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text + " " : text + " ".repeat(width - text.length());
    }
}
