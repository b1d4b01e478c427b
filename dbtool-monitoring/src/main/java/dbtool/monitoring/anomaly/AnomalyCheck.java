package dbtool.monitoring.anomaly;

import com.google.gson.JsonElement;
import dbtool.core.DbtoolException;
import dbtool.core.Environment;
import dbtool.core.config.Config;
import dbtool.core.config.ConfigLoader;
import dbtool.core.plugin.PluginRegistry;
import dbtool.core.report.CheckReport;
import dbtool.core.run.CheckContributor;
import dbtool.core.run.CheckSkipped;
import dbtool.core.run.RunSoFar;
import dbtool.serve.metrics.MetricValues;
import dbtool.serve.store.StateStore;
import dbtool.serve.store.StoreConfig;
import dbtool.spi.Check;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.EnginePlugin;
import dbtool.spi.EngineSession;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code troubleshoot}'s look at what is unusual (category {@code anomalies}): each gauge this run measured is
 * compared with its own history ({@link AnomalyDetector}): from Prometheus when the configuration names
 * {@code "prometheus": {"url": ...}}, else from the metric history {@code dbtool serve} keeps in its state store.
 * Metrics of a check that is already CRITICAL are left out: the finding says more than an anomaly would. Without
 * history (serve never ran here, the store is in use, Prometheus has nothing) the check is skipped, not UNKNOWN.
 */
public final class AnomalyCheck implements Check {

    /** Opens the history for a run; throws {@link CheckSkipped} when there is none to read. */
    @FunctionalInterface
    public interface Sources {
        HistorySource open(RunSoFar run);
    }

    /** Provides this check to every troubleshoot (core finds it through {@link CheckContributor}). */
    public static final class Contributor implements CheckContributor {
        @Override
        public List<Check> checks(EnginePlugin plugin) {
            return List.of(new AnomalyCheck(AnomalyCheck::configured, new AnomalyDetector(AnomalyDetector.Settings.defaults(),
                    ZoneId.systemDefault()), Clock.systemUTC()));
        }
    }

    private final Sources sources;
    private final AnomalyDetector detector;
    private final Clock clock;

    public AnomalyCheck(Sources sources, AnomalyDetector detector, Clock clock) {
        this.sources = sources;
        this.detector = detector;
        this.clock = clock;
    }

    @Override
    public String id() {
        return "anomalies";
    }

    @Override
    public String category() {
        return "anomalies";
    }

    @Override
    public String description() {
        return "metrics far outside their usual range for this target and time of week (median and MAD of their history), "
                + "when dbtool serve or Prometheus keeps a history";
    }

    @Override
    public CheckResult run(EngineSession session, CheckContext context) throws Exception {
        if (!(context instanceof RunSoFar run)) {
            throw new CheckSkipped("anomaly detection runs inside a troubleshoot only");
        }
        // Metrics of a CRITICAL (or failed) check are not judged: that check's finding is the news.
        List<CheckReport> judged = run.reportsSoFar().stream()
                .filter(report -> report.status() != Severity.CRITICAL && report.status() != Severity.UNKNOWN).toList();
        Map<String, MetricValues.Gauge> now = new LinkedHashMap<>();
        for (MetricValues.Gauge gauge : MetricValues.gauges(judged)) {
            now.putIfAbsent(gauge.family(), gauge);
        }
        if (now.isEmpty()) {
            throw new CheckSkipped("no metrics to compare with their history");
        }
        Instant at = clock.instant();
        String target = run.target().name();
        Map<String, List<Point>> history;
        Instant oldest;
        try (HistorySource source = sources.open(run)) {
            oldest = source.oldest(target).orElseThrow(() -> new CheckSkipped("no metric history for " + target + " in "
                    + source.description()));
            List<HistorySource.Period> periods = detector.needs(at, oldest);
            if (periods.isEmpty()) {
                throw new CheckSkipped("the metric history of " + target + " in " + source.description() + " starts " + oldest
                        + ": anomalies are judged from one day of history on");
            }
            history = source.history(target, now.keySet(), periods);
        }
        CheckResult.Builder result = CheckResult.builder();
        int anomalies = 0;
        int points = 0;
        for (MetricValues.Gauge gauge : now.values()) {
            List<Point> past = history.getOrDefault(gauge.family(), List.of());
            points += past.size();
            Optional<Anomaly> anomaly = detector.judge(gauge.family(), past, new Point(at, gauge.value()), oldest);
            if (anomaly.isPresent()) {
                anomalies++;
                result.add(finding(anomaly.get(), gauge.check()));
            }
        }
        return result.metric("metrics_judged", now.size()).metric("history_points", points).metric("anomalies", anomalies).build();
    }

