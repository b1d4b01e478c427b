package dbtool.serve.metrics;

import dbtool.core.report.CheckReport;
import dbtool.serve.schedule.Sample;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns the last samples into Prometheus metric families, at scrape time and from memory only: a
 * scrape never opens a database connection, and what it shows is exactly what /health and the API
 * show. Families (all prefixed {@code dbtool_}):
 * <ul>
 *   <li>per target: {@code target_status} (0 OK or INFO, 1 WARNING, 2 CRITICAL, 3 UNKNOWN: the exit
 *       codes), {@code target_up} (a session could be opened), {@code target_last_run_timestamp_seconds},
 *       {@code target_run_duration_seconds};</li>
 *   <li>per check: {@code check_status}, {@code check_duration_seconds};</li>
 *   <li>{@code findings}: how many findings of each code and severity the last report has;</li>
 *   <li>every numeric metric a check computed, named by {@link MetricName}, with target, engine and
 *       check labels: a gauge, or a counter ({@code _total}) for those the check declares the server counts
 *       up ({@link dbtool.spi.Check#counters()}), so that Prometheus's rate() works on them;</li>
 *   <li>the server's own: {@code serve_runs_total}, {@code serve_targets}, {@code serve_runs_in_progress},
 *       {@code serve_http_requests_total}.</li>
 * </ul>
 */
public final class ServeMetrics {

    /** What the server itself counts, read at scrape time. */
    public record ServerCounters(Map<String, Long> runsByTarget, int inProgress, Map<Integer, Long> httpRequestsByStatus) {
    }

    private ServeMetrics() {
    }

    /** Every family: those of the samples, then the server's own. */
    public static MetricSnapshots snapshot(Collection<Sample> samples, ServerCounters server) {
        List<MetricSnapshot> families = new ArrayList<>(sampleFamilies(samples));
        families.addAll(serverFamilies(samples.size(), server));
        return new MetricSnapshots(families);
    }

    /**
     * The families that depend on the samples only: they change when a run ends, not between scrapes,
     * so {@link MetricsEndpoint} builds them once per new sample.
     */
    static List<MetricSnapshot> sampleFamilies(Collection<Sample> samples) {
        List<MetricSnapshot> families = new ArrayList<>();
        GaugeSnapshot.Builder status = gauge("dbtool_target_status",
                "Worst status of the target's last run: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN");
        GaugeSnapshot.Builder up = gauge("dbtool_target_up", "1 when the last run opened a session with the target, else 0");
        GaugeSnapshot.Builder lastRun = gauge("dbtool_target_last_run_timestamp_seconds", "When the target's last run ended (Unix time)");
        GaugeSnapshot.Builder runDuration = gauge("dbtool_target_run_duration_seconds", "How long the target's last run took");
        GaugeSnapshot.Builder checkStatus = gauge("dbtool_check_status",
                "Status of each check in the last run: 0 OK or INFO, 1 WARNING, 2 CRITICAL, 3 UNKNOWN");
        GaugeSnapshot.Builder checkDuration = gauge("dbtool_check_duration_seconds", "How long each check took in the last run");
        GaugeSnapshot.Builder findings = gauge("dbtool_findings", "Findings in the target's last report, by code and severity");
        Map<String, GaugeSnapshot.Builder> checkGauges = new TreeMap<>();
        Map<String, CounterSnapshot.Builder> checkCounters = new TreeMap<>();

        for (Sample sample : samples) {
            if (sample.restored()) {
                // Not measured by this process: exported as now, an old value would lie to alerting rules,
                // and the kept JSON does not say which metrics are counters. The first run fills it in.
                continue;
            }
            Labels target = Labels.of("target", sample.target(), "engine", sample.engine());
            status.dataPoint(point(target, sample.status().exitCode()));
            lastRun.dataPoint(point(target, sample.at().toEpochMilli() / 1000.0));
            if (sample.report() == null) {
                up.dataPoint(point(target, 0));
                continue;
            }
            boolean sessionFailed = sample.report().checks().stream().anyMatch(check -> check.id().equals("session"));
            up.dataPoint(point(target, sessionFailed ? 0 : 1));
            runDuration.dataPoint(point(target, sample.report().durationMs() / 1000.0));
            Map<List<String>, Integer> findingCounts = new LinkedHashMap<>();
            for (CheckReport check : sample.report().checks()) {
                Labels checkLabels = target.add("check", check.id());
                checkStatus.dataPoint(point(checkLabels.add("category", check.category()), check.status().exitCode()));
                checkDuration.dataPoint(point(checkLabels, check.durationMs() / 1000.0));
                for (Finding finding : check.findings()) {
                    findingCounts.merge(List.of(finding.code(), finding.severity().name()), 1, Integer::sum);
                }
                check.metrics().forEach((name, value) -> {
                    Double number = number(value);
                    if (number == null) {
                        return; // text and structured metrics stay in the report
                    }
                    boolean counter = check.counters().contains(name);
                    MetricName family = MetricName.of(check.id(), name, counter);
                    double scaled = number * family.scale();
                    if (counter) {
                        checkCounters.computeIfAbsent(family.family(), f -> CounterSnapshot.builder().name(f)
                                        .help("Check metric '" + name + "', counted by the server since its start or last stats reset"))
                                .dataPoint(CounterDataPointSnapshot.builder().labels(checkLabels).value(scaled).build());
                    } else {
                        checkGauges.computeIfAbsent(family.family(), f -> gauge(f, "Check metric '" + name + "' of the target's last run"))
                                .dataPoint(point(checkLabels, scaled));
                    }
                });
            }
            findingCounts.forEach((key, count) ->
                    findings.dataPoint(point(target.add("code", key.get(0)).add("severity", key.get(1)), count)));
        }
        families.add(status.build());
        families.add(up.build());
        families.add(lastRun.build());
        families.add(runDuration.build());
        families.add(checkStatus.build());
        families.add(checkDuration.build());
        families.add(findings.build());
        checkGauges.values().forEach(builder -> families.add(builder.build()));
        checkCounters.values().forEach(builder -> families.add(builder.build()));
        return families;
    }

    /** What the server counts itself (runs, requests, load): a handful of points, built at each scrape. */
    static List<MetricSnapshot> serverFamilies(int targets, ServerCounters server) {
        CounterSnapshot.Builder runs = CounterSnapshot.builder().name("dbtool_serve_runs")
                .help("Runs completed per target since dbtool serve started");
        server.runsByTarget().forEach((target, count) ->
                runs.dataPoint(CounterDataPointSnapshot.builder().labels(Labels.of("target", target)).value(count).build()));
        CounterSnapshot.Builder http = CounterSnapshot.builder().name("dbtool_serve_http_requests")
                .help("HTTP requests answered since dbtool serve started, by status code");
        server.httpRequestsByStatus().forEach((code, count) ->
                http.dataPoint(CounterDataPointSnapshot.builder().labels(Labels.of("code", String.valueOf(code))).value(count).build()));
        return List.of(runs.build(), http.build(),
                gauge("dbtool_serve_targets", "Targets this replica serves").dataPoint(point(Labels.EMPTY, targets)).build(),
                gauge("dbtool_serve_runs_in_progress", "Runs in progress now").dataPoint(point(Labels.EMPTY, server.inProgress())).build());
    }

    private static Double number(Object value) {
        if (value instanceof Number number) {
            double d = number.doubleValue();
            return Double.isFinite(d) ? d : null;
        }
        if (value instanceof Boolean bool) {
            return bool ? 1.0 : 0.0;
        }
        return null;
    }

    private static GaugeSnapshot.Builder gauge(String name, String help) {
        return GaugeSnapshot.builder().name(name).help(help);
    }

    private static GaugeDataPointSnapshot point(Labels labels, double value) {
        return GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
    }

    /** Severity as the exit code says it; INFO counts as OK. */
    static int code(Severity severity) {
        return severity.exitCode();
    }
}
