package dbtool.triage;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dbtool.core.DbtoolException;
import dbtool.core.config.Config;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One object of the {@code "triage"} block with its path, read strictly: an unknown field, a wrong type
 * or a bad value is one line naming the file, line, column and field, and what was expected (exit 78).
 */
public record Block(Config config, String path, JsonObject json) {

    public static Block of(Config config, String path, JsonElement element) {
        if (element == null || !element.isJsonObject()) {
            throw error(config, path, "expected an object");
        }
        return new Block(config, path, element.getAsJsonObject());
    }

    /** Fails on a field outside {@code allowed}. */
    public Block only(String... allowed) {
        Set<String> fields = new TreeSet<>(List.of(allowed));
        for (String key : json.keySet()) {
            if (!fields.contains(key)) {
                throw fail(key, "unknown field; expected one of " + String.join(", ", fields));
            }
        }
        return this;
    }

    public boolean has(String field) {
        return json.has(field) && !json.get(field).isJsonNull();
    }

    public String string(String field, String fallback) {
        if (!has(field)) {
            return fallback;
        }
        JsonElement value = json.get(field);
        if (value instanceof JsonPrimitive primitive && (primitive.isString() || primitive.isNumber()) && !primitive.getAsString().isBlank()) {
            return primitive.getAsString();
        }
        throw fail(field, "expected a non-empty string");
    }

    public String required(String field) {
        String value = string(field, null);
        if (value == null) {
            throw fail(field, "missing; required here");
        }
        return value;
    }

    public boolean bool(String field, boolean fallback) {
        if (!has(field)) {
            return fallback;
        }
        if (json.get(field) instanceof JsonPrimitive primitive && primitive.isBoolean()) {
            return primitive.getAsBoolean();
        }
        throw fail(field, "expected true or false");
    }

    public double number(String field) {
        if (json.get(field) instanceof JsonPrimitive primitive && primitive.isNumber()) {
            return primitive.getAsDouble();
        }
        throw fail(field, "expected a number");
    }

    /** A string, or an array of strings. */
    public List<String> strings(String field) {
        if (!has(field)) {
            return List.of();
        }
        JsonElement value = json.get(field);
        List<String> values = new ArrayList<>();
        if (value.isJsonArray()) {
            for (JsonElement item : value.getAsJsonArray()) {
                if (!(item instanceof JsonPrimitive primitive) || primitive.isJsonNull() || primitive.getAsString().isBlank()) {
                    throw fail(field, "expected strings");
                }
                values.add(item.getAsString());
            }
        } else {
            values.add(string(field, null));
        }
        return List.copyOf(values);
    }

    /** {@code "30s"}, {@code "5m"}, {@code "4h"}, {@code "1d"}, or a number of seconds. */
    public Duration duration(String field, Duration fallback) {
        if (!has(field)) {
            return fallback;
        }
        String text = string(field, null).trim();
        try {
            if (text.matches("\\d+(\\.\\d+)?")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(text) * 1000));
            }
            if (text.matches("\\d+(ms|s|m|h|d)")) {
                long amount = Long.parseLong(text.replaceAll("\\D", ""));
                return switch (text.replaceAll("\\d", "")) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                };
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw fail(field, "expected a duration such as 30s, 5m, 4h or 1d, got \"" + text + "\"");
    }

    public Block object(String field) {
        return Block.of(config, path + "." + field, json.get(field));
    }

    public List<Block> objects(String field) {
        if (!has(field)) {
            return List.of();
        }
        if (!json.get(field).isJsonArray()) {
            throw fail(field, "expected an array of objects");
        }
        JsonArray array = json.getAsJsonArray(field);
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            blocks.add(Block.of(config, path + "." + field + "[" + i + "]", array.get(i)));
        }
        return blocks;
    }

    public DbtoolException fail(String field, String message) {
        return error(config, path + "." + field, message);
    }

    public DbtoolException fail(String message) {
        return error(config, path, message);
    }

    static DbtoolException error(Config config, String field, String message) {
        return DbtoolException.config(config.locate(field) + ": " + message);
    }
}
