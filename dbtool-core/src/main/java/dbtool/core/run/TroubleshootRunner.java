package dbtool.core.run;

import dbtool.core.DbtoolException;
import dbtool.core.log.RunLog;
import dbtool.core.report.CheckReport;
import dbtool.core.report.Report;
import dbtool.core.report.TargetInfo;
import dbtool.spi.Check;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.ConfigurationException;
import dbtool.spi.Credentials;
import dbtool.spi.EnginePlugin;
import dbtool.spi.EngineSession;
import dbtool.spi.Finding;
import dbtool.spi.SessionSettings;
import dbtool.spi.Severity;
import dbtool.spi.Target;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the selected checks of one target against one session, one after another, under one
 * shared deadline. A check that throws or overruns becomes UNKNOWN with its reason and the
 * others still report; once the deadline has passed, the remaining checks are listed as not run.
 */
public final class TroubleshootRunner {

    /** How long the runner waits for a release (revoking a lease) before it goes on without it. */
    static final Duration RELEASE_WAIT = Duration.ofSeconds(5);

    private final String toolVersion;
    private final RunLog log;
    private final PendingReleases pending;

    public TroubleshootRunner(String toolVersion) {
        this(toolVersion, RunLog.off());
    }

    /** @param log where each session and check outcome is recorded ({@code DBTOOL_LOG}) */
    public TroubleshootRunner(String toolVersion, RunLog log) {
        this(toolVersion, log, PendingReleases.process());
    }

    TroubleshootRunner(String toolVersion, RunLog log, PendingReleases pending) {
        this.toolVersion = toolVersion;
        this.log = log;
        this.pending = pending;
    }

    /** What to run and how. */
    public record Request(Target target, EnginePlugin plugin, List<Check> checks, Credentials credentials,
                          Duration timeout, Map<String, String> thresholds) {
    }

    /** The user interrupted the run (Ctrl-C in the shell). */
    public static final class Interrupted extends RuntimeException {
        public Interrupted() {
            super("interrupted");
        }
    }

    public Report run(Request request) {
        Instant started = Instant.now();
        long startNanos = System.nanoTime();
        Instant deadline = started.plus(request.timeout());
        CheckContext context = new RunContext(deadline, request.thresholds());
        SessionSettings settings = settingsFor(request.timeout());
        List<CheckReport> reports = new ArrayList<>();
        String name = request.target().name();
        try {
            // Inside the try: nothing may stand between the credentials and their release.
            log.info(name + ": " + request.plugin().id() + " target, " + request.checks().size() + (request.checks().size() == 1 ? " check" : " checks") + ", deadline "
                    + seconds(request.timeout()) + ", credentials: " + describe(request.credentials()));
            Report report = runChecks(request, started, startNanos, deadline, context, settings, reports);
            log.info(name + ": " + report.status() + " in " + millisSince(startNanos) + " ms");
            return report;
        } finally {
            release(name, request.credentials());
        }
    }

    private static String describe(Credentials credentials) {
        String source = credentials.source();
        return source == null || source.isBlank() ? "none (the engine's own conventions)" : source;
    }

