package dbtool.logs.read;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The JSON-per-line logs: PostgreSQL 15+ jsonlog and MongoDB 4.4+ structured logs. A line that is
 * not a JSON object is read as a bare message (one warning for the first), so nothing is lost.
 */
public final class JsonLineReader extends LineEntryReader {

    /** Which JSON log: PostgreSQL's jsonlog, MongoDB's structured log, Snowflake's events. */
    public enum Kind {
        POSTGRES, MONGODB, SNOWFLAKE
    }

    private final Kind kind;
    private final LineSource.Warnings warnings;
    private boolean warned;

    public JsonLineReader(LineSource source, Kind kind, LineSource.Warnings warnings) {
        super(source);
        this.kind = kind;
        this.warnings = warnings;
    }

    @Override
    public LogEntry next() throws IOException {
        String line;
        while ((line = source.next()) != null) {
            if (line.isBlank()) {
                continue;
            }
            JsonObject json;
            try {
                JsonElement element = JsonParser.parseString(line);
                if (!element.isJsonObject()) {
                    throw new JsonParseException("not an object");
                }
                json = element.getAsJsonObject();
            } catch (JsonParseException | IllegalStateException e) {
                if (!warned) {
                    warned = true;
                    warnings.warn("line " + source.lines() + " is not a JSON log record; such lines are read as bare messages");
                }
                return new LogEntry(source.lines(), null, null, null, line, Map.of());
            }
            return switch (kind) {
                case POSTGRES -> postgres(json);
                case MONGODB -> mongo(json);
                case SNOWFLAKE -> snowflake(json);
            };
        }
        return null;
    }

    private LogEntry postgres(JsonObject json) {
        Map<String, String> fields = new HashMap<>();
        copy(json, "user", fields, "user");
        copy(json, "dbname", fields, "database");
        copy(json, "pid", fields, "pid");
        copy(json, "remote_host", fields, "host");
        copy(json, "session_id", fields, "session");
        copy(json, "detail", fields, "detail");
        copy(json, "hint", fields, "hint");
        copy(json, "context", fields, "context");
        copy(json, "statement", fields, "statement");
        copy(json, "application_name", fields, "application");
        return new LogEntry(source.lines(), text(json, "timestamp"), text(json, "error_severity"), text(json, "state_code"),
                String.valueOf(text(json, "message")), fields);
    }

    /** MongoDB: msg is already a template; the error, user and client from attr join the fields. */
    private LogEntry mongo(JsonObject json) {
        Map<String, String> fields = new HashMap<>();
        copy(json, "c", fields, "component");
        copy(json, "ctx", fields, "context");
        String timestamp = null;
        if (json.get("t") instanceof JsonObject t && t.has("$date")) {
            timestamp = t.get("$date").getAsString();
        }
        String message = String.valueOf(text(json, "msg"));
        if (json.get("attr") instanceof JsonObject attr) {
            for (String key : new String[] {"user", "principalName", "remote", "client", "db", "durationMillis", "ns",
                    "connectionCount", "error", "mechanism"}) {
                JsonElement value = attr.get(key);
                if (value != null && !value.isJsonNull()) {
                    fields.put(key, value.isJsonPrimitive() ? value.getAsString() : value.toString());
                }
            }
            if (attr.get("error") instanceof JsonObject error && error.has("codeName")) {
                message = message + ": " + error.get("codeName").getAsString();
            }
        }
        return new LogEntry(source.lines(), timestamp, text(json, "s"), text(json, "id"), message, fields);
    }

    /**
     * Snowflake: a failed login or a failed query, each an ERROR with Snowflake's error code; a login's
     * message says it is one ("login failed: ..."), so that logins and queries never share a pattern.
     */
    private LogEntry snowflake(JsonObject json) {
        Map<String, String> fields = new HashMap<>();
        for (String key : new String[] {"event", "user", "host", "client", "factor", "warehouse", "status", "queryId", "statement"}) {
            copy(json, key, fields, key);
        }
        String message = String.valueOf(text(json, "message"));
        if ("login".equals(fields.get("event"))) {
            message = "login failed: " + message;
        }
        return new LogEntry(source.lines(), text(json, "timestamp"), "ERROR", text(json, "code"), message, fields);
    }

    private static String text(JsonObject json, String key) {
        JsonElement value = json.get(key);
        return value == null || value.isJsonNull() ? null : value.isJsonPrimitive() ? value.getAsString() : value.toString();
    }

    private static void copy(JsonObject json, String key, Map<String, String> fields, String name) {
        String value = text(json, key);
        if (value != null && !value.isEmpty()) {
            fields.put(name, value);
        }
    }
}
