package dbtool.change;

import dbtool.core.DbtoolException;
import dbtool.core.ExitCodes;
import dbtool.core.SafeText;
import dbtool.core.cli.CommandContext;
import java.io.Console;
import java.util.List;
import java.util.Locale;

/**
 * The question every write of {@code dbtool change} and {@code dbtool config} asks first: it says what
 * will happen, and goes ahead only on a "yes" typed at a terminal, or with {@code --yes} (then it
 * still says it, on stderr). Without a terminal and without {@code --yes} nothing is written (exit 64).
 */
final class Confirmation {

    private Confirmation() {
    }

    /**
     * @param command the command and action, e.g. {@code change apply} or {@code config set}
     * @param what    what will happen, one line
     */
    static void ask(CommandContext context, boolean yes, String command, String what) {
        if (yes) {
            context.err().println(command + ": " + SafeText.oneLine(what));
            return;
        }
        Console console = System.console();
        if (!context.terminal() || console == null) {
            throw DbtoolException.usage(command + ": will " + SafeText.oneLine(what) + "; not on a terminal, so add --yes to go ahead");
        }
        String answer = console.readLine("%s", command + ": will " + SafeText.oneLine(what) + ". Go ahead? [y/N] ");
        if (answer == null || !List.of("y", "yes").contains(answer.strip().toLowerCase(Locale.ROOT))) {
            throw new DbtoolException(ExitCodes.USAGE, command + ": not confirmed; nothing changed");
        }
    }
}
