package dbtool.core.report;

import com.google.gson.stream.JsonWriter;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link Report} as the JSON of the report contract (schemaVersion 1), field by field,
 * so the order and the nulls of the contract do not depend on reflection.
 */
public final class JsonReportWriter {

    private JsonReportWriter() {
    }

    public static String toJson(Report report) {
        StringWriter out = new StringWriter();
        try {
            write(report, out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    public static void write(Report report, Writer out) throws IOException {
        JsonWriter json = new JsonWriter(out);
        json.setIndent("  ");
        json.setSerializeNulls(true);
        writeReport(json, report);
        json.flush();
        out.write(System.lineSeparator());
        out.flush();
    }

    /**
     * A fleet summary: the tool, the worst status, counts per status, and per target its status,
     * the reason when no report could be made, and its full report (the single-target contract).
     */
    public static String toJson(FleetReport fleet) {
        StringWriter out = new StringWriter();
        try {
            JsonWriter json = new JsonWriter(out);
            json.setIndent("  ");
            json.setSerializeNulls(true);
            json.beginObject();
            json.name("schemaVersion").value(fleet.schemaVersion());
            json.name("kind").value("fleet");
            json.name("tool").beginObject().name("name").value("dbtool").name("version").value(fleet.toolVersion()).endObject();
            json.name("status").value(fleet.status().name());
            json.name("startedAt").value(fleet.startedAt().truncatedTo(ChronoUnit.MILLIS).toString());
            json.name("durationMs").value(fleet.durationMs());
            json.name("parallel").value(fleet.parallel());
            json.name("summary").beginObject();
            for (Severity severity : List.of(Severity.CRITICAL, Severity.UNKNOWN,
                    Severity.WARNING, Severity.OK)) {
                json.name(severity.name()).value(fleet.targets().stream().filter(t -> t.status() == severity).count());
            }
            json.endObject();
            json.name("targets").beginArray();
            for (FleetReport.Entry entry : fleet.targets()) {
                json.beginObject();
                json.name("name").value(entry.name());
                json.name("status").value(entry.status().name());
                json.name("error").value(entry.error());
                json.name("report");
                if (entry.report() == null) {
                    json.nullValue();
                } else {
                    writeReport(json, entry.report());
                }
                json.endObject();
            }
            json.endArray();
            json.endObject();
            json.flush();
            out.write(System.lineSeparator());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    private static void writeReport(JsonWriter json, Report report) throws IOException {
        json.beginObject();
        json.name("schemaVersion").value(report.schemaVersion());
        json.name("tool").beginObject()
                .name("name").value("dbtool")
                .name("version").value(report.toolVersion())
                .endObject();
        TargetInfo target = report.target();
        json.name("target").beginObject()
                .name("name").value(target.name())
                .name("engine").value(target.engine())
                .name("host").value(target.host())
                .name("port").value(target.port())
                .name("database").value(target.database())
                .endObject();
        json.name("status").value(report.status().name());
        json.name("startedAt").value(report.startedAt().truncatedTo(ChronoUnit.MILLIS).toString());
        json.name("durationMs").value(report.durationMs());
        json.name("checks").beginArray();
        for (CheckReport check : report.checks()) {
            json.beginObject();
            json.name("id").value(check.id());
            json.name("category").value(check.category());
            json.name("status").value(check.status().name());
            json.name("durationMs").value(check.durationMs());
            json.name("error").value(check.error());
            json.name("metrics");
            value(json, check.metrics());
            json.name("findings").beginArray();
            for (Finding finding : check.findings()) {
                json.beginObject();
                json.name("code").value(finding.code());
                json.name("severity").value(finding.severity().name());
                json.name("title").value(finding.title());
                json.name("detail").value(finding.detail());
                json.name("evidence");
                value(json, finding.evidence());
                json.name("recommendation").value(finding.recommendation());
                json.name("playbook").value(finding.playbook());
                json.endObject();
            }
            json.endArray();
            json.endObject();
        }
        json.endArray();
        json.endObject();
    }

    /** Writes JSON-friendly JDK values; anything else is written as its string form. */
    static void value(JsonWriter json, Object value) throws IOException {
        switch (value) {
            case null -> json.nullValue();
            case String s -> json.value(s);
            case Boolean b -> json.value(b);
            case Double d when d.isNaN() || d.isInfinite() -> json.nullValue();
            case Float f when f.isNaN() || f.isInfinite() -> json.nullValue();
            case Number n -> json.value(n);
            case Map<?, ?> map -> {
                json.beginObject();
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    json.name(String.valueOf(entry.getKey()));
                    value(json, entry.getValue());
                }
                json.endObject();
            }
            case Collection<?> list -> {
                json.beginArray();
                for (Object item : list) {
                    value(json, item);
                }
                json.endArray();
            }
            case Object[] array -> value(json, Arrays.asList(array));
            case int[] array -> value(json, Arrays.stream(array).boxed().toList());
            case long[] array -> value(json, Arrays.stream(array).boxed().toList());
            case Instant instant -> json.value(instant.toString());
            case Enum<?> e -> json.value(e.name());
            default -> json.value(value.toString());
        }
    }
}
