package dbtool.core.run;

import dbtool.core.DbtoolException;
import dbtool.core.log.RunLog;
import dbtool.core.report.FleetReport;
import dbtool.core.report.Report;
import dbtool.spi.Redaction;
import dbtool.spi.Severity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Troubleshoots many targets in one process: each on its own virtual thread, at most
 * {@code parallel} at a time (so at most that many connections are open at once), each with its
 * own deadline. A target that cannot even be resolved is reported UNKNOWN with the reason.
 */
public final class FleetRunner {

    private final String toolVersion;
    private final int parallel;
    private final RunLog log;

    public FleetRunner(String toolVersion, int parallel) {
        this(toolVersion, parallel, RunLog.off());
    }

    public FleetRunner(String toolVersion, int parallel, RunLog log) {
        this.toolVersion = toolVersion;
        this.parallel = parallel;
        this.log = log;
    }

    /** How one target turns into a runner request; throws DbtoolException for a target that cannot be run. */
    public interface Planner extends Function<String, TroubleshootRunner.Request> {
    }

    public FleetReport run(List<String> targets, Planner planner) {
        Instant started = Instant.now();
        long start = System.nanoTime();
        Semaphore slots = new Semaphore(parallel);
        List<Future<FleetReport.Entry>> futures = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String target : targets) {
                futures.add(executor.submit(() -> {
                    slots.acquire();
                    try {
                        return runOne(target, planner);
                    } finally {
                        slots.release();
                    }
                }));
            }
            List<FleetReport.Entry> entries = new ArrayList<>();
            for (int i = 0; i < futures.size(); i++) {
                try {
                    entries.add(futures.get(i).get());
                } catch (ExecutionException e) {
                    entries.add(new FleetReport.Entry(targets.get(i), Severity.UNKNOWN,
                            TroubleshootRunner.reason(e.getCause()), null));
                } catch (InterruptedException e) {
                    executor.shutdownNow();
                    Thread.currentThread().interrupt();
                    throw new TroubleshootRunner.Interrupted();
                }
            }
            return FleetReport.of(toolVersion, started, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), parallel, entries);
        }
    }

    private FleetReport.Entry runOne(String target, Planner planner) {
        TroubleshootRunner.Request request;
        try {
            request = planner.apply(target);
        } catch (DbtoolException e) {
            // The target as given may be a near miss of a URL with a password in it: shown redacted.
            String shown = Redaction.redact(target);
            log.error(shown + ": " + e.getMessage());
            return new FleetReport.Entry(shown, Severity.UNKNOWN, e.getMessage(), null);
        }
        Report report = new TroubleshootRunner(toolVersion, log).run(request);
        return new FleetReport.Entry(request.target().name(), report.status(), null, report);
    }

    /** The default bound on concurrent targets. */
    public static final int DEFAULT_PARALLEL = 16;

    /** Validates {@code --parallel}. */
    public static int parallel(String value) {
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= 1 && parsed <= 1024) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // message below
        }
        throw DbtoolException.usage("--parallel: expected a whole number from 1 to 1024, got '" + value + "'");
    }
}
