package dbtool.core.report;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dbtool.core.DbtoolException;
import dbtool.core.SafeText;
import dbtool.core.config.Config;
import dbtool.spi.Finding;
import dbtool.spi.TraceContext;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The configured trace link ({@code "tracing": {"link": "https://tempo.example/trace/{traceId}"}}):
 * every evidence node that carries a {@value TraceContext#TRACE_ID} gets a {@value #URL} beside it, so the
 * text report, the JSON, notifications and tickets all show the same link.
 */
public final class TraceLinks {

    /** The evidence field a link is added as. */
    public static final String URL = "traceUrl";
    /** The placeholder a template must hold. */
    public static final String PLACEHOLDER = "{traceId}";
    private static final String FIELD = "tracing.link";
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
     * The configuration's template, checked: an http or https URL holding {@value #PLACEHOLDER}.
     *
     * @throws DbtoolException (78) naming the field and what was expected
     */
    public static TraceLinks of(Config config) {
        JsonElement section = config.section("tracing").orElse(null);
        if (section == null) {
            return NONE;
        }
        JsonObject tracing = section.getAsJsonObject();
        for (String key : tracing.keySet()) {
            if (!key.equals("link")) {
                throw DbtoolException.config(config.locate("tracing." + key) + ": unknown field; expected \"link\"");
            }
        }
        JsonElement link = tracing.get("link");
        if (link == null || link.isJsonNull()) {
            return NONE;
        }
        if (!link.isJsonPrimitive() || !link.getAsJsonPrimitive().isString()) {
            throw DbtoolException.config(config.locate(FIELD) + ": expected a string such as \"https://tempo.example/trace/{traceId}\"");
        }
        return new TraceLinks(checked(config.locate(FIELD), link.getAsString()));
    }

    /**
     * A template given directly, checked as {@link #of(Config)} checks the configuration's.
     *
     * @throws DbtoolException (78) when it is not an http or https URL with {@value #PLACEHOLDER}
     */
    public static TraceLinks template(String template) {
        return new TraceLinks(checked(FIELD, template));
    }

    private static String checked(String where, String template) {
        String expected = ": expected an http or https URL with " + PLACEHOLDER + ", such as https://tempo.example/trace/{traceId}; got \""
                + shown(template) + "\"";
        if (!template.contains(PLACEHOLDER)) {
            throw DbtoolException.config(where + expected + " (no " + PLACEHOLDER + ")");
        }
        try {
            URI uri = new URI(template.replace(PLACEHOLDER, "0af7651916cd43dd8448eb211c80319c"));
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                throw DbtoolException.config(where + expected);
            }
        } catch (URISyntaxException e) {
            throw DbtoolException.config(where + expected + " (" + e.getReason() + ")");
        }
        return template;
    }

    /** A template as an error message quotes it: one line, cut. */
    private static String shown(String template) {
        String line = SafeText.oneLine(template);
        return line.length() > 120 ? line.substring(0, 119) + "…" : line;
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
        return template == null ? null : template.replace(PLACEHOLDER, traceId);
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
