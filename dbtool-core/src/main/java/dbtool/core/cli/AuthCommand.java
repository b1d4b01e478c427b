package dbtool.core.cli;

import dbtool.core.DbtoolException;
import dbtool.core.ExitCodes;
import dbtool.core.run.TroubleshootRunner;
import dbtool.spi.IdentityReporter;
import java.util.List;
import java.util.Map;
import org.apache.commons.cli.CommandLine;

/** {@code dbtool auth status}: who dbtool would be, per credential source. Never prints a secret. */
final class AuthCommand implements Command {

    @Override
    public String name() {
        return "auth";
    }

    @Override
    public String synopsis() {
        return "status";
    }

    @Override
    public String summary() {
        return "show which identities dbtool would use (Vault address, token owner and expiry), never a secret";
    }

    @Override
    public int[] arity() {
        return new int[] {1, 1};
    }

    @Override
    public int run(CommandLine line, CommandContext context) {
        String action = line.getArgList().getFirst();
        if (!action.equals("status")) {
            throw DbtoolException.usage("auth: unknown action '" + action + "'; available: status (login and logout are planned)");
        }
        List<IdentityReporter> reporters = context.plugins().identityReporters();
        if (reporters.isEmpty()) {
            context.out().println("No credential plugin reports identities (is plugins/auth installed? see 'dbtool plugins').");
            return ExitCodes.OK;
        }
        int exit = ExitCodes.OK;
        for (IdentityReporter reporter : reporters) {
            context.out().println(reporter.name() + ":");
            try {
                Map<String, String> facts = reporter.describe();
                if (facts.isEmpty()) {
                    context.out().println("  not configured");
                }
                int width = facts.keySet().stream().mapToInt(String::length).max().orElse(0) + 2;
                facts.forEach((key, value) -> context.out().println("  " + key + ":" + " ".repeat(width - key.length()) + value));
            } catch (Exception e) {
                context.out().println("  error: " + TroubleshootRunner.reason(e));
                exit = ExitCodes.UNKNOWN;
            }
        }
        return exit;
    }
}
