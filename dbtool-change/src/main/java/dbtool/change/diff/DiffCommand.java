package dbtool.change.diff;

import dbtool.core.DbtoolException;
import dbtool.core.SafeText;
import dbtool.core.Version;
import dbtool.core.cli.Command;
import dbtool.core.cli.CommandContext;
import dbtool.core.report.JsonReportWriter;
import dbtool.core.report.Report;
import dbtool.core.report.TextReportRenderer;
import dbtool.core.run.CredentialResolver;
import dbtool.core.run.Deadline;
import dbtool.core.run.ResolvedTarget;
import dbtool.core.run.TargetResolver;
import dbtool.core.run.TroubleshootRunner;
import dbtool.spi.CatalogSource;
import dbtool.spi.CatalogSource.Catalog;
import dbtool.spi.Credentials;
import dbtool.spi.EngineSession;
import dbtool.spi.SessionSettings;
import dbtool.spi.Target;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code dbtool diff A B}: environment parity. Both targets are read at once, each on one read-only session
 * with the usual statement and lock timeouts (B's through the troubleshoot runner, so the report, its JSON and
 * its exit code are the troubleshoot's); nothing is written. The statements printed make B like A.
 */
public final class DiffCommand implements Command {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    @Override
    public String name() {
        return "diff";
    }

    @Override
    public String synopsis() {
        return "A B [--schema NAME] [--all-settings] [--format text|json] [--timeout SECONDS] [--no-color]";
    }

    @Override
    public String summary() {
        return "environment parity: version, settings, extensions, schema and roles of B compared with A";
    }

    @Override
    public String description() {
        return """
                Compares target B with the reference A: server version, settings, extensions, schemas, tables, columns \
                (type, default, nullability), indexes, constraints, functions (by definition, whitespace collapsed), roles \
                (attributes, never passwords) and role memberships. Each difference is a finding (WARNING for schema objects, \
                roles, extensions, a different major version and settings that change what applications see; INFO for the \
                other settings and a different minor version) with the statements that make B like A: run them on B. \
                Direction: A is the reference; an object only on A is created on B, one only on B is dropped from B (check \
                first), a different attribute gets A's value. Both targets are only read, in parallel, one read-only session \
                each. Host-specific settings (PostgreSQL: data_directory, config_file, hba_file, ident_file, port, \
                listen_addresses, unix_socket_*, cluster_name, ssl_*_file, log_directory, archive_command, primary_conninfo, \
                ...; the list is in the guide) are left out unless --all-settings. Exit code: 0 when no difference is more \
                than INFO, 1 for a WARNING, 3 when a target cannot be read. A and B must be two targets of one engine whose \
                plugin offers a catalog (PostgreSQL).""";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("schema").hasArg().argName("NAME")
                        .desc("compare only this schema's objects (and the server-wide ones: settings, extensions, roles)").get())
                .addOption(Option.builder().longOpt("all-settings").desc("compare host-specific settings too (paths, ports, addresses)").get())
                .addOption(Option.builder("f").longOpt("format").hasArg().argName("text|json").desc("output format (default: text)").get())
                .addOption(Option.builder("t").longOpt("timeout").hasArg().argName("SECONDS")
                        .desc("give up reading after this many seconds (default 30)").get())
                .addOption(Option.builder().longOpt("no-color").desc("no colour in the text report").get());
    }

    @Override
    public int[] arity() {
        return new int[] {2, 2};
    }

    @Override
    public int run(CommandLine line, CommandContext context) throws Exception {
        String format = line.getOptionValue("format", "text").toLowerCase(Locale.ROOT);
        if (!format.equals("text") && !format.equals("json")) {
            throw DbtoolException.usage("--format: expected text or json, got '" + SafeText.oneLine(line.getOptionValue("format")) + "'");
        }
        Duration timeout = line.hasOption("timeout") ? timeout(line.getOptionValue("timeout")) : DEFAULT_TIMEOUT;
        String schema = line.getOptionValue("schema");
        if (schema != null && schema.isBlank()) {
            throw DbtoolException.usage("--schema: expected a schema name, got an empty one");
        }
        String nameA = line.getArgList().get(0);
        String nameB = line.getArgList().get(1);
        if (nameA.equals(nameB)) {
            throw DbtoolException.usage("diff: A and B are both '" + SafeText.oneLine(nameA) + "'; name two different targets");
        }
        TargetResolver resolver = new TargetResolver(context.config(), context.plugins());
        ResolvedTarget a = resolver.resolve(nameA);
        ResolvedTarget b = resolver.resolve(nameB);
        if (!a.target().engine().equals(b.target().engine())) {
            throw DbtoolException.usage("diff: " + SafeText.oneLine(a.target().name()) + " is " + a.plugin().displayName() + " and "
                    + SafeText.oneLine(b.target().name()) + " is " + b.plugin().displayName() + "; diff compares two targets of one engine");
        }
        if (sameDatabase(a, b)) {
            throw DbtoolException.usage("diff: " + SafeText.oneLine(a.target().name()) + " and " + SafeText.oneLine(b.target().name())
                    + " are the same database (" + a.target().host() + ":" + a.target().portOr(a.plugin().defaultPort()) + "/" + a.target().database()
                    + "); name two different targets");
        }
        Parity.Sides sides = new Parity.Sides(a.target().name(), b.target().name());
        Deadline deadline = Deadline.start(timeout);
        CredentialResolver credentials = new CredentialResolver(context.plugins().credentialProviders());
        // One after the other: either may prompt on the terminal.
        Credentials credentialsA = credentials.resolve(a, context.terminal());
        Credentials credentialsB = null;
        Report report;
        ExecutorService reader = Executors.newVirtualThreadPerTaskExecutor();
        try {
            credentialsB = credentials.resolve(b, context.terminal());
            try (EngineSession sessionA = a.plugin().open(a.target(), credentialsA, SessionSettings.defaults())) {
                if (!(sessionA instanceof CatalogSource source)) {
                    throw DbtoolException.usage("diff: the " + a.plugin().displayName() + " plugin offers no catalog to compare (its "
                            + "sessions do not implement dbtool.spi.CatalogSource)");
                }
                Future<Catalog> reference = reader.submit(() -> source.catalog(deadline.context()));
                ParityCheck check = new ParityCheck(reference, sides, new Parity.Scope(schema, line.hasOption("all-settings")));
                // The runner releases B's credentials when it is done.
                Credentials handed = credentialsB;
                credentialsB = null;
                report = new TroubleshootRunner(Version.get(), context.log()).run(new TroubleshootRunner.Request(b.target(), b.plugin(),
                        List.of(check), handed, timeout, Map.of(), deadline));
                reference.cancel(true);
            }
        } finally {
            reader.shutdownNow();
            credentialsA.release();
            if (credentialsB != null) {
                credentialsB.release();
            }
        }
        context.emit(format.equals("json") ? JsonReportWriter.toJson(report)
                : "reference: " + SafeText.oneLine(sides.reference()) + " (the statements make " + SafeText.oneLine(sides.target())
                + " like it)\n" + new TextReportRenderer(context.style(line.hasOption("no-color"))).render(report));
        return report.exitCode();
    }

    private static boolean sameDatabase(ResolvedTarget a, ResolvedTarget b) {
        Target x = a.target();
        Target y = b.target();
        return !x.host().isEmpty() && x.host().equalsIgnoreCase(y.host()) && x.portOr(a.plugin().defaultPort()) == y.portOr(b.plugin().defaultPort())
                && x.database().equals(y.database());
    }

    static Duration timeout(String value) {
        try {
            long seconds = Long.parseLong(value.strip());
            if (seconds >= 1 && seconds <= 3600) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw DbtoolException.usage("--timeout: expected a whole number of seconds between 1 and 3600, got '" + SafeText.oneLine(value) + "'");
    }
}
