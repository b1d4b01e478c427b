package dbtool.core.cli;

import dbtool.core.config.Config;
import dbtool.core.run.CredentialResolver;
import dbtool.core.run.Deadline;
import dbtool.core.run.ResolvedTarget;
import dbtool.core.run.TargetResolver;
import dbtool.core.run.TroubleshootRunner;
import dbtool.spi.Check;
import dbtool.spi.Credentials;
import dbtool.spi.EnginePlugin;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * Turns a target name or URL into a runner request, as {@code troubleshoot} does and as every command
 * that reads from a target must (e.g. {@code logs TARGET}): one place resolves the target, its plugin
 * and its credentials.
 */
public final class TargetPlans {

    private TargetPlans() {
    }

    /**
     * Resolves one target into what the runner needs; credentials are fetched last, when all else is valid,
     * and inside the run's deadline, unless a human is to type them at a prompt (the deadline starts after).
     *
     * @param config the configuration naming the targets (serve passes the one it last reloaded)
     * @param checks the checks to run, chosen from the target's plugin
     */
    public static TroubleshootRunner.Request plan(String nameOrUrl, Config config, Function<EnginePlugin, List<Check>> checks,
                                                  Duration timeout, CommandContext context, boolean interactive) {
        ResolvedTarget resolved = new TargetResolver(config, context.plugins()).resolve(nameOrUrl);
        List<Check> selected = checks.apply(resolved.plugin());
        CredentialResolver resolver = new CredentialResolver(context.plugins().credentialProviders());
        boolean prompt = resolver.mayPrompt(resolved, interactive);
        Deadline deadline = prompt ? null : Deadline.start(timeout);
        Credentials credentials;
        try {
            credentials = resolver.resolve(resolved, interactive, deadline);
        } catch (CredentialResolver.OutOfTime e) {
            // An overrun, not a failure: the report says every check was not run (UNKNOWN, exit 3); stderr says why.
            context.err().println("dbtool: " + resolved.target().name() + ": " + e.getMessage());
            context.log().warn(resolved.target().name() + ": " + e.getMessage());
            credentials = Credentials.none();
        }
        return new TroubleshootRunner.Request(resolved.target(), resolved.plugin(), selected, credentials, timeout,
                resolved.thresholds(), deadline);
    }
}