    /**
     * Revokes what the credentials lease (e.g. a Vault database role) now that the session is closed.
     * The release runs on a thread of its own: after Ctrl-C the shell's thread is interrupted (and a
     * second Ctrl-C interrupts it again), and an interrupted thread's HTTP call fails at once, which
     * would leave the lease. The runner waits for it up to {@link #RELEASE_WAIT}, through interrupts,
     * and restores the interrupt flag afterwards.
     */
    private void release(String target, Credentials credentials) {
        Thread releasing = Thread.ofPlatform().daemon().name("dbtool-release").start(() -> {
            try {
                credentials.release();
            } catch (RuntimeException e) {
                System.err.println("dbtool: " + reason(e));
                log.warn(target + ": releasing credentials failed: " + reason(e));
            } finally {
                pending.done(credentials);
            }
        });
        boolean interrupted = Thread.interrupted();
        long end = System.nanoTime() + RELEASE_WAIT.toNanos();
        boolean finished = false;
        while (!finished) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                finished = releasing.join(Duration.ofNanos(left));
            } catch (InterruptedException e) {
                interrupted = true; // a second Ctrl-C: the release goes on, and so does the wait
            }
        }
        if (!finished) {
            // Still pending: the shutdown hook waits for it (or reports it) if the process ends now.
            System.err.println("dbtool: " + target + ": the credentials' release is still running after "
                    + seconds(RELEASE_WAIT) + "; going on without waiting");
            log.warn(target + ": credentials release still running after " + seconds(RELEASE_WAIT));
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private Report runChecks(Request request, Instant started, long startNanos, Instant deadline, CheckContext context,
                             SessionSettings settings, List<CheckReport> reports) {
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            EngineSession session;
            long openStart = System.nanoTime();
            // The session handed over to the runner, or ABANDONED once it gave up waiting: a session
            // that open() returns after that is closed by the task (no connection outlives the run).
            AtomicReference<Object> handover = new AtomicReference<>();
            try {
                session = await(executor.submit(() -> {
                    EngineSession opened = request.plugin().open(request.target(), request.credentials(), settings);
                    if (opened != null && !handover.compareAndSet(null, opened)) {
                        closeQuietly(opened);
                    }
                    return opened;
                }), deadline, null);
            } catch (CheckFailure | Interrupted gaveUp) {
                if (handover.getAndSet(ABANDONED) instanceof EngineSession late) {
                    closeQuietly(late);
                }
                if (gaveUp instanceof Interrupted interrupted) {
                    throw interrupted;
                }
                CheckFailure failure = (CheckFailure) gaveUp;
                log.error(request.target().name() + ": no session after " + millisSince(openStart) + " ms: " + failure.getMessage());
                if (failure.configuration) {
                    // The target cannot work as configured: a configuration error (exit 78), not a diagnosis.
                    throw DbtoolException.config(failure.getMessage());
                }
                reports.add(sessionFailed(failure.getMessage(), millisSince(openStart)));
                request.checks().forEach(c -> reports.add(CheckReport.unknown(c.id(), c.category(), 0,
                        "not run: no session with the target")));
                return report(request, started, startNanos, reports);
            } finally {
                request.credentials().close();
            }
            log.info(request.target().name() + ": session open after " + millisSince(openStart) + " ms");
            try (session) {
                for (Check check : request.checks()) {
                    if (!Instant.now().isBefore(deadline)) {
                        reports.add(CheckReport.unknown(check.id(), check.category(), 0,
                                "not run: the deadline of " + seconds(request.timeout()) + " was reached"));
                        continue;
                    }
                    CheckReport report = runOne(executor, session, check, context, request.timeout());
                    logCheck(request.target().name(), report);
                    reports.add(report);
                }
            }
        }
        return report(request, started, startNanos, reports);
    }

    private static final Object ABANDONED = new Object();

    private static void closeQuietly(EngineSession session) {
        try {
            session.close();
        } catch (Exception ignored) {
            // a session nobody waits for any more: closing it is all that is left to do
        }
    }

    private CheckReport runOne(ExecutorService executor, EngineSession session, Check check, CheckContext context,
                               Duration timeout) {
        long start = System.nanoTime();
        try {
            CheckResult result = await(executor.submit(() -> check.run(session, context)), context.deadline(), session);
            if (result == null) {
                return CheckReport.unknown(check.id(), check.category(), millisSince(start), "the check returned no result");
            }
            return new CheckReport(check.id(), check.category(), result.status(), millisSince(start), null,
                    result.metrics(), result.findings());
        } catch (CheckFailure failure) {
            String reason = failure.timedOut
                    ? "did not finish before the deadline of " + seconds(timeout) + " (raise it with --timeout)"
                    + (failure.where == null ? "" : ": " + failure.where)
                    : failure.getMessage();
            return CheckReport.unknown(check.id(), check.category(), millisSince(start), reason);
        }
    }

    private void logCheck(String target, CheckReport report) {
        if (!log.enabled()) {
            return;
        }
        StringBuilder line = new StringBuilder(target + ": check " + report.id() + " " + report.status() + " in "
                + report.durationMs() + " ms");
        if (report.error() != null) {
            line.append(": ").append(report.error());
        }
        if (!report.findings().isEmpty()) {
            line.append("; findings: ").append(String.join(", ", report.findings().stream()
                    .map(f -> f.code() + " " + f.severity()).toList()));
        }
        log.info(line.toString());
    }

    /** Waits for a task until the deadline; cancels the session's statement when it overruns. */
    private static <T> T await(Future<T> future, Instant deadline, EngineSession session) {
        long waitNanos = Math.max(0, Duration.between(Instant.now(), deadline).toNanos());
        try {
            return future.get(waitNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            String where = null;
            if (session != null) {
                where = activity(session);
                session.cancel();
            }
            future.cancel(true);
            throw new CheckFailure("did not finish before the deadline", true, where);
        } catch (ExecutionException e) {
            if (session == null && e.getCause() instanceof ConfigurationException) {
                throw new CheckFailure(reason(e.getCause()), false, true);
            }
            throw new CheckFailure(reason(e.getCause()), false);
        } catch (CancellationException e) {
            throw new CheckFailure("cancelled", false);
        } catch (InterruptedException e) {
            if (session != null) {
                session.cancel();
            }
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new Interrupted();
        }
    }

    /** One line: the exception's message, or its type when it has none. Never a stack trace. */
    public static String reason(Throwable error) {
        if (error == null) {
            return "failed";
        }
        String message = error.getMessage();
        if (message == null || message.isBlank()) {
            return error.getClass().getSimpleName();
        }
        return oneLine(message);
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s+", " ").trim();
    }

    private static CheckReport sessionFailed(String reason, long durationMs) {
        Finding finding = Finding.of("SESSION_FAILED", Severity.CRITICAL, "Could not open a session with the target")
                .detail(reason)
                .recommendation("Check the URL, the credentials and that the server is reachable; "
                        + "'dbtool troubleshoot TARGET --check connectivity' diagnoses each stage.")
                .build();
        return new CheckReport("session", "connectivity", Severity.CRITICAL, durationMs, reason, Map.of(), List.of(finding));
    }

    private Report report(Request request, Instant started, long startNanos, List<CheckReport> reports) {
        Target target = request.target();
        int port = target.portOr(request.plugin().defaultPort());
        TargetInfo info = new TargetInfo(target.name(), target.engine(), target.host(), port > 0 ? port : null, target.database());
        return Report.of(toolVersion, info, started, millisSince(startNanos), reports);
    }

    /** Statement timeouts never longer than the whole run. */
    private static SessionSettings settingsFor(Duration timeout) {
        SessionSettings defaults = SessionSettings.defaults();
        Duration statement = timeout.compareTo(defaults.statementTimeout()) < 0 ? timeout : defaults.statementTimeout();
        Duration connect = timeout.compareTo(defaults.connectTimeout()) < 0 ? timeout : defaults.connectTimeout();
        return new SessionSettings(defaults.applicationName(), connect, statement, defaults.lockTimeout());
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    private static String seconds(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format("%.1f s", millis / 1000.0);
    }

    private record RunContext(Instant deadline, Map<String, String> settings) implements CheckContext {
        RunContext {
            settings = Map.copyOf(settings);
        }
    }

    /** What the session says it was doing when the deadline came, on one line; null when it does not say (or fails to). */
    private static String activity(EngineSession session) {
        try {
            return session.activity().map(TroubleshootRunner::oneLine).filter(text -> !text.isEmpty()).orElse(null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static final class CheckFailure extends RuntimeException {
        private final boolean timedOut;
        private final boolean configuration;
        /** Where the session was when the deadline ended the check, or null. */
        private final String where;

        CheckFailure(String message, boolean timedOut) {
            this(message, timedOut, false);
        }

        CheckFailure(String message, boolean timedOut, String where) {
            super(message, null, false, false);
            this.timedOut = timedOut;
            this.configuration = false;
            this.where = where;
        }

        CheckFailure(String message, boolean timedOut, boolean configuration) {
            super(message, null, false, false);
            this.timedOut = timedOut;
            this.configuration = configuration;
            this.where = null;
        }
    }
}
