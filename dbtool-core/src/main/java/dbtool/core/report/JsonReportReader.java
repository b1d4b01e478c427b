package dbtool.core.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads back what {@link JsonReportWriter} wrote (schemaVersion 1), for a report kept as JSON and
 * served again later. What the JSON does not carry comes back empty: which metrics were counters.
 */
public final class JsonReportReader {

    private JsonReportReader() {
    }

    /** @throws IllegalArgumentException when the text is not a report of this schema version */
    public static Report fromJson(String json) {
        try {
            JsonObject report = JsonParser.parseString(json).getAsJsonObject();
            int version = report.get("schemaVersion").getAsInt();
            if (version != Report.SCHEMA_VERSION) {
                throw new IllegalArgumentException("report schema version " + version + ", expected " + Report.SCHEMA_VERSION);
            }
            JsonObject target = report.getAsJsonObject("target");
            TargetInfo info = new TargetInfo(text(target, "name"), text(target, "engine"), text(target, "host"),
                    target.get("port").isJsonNull() ? null : target.get("port").getAsInt(), text(target, "database"));
            List<CheckReport> checks = new ArrayList<>();
            for (JsonElement element : report.getAsJsonArray("checks")) {
                checks.add(check(element.getAsJsonObject()));
            }
            return new Report(version, report.getAsJsonObject("tool").get("version").getAsString(), info,
                    Severity.valueOf(report.get("status").getAsString()), Instant.parse(report.get("startedAt").getAsString()),
                    report.get("durationMs").getAsLong(), checks);
        } catch (JsonParseException | IllegalStateException | NullPointerException | UnsupportedOperationException
                 | DateTimeParseException e) {
            // NullPointerException: a required field is missing; the others: a field of the wrong kind
            throw new IllegalArgumentException("not a dbtool report: " + e.getClass().getSimpleName(), e);
        }
    }

    private static CheckReport check(JsonObject check) {
        List<Finding> findings = new ArrayList<>();
        for (JsonElement element : check.getAsJsonArray("findings")) {
            JsonObject finding = element.getAsJsonObject();
            findings.add(new Finding(finding.get("code").getAsString(), Severity.valueOf(finding.get("severity").getAsString()),
                    finding.get("title").getAsString(), text(finding, "detail"), map(finding.getAsJsonObject("evidence")),
                    text(finding, "recommendation"), text(finding, "playbook")));
        }
        return new CheckReport(check.get("id").getAsString(), text(check, "category"), Severity.valueOf(check.get("status").getAsString()),
                check.get("durationMs").getAsLong(), text(check, "error"), map(check.getAsJsonObject("metrics")), findings);
    }

    private static String text(JsonObject object, String name) {
        JsonElement value = object.get(name);
        return value == null || value.isJsonNull() ? null : value.getAsString();
    }

    private static Map<String, Object> map(JsonObject object) {
        Map<String, Object> map = new LinkedHashMap<>();
        object.entrySet().forEach(entry -> map.put(entry.getKey(), value(entry.getValue())));
        return map;
    }

    private static Object value(JsonElement element) {
        if (element.isJsonNull()) {
            return null;
        }
        if (element instanceof JsonObject object) {
            return map(object);
        }
        if (element instanceof JsonArray array) {
            List<Object> list = new ArrayList<>();
            array.forEach(item -> list.add(value(item)));
            return list;
        }
        JsonPrimitive primitive = element.getAsJsonPrimitive();
        if (primitive.isBoolean()) {
            return primitive.getAsBoolean();
        }
        if (primitive.isNumber()) {
            return number(primitive.getAsBigDecimal());
        }
        return primitive.getAsString();
    }

    /** Whole numbers come back as Long (as checks report counts), the others as Double. */
    private static Number number(BigDecimal decimal) {
        try {
            return decimal.longValueExact();
        } catch (ArithmeticException e) {
            return decimal.doubleValue();
        }
    }
}
