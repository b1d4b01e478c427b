package dbtool.logs.rules;

import dbtool.logs.analysis.Printable;
import dbtool.logs.read.LogEntry;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.spi.TraceContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one cause gathered from the log: how often, when first and last, a few examples, and
 * counts by a key (user, host, statement), turned into one finding with that evidence.
 */
final class Cause {

    /** One playbook page; each code is a heading there, so its anchor is the code in lower case. */
    static final String PLAYBOOK = "docs/playbooks/logs.md#";
    private static final int TOP = 10;
    /** Lines whose trace context a finding lists (the first ones seen, each trace and span once). */
    static final int MAX_TRACES = 5;

    private final String code;
    private final Severity severity;
    private long count;
    private String firstSeen;
    private String lastSeen;
    private final List<String> examples = new ArrayList<>(3);
    private final Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
    private final List<Object> items = new ArrayList<>();
    private final Map<String, Map<String, Object>> traces = new LinkedHashMap<>();

    Cause(String code, Severity severity) {
        this.code = code;
        this.severity = severity;
    }

    void seen(LogEntry entry) {
        count++;
        String t = entry.timestamp();
        if (t != null) {
            if (firstSeen == null || t.compareTo(firstSeen) < 0) {
                firstSeen = t;
            }
            if (lastSeen == null || t.compareTo(lastSeen) > 0) {
                lastSeen = t;
            }
        }
        if (examples.size() < 3) {
            String example = "line " + entry.line() + ": " + Printable.of(entry.message(), 300);
            examples.add(example);
        }
        if (traces.size() < MAX_TRACES) {
            // The application's trace context: a sqlcommenter comment in the statement, or a traceparent in the client's name.
            TraceContext.find(entry.message(), entry.field("statement"), entry.field("application")).ifPresent(trace -> {
                Map<String, Object> seen = new LinkedHashMap<>();
                seen.put("line", entry.line());
                trace.addTo(seen);
                traces.putIfAbsent(trace.traceId() + "/" + trace.spanId(), seen);
            });
        }
    }

    /** Counts {@code value} under {@code key} (e.g. byUser: alice); nulls count as "(unknown)". */
    void count(String key, String value) {
        Map<String, Long> map = counts.computeIfAbsent(key, k -> new TreeMap<>());
        String v = value == null || value.isEmpty() ? "(unknown)" : Printable.of(value, 200);
        if (map.size() < 10_000 || map.containsKey(v)) {
            map.merge(v, 1L, Long::sum);
        }
    }

    /** Keeps one structured item (a deadlock with its statements), up to five. */
    void item(Map<String, Object> item) {
        if (items.size() < 5) {
            items.add(item);
        }
    }

    long count() {
        return count;
    }

    Finding finding(String title, String detail, String recommendation, Map<String, Object> extra) {
        Finding.Builder finding = Finding.of(code, severity, title).detail(detail).recommendation(recommendation)
                .playbook(PLAYBOOK + code.toLowerCase(Locale.ROOT))
                .evidence("count", count)
                .evidence("firstSeen", firstSeen)
                .evidence("lastSeen", lastSeen);
        for (Map.Entry<String, Map<String, Long>> entry : counts.entrySet()) {
            finding.evidence(entry.getKey(), top(entry.getValue()));
        }
        if (!items.isEmpty()) {
            finding.evidence("items", items);
        }
        if (extra != null) {
            finding.evidence(extra);
        }
        if (!traces.isEmpty()) {
            finding.evidence("traces", List.copyOf(traces.values()));
        }
        return finding.evidence("examples", examples).build();
    }

    /** The most frequent values first, at most ten. */
    static Map<String, Long> top(Map<String, Long> counts) {
        Map<String, Long> top = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted((a, b) -> a.getValue().equals(b.getValue()) ? a.getKey().compareTo(b.getKey()) : Long.compare(b.getValue(), a.getValue()))
                .limit(TOP)
                .forEach(e -> top.put(e.getKey(), e.getValue()));
        return top;
    }
}
