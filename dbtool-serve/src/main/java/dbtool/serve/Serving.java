package dbtool.serve;

import dbtool.core.DbtoolException;
import dbtool.core.ExitCodes;
import dbtool.core.Signals;
import dbtool.core.Version;
import dbtool.core.cli.CommandContext;
import dbtool.core.cli.FleetTargets;
import dbtool.core.cli.TroubleshootCommand;
import dbtool.core.config.Config;
import dbtool.core.report.TraceLinks;
import dbtool.core.run.CheckSelection;
import dbtool.core.run.FleetRunner;
import dbtool.core.run.PendingReleases;
import dbtool.core.run.TroubleshootRunner;
import dbtool.serve.alert.AlertEndpoints;
import dbtool.serve.http.HttpService;
import dbtool.serve.http.Response;
import dbtool.serve.http.Route;
import dbtool.serve.metrics.MetricsEndpoint;
import dbtool.serve.metrics.ServeMetrics;
import dbtool.serve.schedule.Sample;
import dbtool.serve.schedule.Scheduler;
import dbtool.serve.schedule.ServeState;
import dbtool.serve.schedule.Shard;
import dbtool.serve.store.StoredServeState;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.commons.cli.CommandLine;

/**
 * One running {@code dbtool serve}: the scheduler and the HTTP server over one state. Started from
 * the parsed command line; {@link #close()} is the SIGTERM drain.
 */
final class Serving implements AutoCloseable {

    /** How long SIGTERM waits for runs in progress; below the 10 s Kubernetes and systemd give by default. */
    static final Duration DRAIN = Duration.ofSeconds(8);

    private final Scheduler scheduler;
    private final HttpService http;
    private final ServeState state;
    private final Consumer<String> log;
    private final AlertEndpoints alerts;
    private final AutoCloseable hangup;

    private Serving(Scheduler scheduler, HttpService http, ServeState state, Consumer<String> log, AlertEndpoints alerts,
                    AutoCloseable hangup) {
        this.scheduler = scheduler;
        this.http = http;
        this.state = state;
        this.log = log;
        this.alerts = alerts;
        this.hangup = hangup;
    }

    static Serving start(CommandLine line, CommandContext context) throws IOException {
        ListenAddress listen = ListenAddress.parse(line.getOptionValue("listen", ListenAddress.DEFAULT));
        Duration interval = line.hasOption("interval") ? Durations.parse("--interval", line.getOptionValue("interval")) : ServeCommand.DEFAULT_INTERVAL;
        Shard shard = line.hasOption("shard") ? Shard.parse(line.getOptionValue("shard")) : Shard.ALL;
        int parallel = line.hasOption("parallel") ? FleetRunner.parallel(line.getOptionValue("parallel")) : FleetRunner.DEFAULT_PARALLEL;
        String checks = line.getOptionValue("check");
        if (checks != null) {
            CheckSelection.wanted(checks); // a --check that names nothing fails before the server starts
        }
        Duration timeout = line.hasOption("timeout") ? Durations.seconds("--timeout", line.getOptionValue("timeout")) : null;
        if (timeout != null && timeout.compareTo(interval) > 0) {
            throw DbtoolException.usage("--timeout " + line.getOptionValue("timeout")
                    + ": longer than --interval; a run would still be going when the next is due");
        }
        ServeSecurity security = ServeSecurity.from(line, context.environment(), listen);
        Consumer<String> accessLog = AccessLog.open(line.getOptionValue("access-log", "-"), context.err());
        Consumer<String> log = message -> {
            context.err().println("dbtool serve: " + message);
            context.log().info("serve: " + message);
        };
        Targets targets = new Targets(line.getOptionValue("tag"), shard);
        Config config = context.config();
        List<String> served = targets.select(config);

        AtomicReference<Config> current = new AtomicReference<>(config); // the alert intake maps with the reloaded rules
        AlertEndpoints alerts = AlertEndpoints.open(context, current::get, Clock.systemUTC(), log);
        ServeState state;
        HttpService http;
        try {
            state = StoredServeState.load(alerts.store(), served, log);
            http = new HttpService(listen.socket(), security.tls(), security.auth(), accessLog, log);
        } catch (BindException e) {
            alerts.close();
            throw new DbtoolException(ExitCodes.CANT_CREATE, "--listen " + listen.socket().getHostString() + ":"
                    + listen.socket().getPort() + ": cannot listen there (" + e.getMessage() + ")");
        } catch (IOException | RuntimeException e) {
            alerts.close(); // a store that cannot be read (78) leaves no connection behind
            throw e;
        }
        TroubleshootRunner runner = new TroubleshootRunner(Version.get(), context.log());
        Scheduler scheduler = new Scheduler(state, interval, parallel, probe(config, checks, timeout, context, runner), log);
        Reload reload = new Reload(context, targets, loaded -> {
            current.set(loaded);
            scheduler.serve(targets.select(loaded), probe(loaded, checks, timeout, context, runner));
        }, log);
        MetricsEndpoint metrics = new MetricsEndpoint(state::all,
                () -> new ServeMetrics.ServerCounters(scheduler.runs(), scheduler.inProgress(), http.answeredByStatus()));
        List<Route> routes = new ArrayList<>();
        routes.add(Route.get("/metrics", Route.Access.PUBLIC, metrics::handle));
        routes.addAll(new StatusEndpoints(state, scheduler::targets).routes());
        routes.add(Route.post("/-/reload", Route.Access.PROTECTED, request -> Response.json(200, reload.run())));
        routes.addAll(alerts.routes());
        http.add(routes);

        scheduler.serve(served, probe(config, checks, timeout, context, runner));
        http.start();
        if (served.isEmpty()) {
            log.accept("no target to check: configure targets in " + context.environment().configFile()
                    + (line.hasOption("shard") ? " (or this shard has none)" : "") + ", then reload");
        }
        log.accept("listening on " + (security.tls() == null ? "http" : "https") + "://" + http.address().getHostString() + ":"
                + http.address().getPort() + "; " + served.size() + (served.size() == 1 ? " target" : " targets")
                + (shard.equals(Shard.ALL) ? "" : " (shard " + shard + ")") + " every " + Durations.format(interval)
                + "; credentials for /api: " + security.auth());
        AutoCloseable hangup = Signals.on(() -> Thread.ofVirtual().start(() -> {
            try {
                reload.run();
            } catch (RuntimeException e) {
                // logged by the reload itself; the previous configuration stays
            }
        }), "HUP");
        return new Serving(scheduler, http, state, log, alerts, hangup);
    }

