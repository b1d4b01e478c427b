package dbtool.logs;

import dbtool.core.DbtoolException;
import dbtool.core.ExitCodes;
import dbtool.core.Version;
import dbtool.core.cli.CommandContext;
import dbtool.core.cli.TroubleshootPlanner;
import dbtool.core.report.CheckReport;
import dbtool.core.report.Report;
import dbtool.core.run.TargetResolver;
import dbtool.core.run.TargetUrls;
import dbtool.core.run.TroubleshootRunner;
import dbtool.spi.Check;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.EngineSession;
import dbtool.spi.Finding;
import dbtool.spi.LogSource;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code dbtool logs TARGET}: the server's log read over a session, resolved and opened exactly as
 * {@code troubleshoot} does (target, plugin, credentials, read-only session, deadline), by running one
 * check that keeps what {@link LogSource#readLog} returned.
 */
final class TargetLog {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private TargetLog() {
    }

    /** Whether the argument names a target rather than a file: a URL, or a configured name that is no file here. */
    static boolean isTarget(String argument, CommandContext context) {
        if (argument.equals("-")) {
            return false;
        }
        if (TargetUrls.isUrl(argument)) {
            return true;
        }
        try {
            if (Files.exists(Path.of(argument))) {
                return false;
            }
        } catch (InvalidPathException e) {
            // not a file name: maybe a target
        }
        return context.config().target(argument).isPresent();
    }

    static LogSource.ServerLog read(String nameOrUrl, long maxBytes, CommandContext context) {
        Capture capture = new Capture(maxBytes);
        TroubleshootRunner.Request request = TroubleshootPlanner.plan(new TargetResolver(context.config(), context.plugins()).resolve(nameOrUrl), plugin -> List.of(capture), TIMEOUT,
                context, context.terminal());
        Report report = new TroubleshootRunner(Version.get(), context.log()).run(request);
        if (capture.log != null) {
            return capture.log;
        }
        String target = report.target().name();
        if (capture.unreadable != null) {
            throw DbtoolException.config(target + ": the server log cannot be read: " + capture.unreadable);
        }
        throw new DbtoolException(ExitCodes.UNKNOWN, target + ": the server log was not read: " + why(report));
    }

    /** The first error or finding the run reported: the session that did not open, the check that failed. */
    private static String why(Report report) {
        for (CheckReport check : report.checks()) {
            if (check.error() != null) {
                return check.error();
            }
            for (Finding finding : check.findings()) {
                return finding.title();
            }
        }
        return "no reason given";
    }

    /** The one check of a {@code logs TARGET} run: reads the log and keeps it. */
    private static final class Capture implements Check {
        private final long maxBytes;
        private volatile LogSource.ServerLog log;
        private volatile String unreadable;

        Capture(long maxBytes) {
            this.maxBytes = maxBytes;
        }

        @Override
        public String id() {
            return "read-server-log";
        }

        @Override
        public String category() {
            return "logs";
        }

        @Override
        public String description() {
            return "reads the server's log over the session";
        }

        @Override
        public CheckResult run(EngineSession session, CheckContext context) throws Exception {
            if (!(session instanceof LogSource source)) {
                unreadable = "this engine's plugin offers no reading of the server log; give the log file instead";
                return CheckResult.healthy();
            }
            try {
                log = source.readLog(maxBytes, context);
            } catch (LogSource.Unreadable e) {
                unreadable = e.getMessage();
            }
            return CheckResult.healthy();
        }
    }
}
