package dbtool.core.report;

import dbtool.core.SafeText;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.spi.TraceContext;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders a report for a human at a terminal: checks grouped, worst first; each finding with its
 * evidence, the recommendation and the playbook. Evidence is drawn by shape: a list of rows as a
 * table, rows with a {@code blocked} list as a tree (blocking chains), anything else as
 * {@code key: value}.
 */
public final class TextReportRenderer {

    /** Evidence rows that carry this key are drawn as a tree of their children. */
    public static final String TREE_CHILDREN = "blocked";
    /** A tree node's text; when absent the node's scalar fields are joined. */
    public static final String TREE_LABEL = "label";

    private static final int MAX_CELL = 60;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private final Style style;

    public TextReportRenderer(Style style) {
        this.style = style;
    }

    public String render(Report unsafe) {
        Report report = escaped(unsafe);
        StringBuilder out = new StringBuilder();
        TargetInfo target = report.target();
        String where = target.host().isEmpty() ? "" : ", " + target.host()
                + (target.port() == null ? "" : ":" + target.port())
                + (target.database().isEmpty() ? "" : "/" + target.database());
        out.append(style.bold("dbtool troubleshoot " + target.name())).append(style.dim(" (" + target.engine() + where + ")")).append('\n');
        out.append(style.severityName(report.status())).append("  ")
                .append(report.checks().size()).append(report.checks().size() == 1 ? " check" : " checks")
                .append(" in ").append(report.durationMs()).append(" ms, ")
                .append(TIME.format(report.startedAt().truncatedTo(ChronoUnit.SECONDS))).append('\n');
        if (report.checks().isEmpty()) {
            out.append('\n').append("No checks ran: the ").append(target.engine())
                    .append(" plugin has no checks for this selection yet, so the status is UNKNOWN.\n");
            return out.toString();
        }
        List<CheckReport> checks = new ArrayList<>(report.checks());
        // Worst first; among equals, checks with something to say before quiet ones.
        checks.sort(Comparator.comparingInt((CheckReport c) -> -c.status().rank())
                .thenComparing(c -> c.findings().isEmpty()));
        for (int i = 0; i < checks.size(); ) {
            int end = i + 1;
            while (end < checks.size() && sameBareFailure(checks.get(i), checks.get(end))) {
                end++;
            }
            out.append('\n');
            if (end - i > 1) {
                renderFailedTogether(checks.subList(i, end), out);
            } else {
                renderCheck(checks.get(i), out);
            }
            i = end;
        }
        return out.toString();
    }

    /**
     * The report with every string that came from a server, a plugin or the configuration passed
     * through {@link SafeText}, before any colour code of dbtool's own is added: one place, so no
     * check and no evidence field can forget it. Details and recommendations keep their line breaks
     * (drawn indented below); everything else stays on its line.
     */
    static Report escaped(Report report) {
        TargetInfo t = report.target();
        TargetInfo target = new TargetInfo(SafeText.oneLine(t.name()), SafeText.oneLine(t.engine()), SafeText.oneLine(t.host()),
                t.port(), SafeText.oneLine(t.database()));
        List<CheckReport> checks = report.checks().stream().map(c -> new CheckReport(SafeText.oneLine(c.id()),
                SafeText.oneLine(c.category()), c.status(), c.durationMs(), SafeText.oneLine(c.error()),
                escapedMap(c.metrics()), c.findings().stream().map(TextReportRenderer::escaped).toList(), c.counters())).toList();
        return new Report(report.schemaVersion(), report.toolVersion(), target, report.status(), report.startedAt(),
                report.durationMs(), checks);
    }

