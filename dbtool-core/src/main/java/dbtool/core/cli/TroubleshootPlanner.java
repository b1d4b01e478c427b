package dbtool.core.cli;

import dbtool.core.report.Report;
import dbtool.core.report.Style;
import dbtool.core.run.CheckContributor;
import dbtool.core.run.CheckSelection;
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
 * Turns a target and a check selection into what {@link TroubleshootRunner} runs: the one way a
 * troubleshoot is prepared, for {@code dbtool troubleshoot} and for the feature modules that run
 * focused ones ({@code dbtool alert}, {@code dbtool serve}'s alert intake) or read from a target
 * ({@code dbtool logs TARGET}).
 */
public final class TroubleshootPlanner {

    private TroubleshootPlanner() {
    }

    /** Resolves a configured name or a URL, then plans as {@link #plan(ResolvedTarget, String, Duration, CommandContext, boolean)}. */
    public static TroubleshootRunner.Request plan(String nameOrUrl, String checkSpec, Duration timeout, CommandContext context,
                                                  boolean interactive) {
        ResolvedTarget resolved = new TargetResolver(context.config(), context.plugins()).resolve(nameOrUrl);
        return plan(resolved, checkSpec, timeout, context, interactive);
    }

    /**
     * Selects the checks ({@code checkSpec}: ids and categories, comma separated; null for all) among the
     * engine's and those the feature modules contribute (e.g. the server log's), then plans as
     * {@link #plan(ResolvedTarget, Function, Duration, CommandContext, boolean)}.
     */
    public static TroubleshootRunner.Request plan(ResolvedTarget resolved, String checkSpec, Duration timeout, CommandContext context,
                                                  boolean interactive) {
        return plan(resolved, plugin -> CheckSelection.select(CheckContributor.withContributed(plugin), checkSpec, plugin.id()),
                timeout, context, interactive);
    }

    /**
     * The runner's request for {@code checks} of the target's plugin: the credentials are fetched last,
     * when all else is valid, and inside the run's deadline, unless a human is to type them at a prompt
     * (the deadline starts after).
     *
     * @param resolved the target and its plugin
     * @param checks the checks to run, chosen from the target's plugin
     * @param timeout the run's deadline
     * @param context the command's context (plugins, error stream, run log)
     * @param interactive whether a human may be asked for a secret
     * @return what {@link TroubleshootRunner} runs
     */
    public static TroubleshootRunner.Request plan(ResolvedTarget resolved, Function<EnginePlugin, List<Check>> checks, Duration timeout,
                                                  CommandContext context, boolean interactive) {
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

    /** {@code --format}: text or json, as troubleshoot reads it (64 otherwise). */
    public static String format(String value) {
        return TroubleshootCommand.format(value);
    }

    /** {@code --timeout}: seconds, as troubleshoot reads it (64 otherwise). */
    public static Duration timeout(String value) {
        return TroubleshootCommand.timeout(value);
    }

    /** A report as troubleshoot prints it: the JSON contract, or text in {@code style}. */
    public static String render(Report report, String format, Style style) {
        return TroubleshootCommand.render(report, format, style);
    }
}
