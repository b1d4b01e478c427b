package dbtool.core.run;

import dbtool.core.DbtoolException;
import dbtool.core.log.RunLog;
import dbtool.core.report.CheckReport;
import dbtool.core.report.Report;
import dbtool.core.report.TargetInfo;
import dbtool.core.shell.MaskedPrompt;
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
import dbtool.spi.TraceContext;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
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

    /**
     * The shares of {@link Deadline#GRACE} after an overrun: how long a check may take to end once its
     * statement was cancelled (a live server answers a cancel at once), how long closing the session may
     * take, and the least a lease's revocation is given even when the session used up its share.
     */
    static final Duration CHECK_AFTER_CANCEL = Duration.ofMillis(300);
    static final Duration CLOSE_WAIT = Duration.ofMillis(300);
    static final Duration RELEASE_AFTER_DEADLINE = Duration.ofMillis(400);

    private final String toolVersion;
    private final RunLog log;
    private final PendingReleases pending;
    /** The spans' destination; null until the first run, then the process's (read only when a run starts). */
    private Tracing tracing;

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

    /**
     * A runner whose spans go to {@code tracing} rather than to the process's (tests of the tracing module).
     *
     * @param tracing where the run's spans go
     */
    public TroubleshootRunner(String toolVersion, RunLog log, Tracing tracing) {
        this(toolVersion, log);
        this.tracing = tracing;
    }

    /**
     * What to run and how.
     *
     * @param deadline the run's deadline, started before the credentials were fetched so that they count
     *                 against it; without one, the deadline starts now
     */
    public record Request(Target target, EnginePlugin plugin, List<Check> checks, Credentials credentials,
                          Duration timeout, Map<String, String> thresholds, Deadline deadline) {
        public Request {
            if (deadline == null) {
                deadline = Deadline.start(timeout);
            } else if (!deadline.timeout().equals(timeout)) {
                throw new IllegalArgumentException("timeout " + timeout + " differs from the deadline's " + deadline.timeout());
            }
        }

        public Request(Target target, EnginePlugin plugin, List<Check> checks, Credentials credentials, Duration timeout,
                       Map<String, String> thresholds) {
            this(target, plugin, checks, credentials, timeout, thresholds, null);
        }
    }

    /** The user interrupted the run (Ctrl-C in the shell), or cancelled a masked prompt. */
    public static final class Interrupted extends RuntimeException {
        public Interrupted() {
            super("interrupted");
        }

        /** @param cause the interrupted call's failure; a cancel at a masked prompt reads "cancelled" */
        public Interrupted(Throwable cause) {
            super(MaskedPrompt.cancelled(cause) ? "cancelled" : "interrupted", cause);
        }
    }

    public Report run(Request request) {
        return run(request, null);
    }

    /**
     * Runs the request as a span of the caller's trace.
     *
     * @param parent the trace this troubleshoot belongs to (an alert's traceparent), or null: then the
     *               process's {@code TRACEPARENT}, if any
     */
    public Report run(Request request, TraceContext parent) {
        if (tracing == null) {
            tracing = Tracing.process();
        }
        TraceSpan span = tracing.start(RunSpans.TROUBLESHOOT, parent);
        RunSpans.describe(span, request.target());
        try {
            Report report = runTraced(request, span);
            RunSpans.describe(span, report);
            return report;
        } catch (RuntimeException e) {
            span.fail(e instanceof Interrupted ? "interrupted" : "failed");
            throw e;
        } finally {
            span.end();
        }
    }

    private Report runTraced(Request request, TraceSpan span) {
        Deadline deadline = request.deadline();
        SessionSettings settings = settingsFor(deadline.remaining());
        // Synchronized: a contributed check reads it (RunSoFar) on its own thread while the runner adds to it.
        List<CheckReport> reports = Collections.synchronizedList(new ArrayList<>());
        CheckContext context = new RunContext(deadline.at(), request.thresholds(), request.target(), reports);
        String name = request.target().name();
        try {
            // Inside the try: nothing may stand between the credentials and their release.
            log.info(name + ": " + request.plugin().id() + " target, " + request.checks().size() + (request.checks().size() == 1 ? " check" : " checks") + ", deadline "
                    + seconds(request.timeout()) + ", credentials: " + describe(request.credentials()));
            Report report = runChecks(request, deadline, context, settings, reports, span);
            log.info(name + ": " + report.status() + " in " + deadline.elapsedMillis() + " ms");
            return report;
        } finally {
            release(name, request.credentials(), deadline);
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
     * would leave the lease. The runner waits for it through interrupts, and restores the interrupt flag
     * afterwards: up to {@link #RELEASE_WAIT}, but never past the deadline's grace (a Vault that does not
     * answer must not hold the run), and at least {@link #RELEASE_AFTER_DEADLINE} (a Vault that answers
     * revokes the lease even when a frozen database used up the rest of the grace). A release it gives up
     * on is no longer pending: the shutdown hook does not wait for it a second time.
     */
    private void release(String target, Credentials credentials, Deadline deadline) {
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
        long now = System.nanoTime();
        long end = Math.min(now + RELEASE_WAIT.toNanos(),
                Math.max(deadline.graceEndNanos(), now + RELEASE_AFTER_DEADLINE.toNanos()));
        boolean finished = !releasing.isAlive();
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
            // Given up: the release goes on in the background as long as the process lives (in the shell),
            // but nothing waits for it any more, the shutdown hook included.
            pending.done(credentials);
            String waited = millisSince(now) + " ms";
            System.err.println("dbtool: " + target + ": the credentials' release (e.g. revoking a Vault lease) did not finish"
                    + " within " + waited + " (the deadline of " + seconds(deadline.timeout()) + " and its grace); going on without"
                    + " waiting: a lease not revoked stays until its TTL ends");
            log.warn(target + ": credentials release still running after " + waited);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private Report runChecks(Request request, Deadline deadline, CheckContext context, SessionSettings settings,
                             List<CheckReport> reports, TraceSpan span) {
        // Not closed with try-with-resources: close() would wait for every task, and a task stuck on a
        // frozen server would hold the run. Tasks still running at the end are interrupted and abandoned.
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        try {
            EngineSession session;
            long openStart = System.nanoTime();
            // The session handed over to the runner, or ABANDONED once it gave up waiting: a session
            // that open() returns after that is closed by the task (no connection outlives the run).
            AtomicReference<Object> handover = new AtomicReference<>();
            try {
                if (deadline.passed()) {
                    // Fetching the credentials used up the deadline: no session is opened at all.
                    throw new CheckFailure("did not finish before the deadline", true);
                }
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
                if (failure.timedOut) {
                    // Out of time, not a failed session: nothing is known about the target (UNKNOWN, not CRITICAL).
                    String reason = "not run: the deadline of " + seconds(request.timeout())
                            + " was reached before a session was open (raise it with --timeout)";
                    request.checks().forEach(c -> reports.add(CheckReport.unknown(c.id(), c.category(), 0, reason)));
                    return report(request, deadline, reports);
                }
                reports.add(sessionFailed(failure.getMessage(), millisSince(openStart)));
                request.checks().forEach(c -> reports.add(CheckReport.unknown(c.id(), c.category(), 0,
                        "not run: no session with the target")));
                return report(request, deadline, reports);
            } finally {
                request.credentials().close();
            }
            log.info(request.target().name() + ": session open after " + millisSince(openStart) + " ms");
            try {
                for (Check check : request.checks()) {
                    if (deadline.passed()) {
                        reports.add(CheckReport.unknown(check.id(), check.category(), 0,
                                "not run: the deadline of " + seconds(request.timeout()) + " was reached"));
                        continue;
                    }
                    TraceSpan checkSpan = span.child(RunSpans.CHECK + check.id()).set("dbtool.check.id", check.id());
                    CheckReport report = null;
                    try {
                        report = runOne(executor, session, check, context, deadline);
                    } finally {
                        if (report != null) {
                            RunSpans.describe(checkSpan, report);
                        }
                        checkSpan.end();
                    }
                    if (report == null) {
                        continue; // skipped: logged by runOne
                    }
                    logCheck(request.target().name(), report);
                    reports.add(report);
                }
            } finally {
                close(request.target().name(), session);
            }
        } finally {
            executor.shutdownNow();
        }
        return report(request, deadline, reports);
    }

    /**
     * Closes the session on a thread of its own and waits for it at most {@link #CLOSE_WAIT}: closing
     * talks to the server (a goodbye message, a session delete over HTTPS), and a frozen server must
     * not hold the run. A close still running then finishes, or fails, on its own.
     */
    private void close(String target, EngineSession session) {
        if (session == null) {
            return;
        }
        if (!runWithin("dbtool-close", () -> closeQuietly(session), System.nanoTime() + CLOSE_WAIT.toNanos())) {
            log.warn(target + ": closing the session did not finish within " + CLOSE_WAIT.toMillis() + " ms; not waiting for it");
        }
    }

    /**
     * Runs an action that may wait on the network (a cancel, a close) on a virtual thread of its own,
     * which never keeps the process alive, and waits for it until {@code endNanos}, through interrupts
     * (the flag is restored).
     *
     * @return whether the action finished in time
     */
    private static boolean runWithin(String name, Runnable action, long endNanos) {
        Thread thread = Thread.ofVirtual().name(name).start(action);
        boolean interrupted = Thread.interrupted();
        try {
            while (true) {
                long left = endNanos - System.nanoTime();
                if (left <= 0) {
                    return !thread.isAlive();
                }
                try {
                    if (thread.join(Duration.ofNanos(left))) {
                        return true;
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static final Object ABANDONED = new Object();

    private static void closeQuietly(EngineSession session) {
        try {
            session.close();
        } catch (Exception ignored) {
            // a session nobody waits for any more: closing it is all that is left to do
        }
    }

    /** The check's report, or null when a contributed check skipped itself ({@link CheckSkipped}). */
    private CheckReport runOne(ExecutorService executor, EngineSession session, Check check, CheckContext context,
                               Deadline deadline) {
        Duration timeout = deadline.timeout();
        long start = System.nanoTime();
        try {
            CheckResult result = await(executor.submit(() -> check.run(session, context)), deadline, session);
            if (result == null) {
                return CheckReport.unknown(check.id(), check.category(), millisSince(start), "the check returned no result");
            }
            return new CheckReport(check.id(), check.category(), result.status(), millisSince(start), null,
                    result.metrics(), result.findings(), check.counters());
        } catch (CheckSkipped skipped) {
            log.info(check.id() + ": skipped: " + reason(skipped));
            return null;
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

    /**
     * Waits for a task until the deadline. When it overruns, the session's statement is cancelled (on a
     * thread of its own: a cancel is a network call too, which a frozen server never answers), the task
     * gets {@link #CHECK_AFTER_CANCEL} to end with the cancel's error, and is then interrupted, which
     * closes a virtual thread's blocking socket.
     */
    private static <T> T await(Future<T> future, Deadline deadline, EngineSession session) {
        long waitNanos = Math.max(0, deadline.remaining().toNanos());
        try {
            return future.get(waitNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            String where = null;
            if (session != null) {
                where = activity(session);
                cancelInBackground(session);
                awaitEnd(future, CHECK_AFTER_CANCEL);
            }
            future.cancel(true);
            throw new CheckFailure("did not finish before the deadline", true, where);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CheckSkipped skipped) {
                throw skipped;
            }
            if (session == null && e.getCause() instanceof ConfigurationException) {
                throw new CheckFailure(reason(e.getCause()), false, true);
            }
            throw new CheckFailure(reason(e.getCause()), false);
        } catch (CancellationException e) {
            throw new CheckFailure("cancelled", false);
        } catch (InterruptedException e) {
            if (session != null) {
                cancelInBackground(session);
            }
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new Interrupted();
        }
    }

    private static void cancelInBackground(EngineSession session) {
        Thread.ofVirtual().name("dbtool-cancel").start(() -> {
            try {
                session.cancel();
            } catch (RuntimeException ignored) {
                // best effort: the server-side statement timeout ends the statement anyway
            }
        });
    }

    /** Waits up to {@code wait} for a task to end, whatever its outcome; interrupts are kept for later. */
    private static void awaitEnd(Future<?> future, Duration wait) {
        boolean interrupted = Thread.interrupted();
        long end = System.nanoTime() + wait.toNanos();
        try {
            while (!future.isDone()) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                try {
                    future.get(left, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException | CancellationException | TimeoutException e) {
                    return;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
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

    private Report report(Request request, Deadline deadline, List<CheckReport> reports) {
        Target target = request.target();
        int port = target.portOr(request.plugin().defaultPort());
        TargetInfo info = new TargetInfo(target.name(), target.engine(), target.host(), port > 0 ? port : null, target.database());
        return Report.of(toolVersion, info, deadline.startedAt(), deadline.elapsedMillis(), reports);
    }

    /**
     * Statement and connect timeouts never longer than what is left of the run (fetching credentials may
     * have used some): rounded up to 100 ms, and never zero, which some servers read as "no limit".
     */
    private static SessionSettings settingsFor(Duration remaining) {
        Duration timeout = Duration.ofMillis(Math.max(100, (remaining.toMillis() + 99) / 100 * 100));
        SessionSettings defaults = SessionSettings.defaults();
        Duration statement = timeout.compareTo(defaults.statementTimeout()) < 0 ? timeout : defaults.statementTimeout();
        Duration connect = timeout.compareTo(defaults.connectTimeout()) < 0 ? timeout : defaults.connectTimeout();
        return new SessionSettings(defaults.applicationName(), connect, statement, defaults.lockTimeout());
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    /** 10 s, 0.3 s, 0.01 s: as precise as the user's --timeout, never rounded to "0.0 s". */
    static String seconds(Duration duration) {
        return BigDecimal.valueOf(duration.toMillis(), 3).stripTrailingZeros().toPlainString() + " s";
    }

    /** The reports list is the run's own, filled one check at a time; checks run one after another. */
    private record RunContext(Instant deadline, Map<String, String> settings, Target target, List<CheckReport> reports)
            implements RunSoFar {
        RunContext {
            settings = Map.copyOf(settings);
        }

        @Override
        public List<CheckReport> reportsSoFar() {
            synchronized (reports) {
                return List.copyOf(reports);
            }
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