    private static Finding escaped(Finding f) {
        return new Finding(SafeText.oneLine(f.code()), f.severity(), SafeText.oneLine(f.title()), SafeText.escape(f.detail()),
                escapedMap(f.evidence()), SafeText.escape(f.recommendation()), SafeText.oneLine(f.playbook()));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> escapedMap(Map<String, Object> map) {
        return (Map<String, Object>) SafeText.escapeValue(map);
    }

    /**
     * Checks that failed for one reason and have nothing else to say (e.g. all of them after the
     * server refused the connection): one line for all, so the reason is read once and the real
     * finding above it is not drowned.
     */
    private static boolean sameBareFailure(CheckReport first, CheckReport other) {
        return bareFailure(first) && bareFailure(other) && first.status() == other.status() && first.error().equals(other.error());
    }

    private static boolean bareFailure(CheckReport check) {
        return check.error() != null && check.findings().isEmpty() && check.metrics().isEmpty();
    }

    private void renderFailedTogether(List<CheckReport> checks, StringBuilder out) {
        out.append(style.severity(checks.getFirst().status())).append("  ").append(style.bold(checks.size() + " checks"))
                .append(style.dim(" (" + String.join(", ", checks.stream().map(CheckReport::id).toList()) + ")"))
                .append(": ").append(checks.getFirst().error()).append('\n');
    }

    private void renderCheck(CheckReport check, StringBuilder out) {
        out.append(style.severity(check.status())).append("  ").append(style.bold(check.id()))
                .append(style.dim(" (" + check.category() + ", " + check.durationMs() + " ms)"));
        if (check.error() != null) {
            out.append(": ").append(check.error());
        }
        out.append('\n');
        for (Finding finding : check.findings()) {
            renderFinding(finding, out);
        }
        if (!check.metrics().isEmpty()) {
            String metrics = check.metrics().entrySet().stream()
                    .map(e -> e.getKey() + "=" + scalar(e.getValue()))
                    .collect(Collectors.joining(", "));
            out.append("    ").append(style.dim("metrics: " + metrics)).append('\n');
        }
    }

    private void renderFinding(Finding finding, StringBuilder out) {
        String indent = "    ";
        out.append("  ").append(finding.severity() == Severity.OK ? "" : style.severityName(finding.severity()) + " ")
                .append(finding.code()).append(": ").append(finding.title()).append('\n');
        if (!finding.detail().isEmpty()) {
            for (String line : finding.detail().split("\n")) {
                out.append(indent).append(line).append('\n');
            }
        }
        for (Map.Entry<String, Object> entry : finding.evidence().entrySet()) {
            renderEvidence(entry.getKey(), entry.getValue(), indent, out);
        }
        if (!finding.recommendation().isEmpty()) {
            String[] lines = finding.recommendation().split("\n");
            out.append(indent).append(style.bold("Do: ")).append(lines[0]).append('\n');
            for (int i = 1; i < lines.length; i++) {
                out.append(indent).append("    ").append(lines[i]).append('\n');
            }
        }
        if (!finding.playbook().isEmpty()) {
            out.append(indent).append(style.dim("Playbook: " + finding.playbook())).append('\n');
        }
    }

    private void renderEvidence(String key, Object value, String indent, StringBuilder out) {
        if (value instanceof Collection<?> list && list.isEmpty() || value instanceof Map<?, ?> map && map.isEmpty()) {
            return; // "headBlockers: " with nothing after it tells a reader nothing; JSON keeps the empty list
        }
        if (value instanceof Collection<?> list && !list.isEmpty() && list.stream().allMatch(Map.class::isInstance)) {
            List<Map<?, ?>> rows = list.stream().<Map<?, ?>>map(r -> (Map<?, ?>) r).toList();
            out.append(indent).append(key).append(":\n");
            if (rows.stream().anyMatch(r -> r.containsKey(TREE_CHILDREN))) {
                for (Map<?, ?> root : rows) {
                    tree(root, indent + "  ", "", true, true, out);
                }
            } else {
                table(rows, indent + "  ", out);
            }
        } else if (value instanceof Map<?, ?> map && !map.isEmpty()) {
            out.append(indent).append(key).append(":\n");
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                renderEvidence(String.valueOf(entry.getKey()), entry.getValue(), indent + "  ", out);
            }
        } else {
            out.append(indent).append(key).append(": ").append(scalar(value).replace("\n", "\n" + indent + "  ")).append('\n');
        }
    }

    private void tree(Map<?, ?> node, String indent, String prefix, boolean last, boolean root, StringBuilder out) {
        out.append(indent).append(prefix).append(root ? "" : last ? style.lastBranch() : style.branch())
                .append(label(node)).append('\n');
        Object children = node.get(TREE_CHILDREN);
        if (children instanceof Collection<?> list) {
            String childPrefix = root ? "" : prefix + (last ? "   " : style.pipe());
            int i = 0;
            for (Object child : list) {
                i++;
                if (child instanceof Map<?, ?> map) {
                    tree(map, indent, childPrefix, i == list.size(), false, out);
                }
            }
        }
    }

    private static String label(Map<?, ?> node) {
        Object label = node.get(TREE_LABEL);
        if (label != null) {
            return label.toString().replaceAll("\\s+", " ") + trace(node);
        }
        return node.entrySet().stream()
                .filter(e -> !TREE_CHILDREN.equals(e.getKey()) && !(e.getValue() instanceof Collection<?>) && !(e.getValue() instanceof Map<?, ?>))
                .map(e -> e.getKey() + "=" + cell(e.getValue()))
                .collect(Collectors.joining(" "));
    }

    /** A session's trace context after its label: the link when one is configured, else the ids. */
    private static String trace(Map<?, ?> node) {
        Object traceId = node.get(TraceContext.TRACE_ID);
        if (traceId == null) {
            return "";
        }
        Object service = node.get(TraceContext.SERVICE);
        Object url = node.get(TraceLinks.URL);
        return " [trace " + traceId + " span " + node.get(TraceContext.SPAN_ID) + (service == null ? "" : " service " + service)
                + (url == null ? "" : " " + url) + "]";
    }

    private void table(List<Map<?, ?>> rows, String indent, StringBuilder out) {
        LinkedHashSet<String> columns = new LinkedHashSet<>();
        rows.forEach(r -> r.keySet().forEach(k -> columns.add(String.valueOf(k))));
        // A link is longer than any cell: listed whole below the table, by trace id.
        columns.remove(TraceLinks.URL);
        List<String> headers = new ArrayList<>(columns);
        List<List<String>> cells = rows.stream()
                .map(r -> headers.stream().map(h -> cell(r.get(h))).toList()).toList();
        out.append(TextTable.format(headers, cells, indent, style));
        rows.stream().filter(r -> r.get(TraceLinks.URL) != null).map(r -> r.get(TraceContext.TRACE_ID) + ": " + r.get(TraceLinks.URL))
                .distinct().forEach(link -> out.append(indent).append("trace ").append(link).append('\n'));
    }

    static String cell(Object value) {
        String text = scalar(value).replaceAll("\\s+", " ");
        return text.length() > MAX_CELL ? text.substring(0, MAX_CELL - 1) + "…" : text;
    }

    static String scalar(Object value) {
        if (value == null) {
            return "-";
        }
        if (value instanceof Collection<?> list) {
            return list.stream().map(TextReportRenderer::scalar).collect(Collectors.joining(", "));
        }
        if (value instanceof Double d) {
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString(d.longValue()) : String.format("%.3f", d).replaceAll("0+$", "");
        }
        return value.toString();
    }
}
