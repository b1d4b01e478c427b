package dbtool.testkit.notify;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * PagerDuty's Events API v2 ({@code POST /v2/enqueue}) as documented: {@code routing_key} (32 characters,
 * the integration key) and {@code event_action} (trigger, acknowledge, resolve) always; {@code dedup_key}
 * at most 255 characters, required to acknowledge or resolve; for a trigger, {@code payload} with
 * {@code summary} (at most 1,024 characters), {@code source} and {@code severity} (critical, error,
 * warning, info). Answers 202 with the dedup key, 400 {@code Invalid event} with the errors, 429 with
 * {@code Retry-After} when told to. A routing key other than the expected one is refused as PagerDuty
 * refuses an unknown integration (400 here too).
 */
public final class PagerDutyEventsServer extends ServiceDouble {

    private static final Set<String> SEVERITIES = Set.of("critical", "error", "warning", "info");
    private final String routingKey;

    public PagerDutyEventsServer(String routingKey) throws IOException {
        this.routingKey = routingKey;
    }

    public String eventsUrl() {
        return base() + "/v2/enqueue";
    }

    @Override
    protected Answer handle(String method, String path, Map<String, String> headers, String body) {
        if (!method.equals("POST") || !path.equals("/v2/enqueue")) {
            return Answer.json(404, "{\"status\": \"not found\"}");
        }
        JsonElement parsed = parse(body);
        if (parsed == null || !parsed.isJsonObject()) {
            return invalid("Event object is invalid: not JSON");
        }
        JsonObject event = parsed.getAsJsonObject();
        String key = string(event, "routing_key");
        if (key == null || key.length() != 32) {
            return invalid("'routing_key' must be a 32 character integration key");
        }
        if (!key.equals(routingKey)) {
            return invalid("'routing_key' is not the key of an integration");
        }
        String action = string(event, "event_action");
        if (action == null || !Set.of("trigger", "acknowledge", "resolve").contains(action)) {
            return invalid("'event_action' must be trigger, acknowledge or resolve");
        }
        String dedup = string(event, "dedup_key");
        if (dedup != null && dedup.length() > 255) {
            return invalid("'dedup_key' is longer than 255 characters");
        }
        if (!action.equals("trigger")) {
            if (dedup == null) {
                return invalid("'dedup_key' is required to " + action);
            }
        } else {
            if (!event.has("payload") || !event.get("payload").isJsonObject()) {
                return invalid("'payload' is missing");
            }
            JsonObject payload = event.getAsJsonObject("payload");
            String summary = string(payload, "summary");
            if (summary == null || summary.isEmpty() || summary.length() > 1024) {
                return invalid("'payload.summary' is missing or longer than 1024 characters");
            }
            if (string(payload, "source") == null) {
                return invalid("'payload.source' is missing");
            }
            if (!SEVERITIES.contains(String.valueOf(string(payload, "severity")))) {
                return invalid("'payload.severity' must be critical, error, warning or info");
            }
        }
        JsonObject answer = new JsonObject();
        answer.addProperty("status", "success");
        answer.addProperty("message", "Event processed");
        answer.addProperty("dedup_key", dedup == null ? "generated-" + requests().size() : dedup);
        return Answer.json(202, answer.toString());
    }

    private static Answer invalid(String error) {
        JsonObject answer = new JsonObject();
        answer.addProperty("status", "invalid event");
        answer.addProperty("message", "Event object is invalid");
        JsonArray errors = new JsonArray();
        errors.add(error);
        answer.add("errors", errors);
        return Answer.json(400, answer.toString());
    }

    static String string(JsonObject object, String field) {
        return object.has(field) && object.get(field).isJsonPrimitive() ? object.get(field).getAsString() : null;
    }
}