    InetSocketAddress address() {
        return http.address();
    }

    ServeState state() {
        return state;
    }

    /**
     * The SIGTERM drain: scrapes keep being answered while runs in progress finish (each releases its
     * credentials, revoking Vault leases, as it ends); then the server stops and any release still pending
     * is made.
     */
    @Override
    public void close() {
        log.accept("stopping: waiting up to " + DRAIN.toSeconds() + " s for " + scheduler.inProgress() + " run(s) in progress");
        long stopping = System.nanoTime();
        try {
            int unfinished = scheduler.stop(DRAIN);
            if (unfinished > 0) {
                log.accept(unfinished + " run(s) did not finish within " + DRAIN.toSeconds() + " s and were interrupted");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            // Alert diagnoses went on meanwhile; they get what is left of the same drain, at least a second.
            alerts.drain(Math.max(1, DRAIN.toSeconds() - Duration.ofNanos(System.nanoTime() - stopping).toSeconds()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.stop(1);
        try {
            hangup.close();
        } catch (Exception e) {
            // restoring a signal handler does not fail in practice; nothing to do if it did
        }
        PendingReleases.process().releaseAtExit(PendingReleases.SHUTDOWN_LIMIT, log);
        log.accept("stopped");
    }

    /** One scheduled run: planned with the configuration as last loaded, as 'troubleshoot TARGET' would. */
    private static Scheduler.Probe probe(Config config, String checks, Duration timeout, CommandContext context,
                                         TroubleshootRunner runner) {
        Duration deadline = timeout != null ? timeout : config.defaults().timeout();
        TraceLinks links = TraceLinks.of(config); // checked when the configuration was loaded
        return target -> {
            TroubleshootRunner.Request request;
            try {
                request = TroubleshootCommand.request(target, checks, deadline, config, context, false);
            } catch (DbtoolException e) {
                return Sample.failed(target, e.getMessage(), Instant.now());
            }
            try {
                return Sample.of(target, links.apply(runner.run(request)), Instant.now());
            } catch (TroubleshootRunner.Interrupted e) {
                throw new InterruptedException("stopped");
            } catch (DbtoolException e) {
                return Sample.failed(target, e.getMessage(), Instant.now());
            }
        };
    }

    /** The targets this replica serves: all configured ones, or those with the tag; then its shard of them. */
    record Targets(String tag, Shard shard) {
        List<String> select(Config config) {
            List<String> all = tag == null ? List.copyOf(config.targets().keySet()) : FleetTargets.collect(null, tag, config);
            return shard.select(all);
        }
    }
}