    static Finding finding(Anomaly anomaly, String check) {
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("metric", anomaly.metric());
        evidence.put("check", check);
        evidence.put("value", anomaly.value());
        evidence.put("usual", anomaly.usual());
        evidence.put("spread", round(anomaly.spread()));
        evidence.put("score", round(anomaly.score()));
        evidence.put("baseline", anomaly.basis());
        evidence.put("historyPoints", anomaly.points());
        return Finding.of("METRIC_ANOMALY", Severity.WARNING, anomaly.title())
                .detail("The value is " + round(anomaly.score()) + " robust deviations from the median of " + anomaly.points()
                        + " earlier values (" + anomaly.basis() + "). No fixed threshold of check '" + check + "' was crossed.")
                .evidence(evidence)
                .recommendation("Compare with the other findings of this run and with recent changes (deploys, batch jobs, traffic); "
                        + "'dbtool checks' shows what '" + check + "' measures.")
                .playbook("docs/monitoring.md#anomaly-detection")
                .build();
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    /** Stores opened by this process's anomaly checks, by where they are: opened once, closed when the process ends. */
    private static final Map<String, StateStore> OPENED = new ConcurrentHashMap<>();

    /**
     * The history the configuration names: Prometheus; else the state store of the {@code dbtool serve} running in this
     * process (its runs have this check too); else the store the configuration names, opened once per process and
     * never created here.
     */
    static HistorySource configured(RunSoFar run) {
        Environment environment = Environment.system();
        Path file = environment.configFile();
        Config config = Files.exists(file) ? ConfigLoader.load(file) : Config.empty();
        Optional<JsonElement> prometheus = config.section("prometheus");
        if (prometheus.isPresent() && prometheus.get().isJsonObject() && prometheus.get().getAsJsonObject().has("url")) {
            String url = prometheus.get().getAsJsonObject().get("url").getAsString();
            return new PrometheusHistory(URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url),
                    Duration.ofSeconds(Math.max(1, Math.min(5, run.remaining().toSeconds()))));
        }
        Optional<StateStore> serving = StateStore.serving();
        if (serving.isPresent()) {
            return kept(serving.get());
        }
        StoreConfig store = StoreConfig.of(config, environment);
        String where = store.url() != null ? store.url() : store.path().toString();
        StateStore open = OPENED.get(where);
        if (open != null) {
            return kept(open);
        }
        if (store.url() == null && !Files.exists(store.path().resolve("dbtool.mv.db"))) {
            throw new CheckSkipped("no metric history: dbtool serve keeps it in " + store.path() + ", which does not exist yet");
        }
        try {
            return kept(OPENED.computeIfAbsent(where, w -> store.open(environment, PluginRegistry.discover(environment), Clock.systemUTC())));
        } catch (DbtoolException e) {
            throw new CheckSkipped("metric history not readable (" + e.getMessage() + "); with dbtool serve running on this "
                    + "host, name its Prometheus under \"prometheus\": {\"url\": ...}");
        }
    }

    /** A source over a store that stays open after the check (serve's own, or one opened once for the process). */
    private static HistorySource kept(StateStore store) {
        StoreHistory history = new StoreHistory(store);
        return new HistorySource() {
            @Override
            public Optional<Instant> oldest(String target) {
                return history.oldest(target);
            }

            @Override
            public Map<String, List<Point>> history(String target, Set<String> families, List<Period> periods) {
                return history.history(target, families, periods);
            }

            @Override
            public String description() {
                return history.description();
            }
        };
    }
}
