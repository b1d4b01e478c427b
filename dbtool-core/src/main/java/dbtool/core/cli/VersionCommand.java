package dbtool.core.cli;

import dbtool.core.ExitCodes;
import org.apache.commons.cli.CommandLine;

/** {@code dbtool version}, also {@code dbtool --version}. */
final class VersionCommand implements Command {

    @Override
    public String name() {
        return "version";
    }

    @Override
    public String synopsis() {
        return "";
    }

    @Override
    public String summary() {
        return "show dbtool's version and the Java runtime it runs on";
    }

    @Override
    public int run(CommandLine line, CommandContext context) {
        context.out().println(CommandLineInterface.versionLine());
        return ExitCodes.OK;
    }
}
