package dbtool.core.report;

import dbtool.core.DbtoolException;
import dbtool.core.config.Config;
import dbtool.core.config.TracingConfig;
import dbtool.spi.Finding;
import dbtool.spi.TraceContext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configured trace link ({@code "tracing": {"link": "https://tempo.example/trace/{traceId}"}}):
 * every evidence node that carries a {@value TraceContext#TRACE_ID} gets a {@value #URL} beside it, so the
 * text report, the JSON, notifications and tickets all show the same link.
 */
public final class TraceLinks {

    /** The evidence field a link is added as. */
    public static final String URL = "traceUrl";
    private static final TraceLinks NONE = new TraceLinks(null);

    private final String template;

    private TraceLinks(String template) {
        this.template = template;
    }

    /** No template: reports stay as they are. */
    public static TraceLinks none() {
        return NONE;
    }

    /**
     * The configuration's template ({@link TracingConfig#link}).
     *
     * @throws DbtoolException (78) when the template is not an http or https URL with {@value TracingConfig#PLACEHOLDER}
     */
    public static TraceLinks of(Config config) {
        return TracingConfig.link(config).map(TraceLinks::new).orElse(NONE);
    }

    /**
     * A template given directly, checked as the configuration's is.
     *
     * @throws DbtoolException (78) when it is not an http or https URL with {@value TracingConfig#PLACEHOLDER}
     */
    public static TraceLinks template(String template) {
        return new TraceLinks(TracingConfig.checked(TracingConfig.FIELD, template));
    }

    /** Whether a template is configured. */
    public boolean configured() {
        return template != null;
    }

    /**
     * The link to a trace, or null without a template.
     *
     * @param traceId a valid trace id (32 lower-case hex digits, as {@link TraceContext} holds it)
     * @return the link
     */
    public String link(String traceId) {
        return template == null ? null : template.replace(TracingConfig.PLACEHOLDER, traceId);
    }

    /** The report with a link beside every trace id of its findings' evidence; the report itself without a template. */
    public Report apply(Report report) {
        if (template == null) {
            return report;
        }
        List<CheckReport> checks = report.checks().stream().map(c -> new CheckReport(c.id(), c.category(), c.status(), c.durationMs(),
                c.error(), c.metrics(), c.findings().stream().map(this::apply).toList(), c.counters())).toList();
        return new Report(report.schemaVersion(), report.toolVersion(), report.target(), report.status(), report.startedAt(),
                report.durationMs(), checks);
    }

    /** A fleet's reports, each with its links. */
    public FleetReport apply(FleetReport fleet) {
        if (template == null) {
            return fleet;
        }
        List<FleetReport.Entry> entries = fleet.targets().stream().map(e -> new FleetReport.Entry(e.name(), e.status(), e.error(),
                e.report() == null ? null : apply(e.report()))).toList();
        return new FleetReport(fleet.schemaVersion(), fleet.toolVersion(), fleet.status(), fleet.startedAt(), fleet.durationMs(),
                fleet.parallel(), entries);
    }

    private Finding apply(Finding f) {
        @SuppressWarnings("unchecked")
        Map<String, Object> evidence = (Map<String, Object>) linked(f.evidence());
        return new Finding(f.code(), f.severity(), f.title(), f.detail(), evidence, f.recommendation(), f.playbook());
    }

    private Object linked(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            // The link goes right after the trace fields (the last of them: the service, else the span id).
            Object last = map.containsKey(TraceContext.SERVICE) ? TraceContext.SERVICE : TraceContext.SPAN_ID;
            boolean linkable = map.get(TraceContext.TRACE_ID) instanceof String && !map.containsKey(URL);
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                copy.put(String.valueOf(entry.getKey()), linked(entry.getValue()));
                if (linkable && last.equals(entry.getKey())) {
                    copy.put(URL, link((String) map.get(TraceContext.TRACE_ID)));
                }
            }
            return copy;
        }
        if (value instanceof Collection<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(item -> copy.add(linked(item)));
            return copy;
        }
        return value;
    }
}
