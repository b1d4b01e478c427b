package dbtool.serve.alert;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import dbtool.core.SafeText;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads Alertmanager's (version "4") and Grafana's (version "1") webhook payloads with Gson, strictly:
 * JSON as RFC 8259 has it, a known version, and every field dbtool uses of the type the senders document.
 * Fields dbtool does not use (Grafana's {@code title}, {@code dashboardURL}...) are ignored, so that a
 * sender adding one within its version does not break intake. Every mistake is one line naming the field.
 */
public final class PayloadParser {

    /** More alerts than Alertmanager's largest group sends in practice; past it a payload is refused, not queued. */
    static final int MAX_ALERTS = 1000;

    private static final Pattern POSITION = Pattern.compile("line (\\d+) column (\\d+)");

    private PayloadParser() {
    }

    public static AlertPayload parse(String text) {
        return parse(new StringReader(text));
    }

    public static AlertPayload parse(Reader source) {
        JsonElement root;
        try {
            JsonReader reader = new JsonReader(source);
            reader.setStrictness(Strictness.STRICT);
            root = JsonParser.parseReader(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new PayloadException("invalid JSON: content after the payload object");
            }
        } catch (JsonParseException | IOException | IllegalStateException e) {
            throw new PayloadException("invalid JSON" + position(e.getMessage()));
        }
        if (!root.isJsonObject()) {
            throw new PayloadException("expected a JSON object (an Alertmanager or Grafana webhook payload), got " + kind(root));
        }
        JsonObject payload = root.getAsJsonObject();
        String version = requiredString(payload, "version", "");
        AlertPayload.Sender sender = switch (version) {
            case "4" -> AlertPayload.Sender.ALERTMANAGER;
            case "1" -> AlertPayload.Sender.GRAFANA;
            default -> throw new PayloadException("version: expected \"4\" (Alertmanager) or \"1\" (Grafana), got \""
                    + SafeText.oneLine(abbreviate(version)) + "\"");
        };
        JsonArray alertArray = array(payload, "alerts");
        if (alertArray.size() > MAX_ALERTS) {
            throw new PayloadException("alerts: " + alertArray.size() + " alerts, more than the " + MAX_ALERTS + " one payload may carry");
        }
        List<Alert> alerts = new ArrayList<>();
        for (int i = 0; i < alertArray.size(); i++) {
            String field = "alerts[" + i + "]";
            JsonElement element = alertArray.get(i);
            if (!element.isJsonObject()) {
                throw new PayloadException(field + ": expected an object, got " + kind(element));
            }
            alerts.add(alert(element.getAsJsonObject(), field, sender));
        }
        Long orgId = sender == AlertPayload.Sender.GRAFANA && payload.has("orgId") ? wholeNumber(payload, "orgId", "") : null;
        return new AlertPayload(sender, version, status(payload, ""), optionalString(payload, "receiver", ""),
                labels(payload, "groupLabels", ""), labels(payload, "commonLabels", ""), labels(payload, "commonAnnotations", ""),
                optionalString(payload, "externalURL", ""), payload.has("truncatedAlerts") ? wholeNumber(payload, "truncatedAlerts", "") : 0,
                orgId, alerts);
    }

    private static Alert alert(JsonObject alert, String field, AlertPayload.Sender sender) {
        Map<String, String> labels = labels(alert, "labels", field + ".");
        if (!alert.has("labels")) {
            throw new PayloadException(field + ".labels: missing");
        }
        if (labels.getOrDefault("alertname", "").isBlank()) {
            throw new PayloadException(field + ".labels.alertname: missing; every alert needs its name");
        }
        Map<String, Double> values = new LinkedHashMap<>();
        if (sender == AlertPayload.Sender.GRAFANA && alert.has("values") && !alert.get("values").isJsonNull()) {
            JsonElement element = alert.get("values");
            if (!element.isJsonObject()) {
                throw new PayloadException(field + ".values: expected an object of numbers, got " + kind(element));
            }
            for (Map.Entry<String, JsonElement> value : element.getAsJsonObject().entrySet()) {
                if (!(value.getValue() instanceof JsonPrimitive primitive) || !primitive.isNumber()) {
                    throw new PayloadException(field + ".values." + SafeText.oneLine(value.getKey()) + ": expected a number, got "
                            + kind(value.getValue()));
                }
                values.put(value.getKey(), primitive.getAsDouble());
            }
        }
        return new Alert(status(alert, field + "."), labels, labels(alert, "annotations", field + "."),
                time(alert, "startsAt", field + "."), time(alert, "endsAt", field + "."),
                optionalString(alert, "fingerprint", field + "."), optionalString(alert, "generatorURL", field + "."), values);
    }

    private static String status(JsonObject object, String prefix) {
        String status = requiredString(object, "status", prefix);
        if (!status.equals("firing") && !status.equals("resolved")) {
            throw new PayloadException(prefix + "status: expected \"firing\" or \"resolved\", got \"" + SafeText.oneLine(abbreviate(status)) + "\"");
        }
        return status;
    }

    /** Year 1 ({@code 0001-01-01T00:00:00Z}) is Alertmanager's "not set". */
    private static Instant time(JsonObject object, String name, String prefix) {
        String text = optionalString(object, name, prefix);
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            Instant instant = OffsetDateTime.parse(text).toInstant();
            return instant.isBefore(Instant.parse("1970-01-02T00:00:00Z")) ? null : instant;
        } catch (DateTimeParseException e) {
            throw new PayloadException(prefix + name + ": expected an RFC 3339 time such as 2026-12-07T09:00:00Z, got \""
                    + SafeText.oneLine(abbreviate(text)) + "\"");
        }
    }

    private static Map<String, String> labels(JsonObject object, String name, String prefix) {
        JsonElement element = object.get(name);
        Map<String, String> labels = new LinkedHashMap<>();
        if (element == null || element.isJsonNull()) {
            return labels;
        }
        if (!element.isJsonObject()) {
            throw new PayloadException(prefix + name + ": expected an object of strings, got " + kind(element));
        }
        for (Map.Entry<String, JsonElement> label : element.getAsJsonObject().entrySet()) {
            JsonElement value = label.getValue();
            if (!(value instanceof JsonPrimitive primitive) || !primitive.isString()) {
                throw new PayloadException(prefix + name + "." + SafeText.oneLine(abbreviate(label.getKey())) + ": expected a string, got " + kind(value));
            }
            labels.put(label.getKey(), primitive.getAsString());
        }
        return labels;
    }

    private static JsonArray array(JsonObject object, String name) {
        JsonElement element = object.get(name);
        if (element == null) {
            throw new PayloadException(name + ": missing");
        }
        if (!element.isJsonArray()) {
            throw new PayloadException(name + ": expected an array, got " + kind(element));
        }
        return element.getAsJsonArray();
    }

    private static String requiredString(JsonObject object, String name, String prefix) {
        String value = optionalString(object, name, prefix);
        if (value == null) {
            throw new PayloadException(prefix + name + ": missing");
        }
        return value;
    }

    private static String optionalString(JsonObject object, String name, String prefix) {
        JsonElement element = object.get(name);
        if (element == null || element.isJsonNull()) {
            return null;
        }
        if (!(element instanceof JsonPrimitive primitive) || !primitive.isString()) {
            throw new PayloadException(prefix + name + ": expected a string, got " + kind(element));
        }
        return primitive.getAsString();
    }

    private static long wholeNumber(JsonObject object, String name, String prefix) {
        JsonElement element = object.get(name);
        if (element instanceof JsonPrimitive primitive && primitive.isNumber()) {
            try {
                long value = primitive.getAsBigDecimal().longValueExact();
                if (value >= 0) {
                    return value;
                }
            } catch (ArithmeticException e) {
                // below
            }
        }
        throw new PayloadException(prefix + name + ": expected a whole number of 0 or more, got "
                + (element instanceof JsonPrimitive p && p.isNumber() ? p.getAsString() : kind(element)));
    }

    private static String kind(JsonElement element) {
        if (element == null || element.isJsonNull()) {
            return "null";
        }
        if (element.isJsonObject()) {
            return "an object";
        }
        if (element.isJsonArray()) {
            return "an array";
        }
        JsonPrimitive primitive = element.getAsJsonPrimitive();
        return primitive.isString() ? "a string" : primitive.isNumber() ? "a number" : "a boolean";
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }

    private static String position(String gsonMessage) {
        Matcher matcher = POSITION.matcher(gsonMessage == null ? "" : gsonMessage);
        return matcher.find() ? " at line " + matcher.group(1) + " column " + matcher.group(2) : "";
    }
}
