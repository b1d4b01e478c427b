package dbtool.triage;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dbtool.core.report.TraceLinks;
import dbtool.spi.Finding;
import dbtool.spi.Redaction;
import dbtool.spi.TraceContext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The texts of a {@link Notice} for each medium: a title, Markdown with evidence tables (tickets),
 * plain text and HTML (email), Slack Block Kit, Atlassian Document Format (Jira), and PagerDuty's
 * one-line summary. Server text is masked ({@link Redaction#redactText}) and escaped for each medium.
 */
public final class Render {

    /** Slack: a message is shown whole up to about 4,000 characters; its blocks' text is kept under this. */
    public static final int SLACK_TEXT = 3_800;
    /** PagerDuty Events v2: {@code payload.summary} is at most 1,024 characters. */
    public static final int PAGERDUTY_SUMMARY = 1_024;
    /** GitHub: an issue body holds at most 65,536 characters. */
    public static final int GITHUB_BODY = 60_000;

    private Render() {
    }

    static String clean(String text) {
        return text == null ? "" : Redaction.redactText(text);
    }

    public static String title(Notice notice) {
        Finding root = notice.cause() == null ? null : notice.cause().root();
        String what = root != null ? root.code() + ": " + clean(root.title()) : notice.row() != null ? clean(notice.row().summary()) : notice.rootCode();
        String state = switch (notice.action()) {
            case RESOLVE -> "RESOLVED";
            case REPEAT -> notice.priority() + " still";
            default -> notice.priority().name();
        };
        return oneLine("[" + state + "] " + notice.target() + ": " + what);
    }

    /** PagerDuty's summary: the title and the priority's reason, at most 1,024 characters. */
    public static String summary(Notice notice) {
        String reason = notice.classification() == null ? "" : " (" + notice.classification().summary() + ")";
        return clip(title(notice) + reason, PAGERDUTY_SUMMARY);
    }

    /** One line per consequence: what the root explains. */
    static List<String> consequences(Notice notice) {
        List<String> lines = new ArrayList<>();
        if (notice.cause() != null) {
            for (Finding f : notice.cause().consequences()) {
                lines.add(f.code() + ": " + oneLine(clean(f.title())));
            }
        }
        return lines;
    }

    /**
     * A session's trace in a finding's evidence: its id, service and, when {@code tracing.link} is configured, its link.
     */
    public record Trace(String traceId, String service, String url) {
        /** One line: the link when there is one, else the id; the service after it. */
        public String line() {
            return (url == null ? traceId : url) + (service == null ? "" : " (" + service + ")");
        }
    }

    /** At most this many traces are listed in a notification: the root cause's sessions come first. */
    static final int MAX_TRACES = 5;

    /** The traces of the sessions in the notice's findings (root cause first), each once. */
    public static List<Trace> traces(Notice notice) {
        Map<String, Trace> traces = new LinkedHashMap<>();
        for (Finding f : notice.findings()) {
            collectTraces(f.evidence(), traces);
        }
        return traces.values().stream().limit(MAX_TRACES).toList();
    }

    private static void collectTraces(Object value, Map<String, Trace> into) {
        if (value instanceof Map<?, ?> map) {
            if (map.get(TraceContext.TRACE_ID) instanceof String id) {
                into.putIfAbsent(id, new Trace(id, map.get(TraceContext.SERVICE) instanceof String service ? oneLine(clean(service)) : null,
                        map.get(TraceLinks.URL) instanceof String url ? url : null));
            }
            map.values().forEach(v -> collectTraces(v, into));
        } else if (value instanceof Collection<?> list) {
            list.forEach(v -> collectTraces(v, into));
        }
    }

    // ---------------------------------------------------------------- Markdown (tickets)

    public static String markdown(Notice notice, int max) {
        StringBuilder md = new StringBuilder();
        md.append("**").append(notice.resolved() ? "Resolved" : notice.priority().name()).append("** on `").append(md(notice.target())).append("`");
        if (notice.engine() != null) {
            md.append(" (").append(notice.engine()).append(")");
        }
        md.append(", incident `").append(md(notice.key())).append("`\n\n");
        if (notice.classification() != null) {
            md.append("Why ").append(notice.priority()).append(":\n\n");
            for (String reason : notice.classification().reasons()) {
                md.append("- ").append(md(reason)).append('\n');
            }
            md.append('\n');
        }
        if (notice.row() != null) {
            md.append("First seen ").append(notice.row().firstSeen()).append(", last seen ").append(notice.row().lastSeen())
                    .append(", ").append(notice.row().occurrences()).append(" occurrence(s).\n\n");
        }
        if (!notice.headBlockers().isEmpty()) {
            md.append("Head blocker(s): ").append(joinCode(notice.headBlockers())).append("\n\n");
        }
        List<Trace> traces = traces(notice);
        if (!traces.isEmpty()) {
            md.append("Traces:\n\n");
            traces.forEach(t -> md.append("- ").append(t.url() == null ? "`" + t.traceId() + "`" : "[" + t.traceId() + "](" + t.url() + ")")
                    .append(t.service() == null ? "" : " (" + md(t.service()) + ")").append('\n'));
            md.append('\n');
        }
        if (!notice.statements().isEmpty()) {
            md.append("To run (dbtool never runs it):\n\n");
            for (String statement : notice.statements()) {
                md.append("```\n").append(clean(statement).replace("```", "'''")).append("\n```\n\n");
            }
        }
        List<Finding> findings = notice.findings();
        for (int i = 0; i < findings.size(); i++) {
            Finding f = findings.get(i);
            String role = i == 0 ? "Root cause" : notice.cause().consequences().contains(f) ? "Consequence" : "Also found";
            md.append("### ").append(role).append(": ").append(f.code()).append(" (").append(f.severity()).append(")\n\n");
            md.append(md(clean(f.title()))).append("\n\n");
            if (!f.detail().isBlank()) {
                md.append(md(clean(f.detail()))).append("\n\n");
            }
            evidenceTables(md, f.evidence());
            if (!f.playbook().isBlank()) {
                md.append("Playbook: ").append(notice.playbook(f)).append("\n\n");
            }
            if (md.length() > max) {
                break;
            }
        }
        if (!notice.alertLabels().isEmpty()) {
            md.append("### Alert\n\n| label | value |\n|---|---|\n");
            notice.alertLabels().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> md.append("| ").append(cell(e.getKey())).append(" | ").append(cell(e.getValue())).append(" |\n"));
            md.append('\n');
        }
        return clip(md.toString(), max);
    }

    /** Scalars as one key/value table; each list of objects (a blocking tree, sessions) as a table of its own. */
    static void evidenceTables(StringBuilder md, Map<String, Object> evidence) {
        List<Map.Entry<String, Object>> scalars = new ArrayList<>();
        for (Map.Entry<String, Object> entry : evidence.entrySet()) {
            if (entry.getValue() instanceof Collection<?> rows && !rows.isEmpty() && rows.iterator().next() instanceof Map<?, ?>) {
                List<Map<?, ?>> flat = new ArrayList<>();
                flatten(rows, flat, 0);
                Set<String> columns = new LinkedHashSet<>();
                for (Map<?, ?> row : flat) {
                    for (Object column : row.keySet()) {
                        if (!(row.get(column) instanceof Collection<?> nested && !nested.isEmpty() && nested.iterator().next() instanceof Map<?, ?>)) {
                            columns.add(String.valueOf(column));
                        }
                    }
                }
                md.append("**").append(md(entry.getKey())).append("**\n\n|");
                columns.forEach(c -> md.append(' ').append(cell(c)).append(" |"));
                md.append("\n|");
                columns.forEach(c -> md.append("---|"));
                md.append('\n');
                for (Map<?, ?> row : flat.subList(0, Math.min(flat.size(), 30))) {
                    md.append('|');
                    for (String column : columns) {
                        md.append(' ').append(cell(String.valueOf(row.get(column) == null ? "" : row.get(column)))).append(" |");
                    }
                    md.append('\n');
                }
                md.append('\n');
            } else {
                scalars.add(entry);
            }
        }
        if (!scalars.isEmpty()) {
            md.append("| evidence | value |\n|---|---|\n");
            for (Map.Entry<String, Object> entry : scalars) {
                md.append("| ").append(cell(entry.getKey())).append(" | ").append(cell(String.valueOf(entry.getValue()))).append(" |\n");
            }
            md.append('\n');
        }
    }

    /** A blocking tree's nested {@code blocked} children become rows after their parent, with their depth. */
    private static void flatten(Collection<?> rows, List<Map<?, ?>> into, int depth) {
        for (Object row : rows) {
            if (row instanceof Map<?, ?> map) {
                into.add(map);
                if (map.get("blocked") instanceof Collection<?> children) {
                    flatten(children, into, depth + 1);
                }
            }
        }
    }

    private static String cell(String text) {
        return clip(oneLine(clean(text)), 300).replace("|", "\\|");
    }

    private static String md(String text) {
        return text.replace("<", "&lt;");
    }

    // ---------------------------------------------------------------- email

    public static String text(Notice notice) {
        StringBuilder text = new StringBuilder(title(notice)).append("\n\n");
        if (notice.classification() != null) {
            notice.classification().reasons().forEach(r -> text.append("  ").append(r).append('\n'));
            text.append('\n');
        }
        if (!notice.headBlockers().isEmpty()) {
            text.append("Head blocker(s): ").append(join(notice.headBlockers())).append("\n\n");
        }
        List<Trace> traces = traces(notice);
        if (!traces.isEmpty()) {
            text.append("Traces:\n");
            traces.forEach(t -> text.append("  ").append(t.line()).append('\n'));
            text.append('\n');
        }
        for (String statement : notice.statements()) {
            text.append("To run (dbtool never runs it):\n    ").append(clean(statement).replace("\n", "\n    ")).append("\n\n");
        }
        List<Finding> findings = notice.findings();
        for (int i = 0; i < findings.size(); i++) {
            Finding f = findings.get(i);
            text.append(i == 0 ? "Root cause: " : notice.cause().consequences().contains(f) ? "Consequence: " : "Also: ")
                    .append(f.code()).append(" (").append(f.severity()).append(") ").append(oneLine(clean(f.title()))).append('\n');
            if (!f.playbook().isBlank()) {
                text.append("  playbook: ").append(notice.playbook(f)).append('\n');
            }
        }
        text.append("\nIncident ").append(notice.key());
        if (notice.row() != null) {
            text.append(": first seen ").append(notice.row().firstSeen()).append(", ").append(notice.row().occurrences()).append(" occurrence(s)");
        }
        return text.append('\n').toString();
    }

    public static String html(Notice notice) {
        StringBuilder html = new StringBuilder("<html><body>");
        html.append("<h2>").append(h(title(notice))).append("</h2>");
        if (notice.classification() != null) {
            html.append("<ul>");
            notice.classification().reasons().forEach(r -> html.append("<li>").append(h(r)).append("</li>"));
            html.append("</ul>");
        }
        if (!notice.headBlockers().isEmpty()) {
            html.append("<p>Head blocker(s): <b>").append(h(join(notice.headBlockers()))).append("</b></p>");
        }
        List<Trace> traces = traces(notice);
        if (!traces.isEmpty()) {
            html.append("<p>Traces:</p><ul>");
            traces.forEach(t -> html.append("<li>").append(t.url() == null ? h(t.traceId())
                    : "<a href=\"" + h(t.url()) + "\">" + h(t.traceId()) + "</a>").append(t.service() == null ? "" : " (" + h(t.service()) + ")")
                    .append("</li>"));
            html.append("</ul>");
        }
        for (String statement : notice.statements()) {
            html.append("<p>To run (dbtool never runs it):</p><pre>").append(h(clean(statement))).append("</pre>");
        }
        html.append("<table border=\"1\" cellpadding=\"4\"><tr><th>role</th><th>code</th><th>severity</th><th>finding</th><th>playbook</th></tr>");
        List<Finding> findings = notice.findings();
        for (int i = 0; i < findings.size(); i++) {
            Finding f = findings.get(i);
            String role = i == 0 ? "root cause" : notice.cause().consequences().contains(f) ? "consequence" : "also";
            html.append("<tr><td>").append(role).append("</td><td>").append(h(f.code())).append("</td><td>").append(f.severity())
                    .append("</td><td>").append(h(clean(f.title()))).append("</td><td>");
            String link = notice.playbook(f);
            if (link.startsWith("http://") || link.startsWith("https://")) {
                html.append("<a href=\"").append(h(link)).append("\">playbook</a>");
            } else {
                html.append(h(link));
            }
            html.append("</td></tr>");
        }
        html.append("</table><p>Incident ").append(h(notice.key())).append("</p></body></html>");
        return html.toString();
    }

    private static String h(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    // ---------------------------------------------------------------- Slack

    /** An incoming-webhook body: {@code text} (the notification's fallback) and Block Kit blocks, text kept under {@link #SLACK_TEXT}. */
    public static JsonObject slack(Notice notice) {
        String title = clip(title(notice), 150);
        List<String> sections = new ArrayList<>();
        StringBuilder head = new StringBuilder();
        head.append("*Status:* ").append(notice.resolved() ? "resolved" : "firing").append("   *Priority:* ").append(notice.priority())
                .append("   *Target:* `").append(s(notice.target())).append('`');
        if (notice.classification() != null) {
            head.append("\n").append(s(notice.classification().summary()));
        }
        sections.add(head.toString());
        if (notice.cause() != null && notice.cause().root() != null) {
            StringBuilder cause = new StringBuilder("*Root cause:* ").append(s(notice.cause().root().code())).append(" ")
                    .append(s(oneLine(clean(notice.cause().root().title()))));
            for (String line : consequences(notice)) {
                cause.append("\n• consequence: ").append(s(line));
            }
            for (Finding other : notice.cause().others()) {
                cause.append("\n• also: ").append(s(other.code() + ": " + oneLine(clean(other.title()))));
            }
            sections.add(cause.toString());
        }
        if (!notice.headBlockers().isEmpty()) {
            sections.add("*Head blocker:* " + s(join(notice.headBlockers())));
        }
        List<Trace> traces = traces(notice);
        if (!traces.isEmpty()) {
            sections.add("*Traces:* " + String.join(" · ", traces.stream().map(t -> (t.url() == null ? "`" + t.traceId() + "`"
                    : "<" + t.url() + "|" + t.traceId() + ">") + (t.service() == null ? "" : " (" + s(t.service()) + ")")).toList()));
        }
        for (String statement : notice.statements()) {
            sections.add("*Run (dbtool never does):*\n```" + s(clean(statement)) + "```");
        }
        List<String> links = new ArrayList<>();
        for (Finding f : notice.findings()) {
            String link = notice.playbook(f);
            if (!link.isBlank()) {
                links.add(link.startsWith("http") ? "<" + link + "|" + f.code() + ">" : f.code() + ": " + s(link));
            }
        }
        // Fit: the blocks' text stays under SLACK_TEXT; later sections are cut first, the head never.
        int budget = SLACK_TEXT - title.length() - 200;
        JsonArray blocks = new JsonArray();
        JsonObject header = new JsonObject();
        header.addProperty("type", "header");
        header.add("text", plain(title));
        blocks.add(header);
        for (String section : sections) {
            if (budget <= 50) {
                break;
            }
            String text = clip(section, Math.min(budget, 2_900));
            budget -= text.length();
            blocks.add(section(text));
        }
        if (!links.isEmpty() && budget > 50) {
            JsonObject context = new JsonObject();
            context.addProperty("type", "context");
            JsonArray elements = new JsonArray();
            JsonObject text = new JsonObject();
            text.addProperty("type", "mrkdwn");
            text.addProperty("text", clip("Playbooks: " + String.join(" · ", new LinkedHashSet<>(links)), Math.min(budget, 2_900)));
            elements.add(text);
            context.add("elements", elements);
            blocks.add(context);
        }
        JsonObject body = new JsonObject();
        body.addProperty("text", title);
        body.add("blocks", blocks);
        return body;
    }

    private static JsonObject section(String mrkdwn) {
        JsonObject section = new JsonObject();
        section.addProperty("type", "section");
        JsonObject text = new JsonObject();
        text.addProperty("type", "mrkdwn");
        text.addProperty("text", mrkdwn);
        section.add("text", text);
        return section;
    }

    private static JsonObject plain(String text) {
        JsonObject plain = new JsonObject();
        plain.addProperty("type", "plain_text");
        plain.addProperty("text", text);
        return plain;
    }

    /** Slack's mrkdwn escaping: only &, < and > are special. */
    private static String s(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    // ---------------------------------------------------------------- Jira (ADF)

    /** Atlassian Document Format: headings, paragraphs, code blocks and tables of the Markdown's content. */
    public static JsonObject adf(Notice notice) {
        JsonArray content = new JsonArray();
        content.add(paragraph(title(notice)));
        if (notice.classification() != null) {
            JsonArray items = new JsonArray();
            for (String reason : notice.classification().reasons()) {
                JsonObject item = new JsonObject();
                item.addProperty("type", "listItem");
                JsonArray itemContent = new JsonArray();
                itemContent.add(paragraph(reason));
                item.add("content", itemContent);
                items.add(item);
            }
            JsonObject list = new JsonObject();
            list.addProperty("type", "bulletList");
            list.add("content", items);
            content.add(list);
        }
        if (!notice.headBlockers().isEmpty()) {
            content.add(paragraph("Head blocker(s): " + join(notice.headBlockers())));
        }
        for (Trace trace : traces(notice)) {
            JsonObject paragraph = paragraph("Trace: ");
            JsonObject id = text(trace.traceId());
            if (trace.url() != null) {
                JsonObject link = new JsonObject();
                link.addProperty("type", "link");
                JsonObject href = new JsonObject();
                href.addProperty("href", trace.url());
                link.add("attrs", href);
                JsonArray marks = new JsonArray();
                marks.add(link);
                id.add("marks", marks);
            }
            paragraph.getAsJsonArray("content").add(id);
            if (trace.service() != null) {
                paragraph.getAsJsonArray("content").add(text(" (" + trace.service() + ")"));
            }
            content.add(paragraph);
        }
        for (String statement : notice.statements()) {
            JsonObject code = new JsonObject();
            code.addProperty("type", "codeBlock");
            JsonArray codeText = new JsonArray();
            codeText.add(text(clean(statement)));
            code.add("content", codeText);
            content.add(code);
        }
        List<Finding> findings = notice.findings();
        for (int i = 0; i < findings.size(); i++) {
            Finding f = findings.get(i);
            String role = i == 0 ? "Root cause" : notice.cause().consequences().contains(f) ? "Consequence" : "Also found";
            JsonObject heading = new JsonObject();
            heading.addProperty("type", "heading");
            JsonObject attrs = new JsonObject();
            attrs.addProperty("level", 3);
            heading.add("attrs", attrs);
            JsonArray headingText = new JsonArray();
            headingText.add(text(role + ": " + f.code() + " (" + f.severity() + ")"));
            heading.add("content", headingText);
            content.add(heading);
            content.add(paragraph(oneLine(clean(f.title()))));
            content.add(table(f.evidence()));
            if (!f.playbook().isBlank()) {
                content.add(paragraph("Playbook: " + notice.playbook(f)));
            }
        }
        JsonObject doc = new JsonObject();
        doc.addProperty("type", "doc");
        doc.addProperty("version", 1);
        doc.add("content", content);
        return doc;
    }

    public static JsonObject adfParagraphs(String... lines) {
        JsonArray content = new JsonArray();
        for (String line : lines) {
            content.add(paragraph(line));
        }
        JsonObject doc = new JsonObject();
        doc.addProperty("type", "doc");
        doc.addProperty("version", 1);
        doc.add("content", content);
        return doc;
    }

    private static JsonObject table(Map<String, Object> evidence) {
        JsonArray rows = new JsonArray();
        rows.add(row(true, "evidence", "value"));
        for (Map.Entry<String, Object> entry : evidence.entrySet()) {
            rows.add(row(false, entry.getKey(), clip(oneLine(clean(String.valueOf(entry.getValue()))), 500)));
        }
        JsonObject table = new JsonObject();
        table.addProperty("type", "table");
        table.add("content", rows);
        return table;
    }

    private static JsonObject row(boolean header, String... cells) {
        JsonArray content = new JsonArray();
        for (String cell : cells) {
            JsonObject c = new JsonObject();
            c.addProperty("type", header ? "tableHeader" : "tableCell");
            JsonArray cellContent = new JsonArray();
            cellContent.add(paragraph(cell));
            c.add("content", cellContent);
            content.add(c);
        }
        JsonObject row = new JsonObject();
        row.addProperty("type", "tableRow");
        row.add("content", content);
        return row;
    }

    private static JsonObject paragraph(String line) {
        JsonObject paragraph = new JsonObject();
        paragraph.addProperty("type", "paragraph");
        JsonArray content = new JsonArray();
        if (!line.isEmpty()) {
            content.add(text(line));
        }
        paragraph.add("content", content);
        return paragraph;
    }

    private static JsonObject text(String value) {
        JsonObject text = new JsonObject();
        text.addProperty("type", "text");
        text.addProperty("text", value);
        return text;
    }

    // ---------------------------------------------------------------- helpers

    static String join(List<Long> pids) {
        return String.join(", ", pids.stream().map(String::valueOf).toList());
    }

    private static String joinCode(List<Long> pids) {
        return String.join(", ", pids.stream().map(p -> "`" + p + "`").toList());
    }

    static String oneLine(String text) {
        return text.replaceAll("[\\r\\n\\t]+", " ").strip();
    }

    public static String clip(String text, int max) {
        return text.length() <= max ? text : text.substring(0, Math.max(0, max - 1)) + "…";
    }
}
