package dbtool.core.cli;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/** One dbtool command, the same on the command line and in the {@code dbtool>} shell. */
public interface Command {

    /** The word that selects it, e.g. {@code troubleshoot}. */
    String name();

    /** The arguments after the name, e.g. {@code TARGET [options]}. */
    String synopsis();

    /** One line for the command list. */
    String summary();

    /** A paragraph or two for {@code dbtool help NAME}; may be empty. */
    default String description() {
        return "";
    }

    /** The options it accepts; {@code --help} is added by the dispatcher. */
    default Options options() {
        return new Options();
    }

    /** Positional arguments it accepts: {@code [min, max]}. */
    default int[] arity() {
        return new int[] {0, 0};
    }

    /** Runs it and returns the exit code. Usage and configuration mistakes throw {@link dbtool.core.DbtoolException}. */
    int run(CommandLine line, CommandContext context) throws Exception;
}
