package dbtool.monitoring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The series {@code dbtool serve} can export for an engine, read from the engine plugin's sources: for each check
 * (the class that calls {@code super("ID", ...)}), every string literal of its file named as serve names a metric of
 * that check (through the same {@link Metric}, that is serve's {@code MetricName}), as a gauge and as a counter.
 * Over-inclusive (any literal counts), so the test it serves proves a rule's series is at least a name a check
 * could report; the end-to-end test proves PostgreSQL's against a running server.
 */
public final class ExportedMetrics {

    /** Serve's own families, of every target. */
    public static final Set<String> SERVE = Set.of("dbtool_target_status", "dbtool_target_up", "dbtool_target_last_run_timestamp_seconds",
            "dbtool_target_run_duration_seconds", "dbtool_check_status", "dbtool_check_duration_seconds", "dbtool_findings",
            "dbtool_serve_runs_total", "dbtool_serve_http_requests_total", "dbtool_serve_targets", "dbtool_serve_runs_in_progress");

    private static final Pattern CHECK_ID = Pattern.compile("super\\(\"([a-z-]+)\"");
    private static final Pattern LITERAL = Pattern.compile("\"([a-z][a-z0-9_]*)\"");
    private static final Pattern SERIES = Pattern.compile("\\bdbtool_[a-z0-9_]+");

    private ExportedMetrics() {
    }

    /** Every series name the engine's checks could export, and serve's own. */
    public static Set<String> of(String engine) {
        return CACHE.computeIfAbsent(engine, ExportedMetrics::scan);
    }

    private static final Map<String, Set<String>> CACHE = new ConcurrentHashMap<>();

    private static Set<String> scan(String engine) {
        String folder = switch (engine) {
            case "postgresql" -> "plugin-postgres";
            case "sqlserver" -> "plugin-mssql";
            case "mongodb" -> "plugin-mongo";
            case "snowflake" -> "plugin-snowflake";
            default -> throw new IllegalArgumentException(engine);
        };
        Set<String> series = new TreeSet<>(SERVE);
        try (Stream<Path> files = Files.walk(MonitoringRun.repository().resolve(folder).resolve("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String text = Files.readString(file);
                Matcher id = CHECK_ID.matcher(text);
                if (!id.find()) {
                    continue;
                }
                Matcher literal = LITERAL.matcher(text);
                while (literal.find()) {
                    series.add(Metric.gauge(id.group(1), literal.group(1)).series());
                    series.add(Metric.counter(id.group(1), literal.group(1)).series());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return series;
    }

    /** The series names a PromQL expression uses. */
    public static Set<String> used(String expr) {
        Set<String> names = new HashSet<>();
        Matcher matcher = SERIES.matcher(expr);
        while (matcher.find()) {
            names.add(matcher.group());
        }
        return names;
    }

    /** Names of {@code expr} that none of {@code engines} exports. */
    public static Set<String> unknown(String expr, List<String> engines) {
        Set<String> known = new HashSet<>();
        engines.forEach(engine -> known.addAll(of(engine)));
        Set<String> unknown = new TreeSet<>(used(expr));
        unknown.removeAll(known);
        return unknown;
    }
}
