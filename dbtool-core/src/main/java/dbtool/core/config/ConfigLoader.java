package dbtool.core.config;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.MalformedJsonException;
import dbtool.core.DbtoolException;
import dbtool.core.ExitCodes;
import dbtool.core.IoErrors;
import dbtool.spi.Redaction;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the configuration file: JSON read leniently (comments allowed), then
 * validated field by field. Every error is one line that names the file, the line and column,
 * the field, and what was expected; it becomes exit code 78.
 *
 * <p>Parsing is streaming so that each value's position is known when it is validated; Gson's
 * reader reports positions only in its {@code toString()}, which is parsed here.
 */
public final class ConfigLoader {

    private static final Pattern POSITION = Pattern.compile("line (\\d+) column (\\d+)");
    /**
     * Top-level blocks that belong to feature modules (dbtool.serve; prometheus and grafana: dbtool.monitoring): read here as JSON with the
     * position of every value, validated by their module (core knows their names, not their fields),
     * so that a misspelt block is still refused here.
     */
    public static final Set<String> FEATURE_SECTIONS = Set.of("alerts", "state", "triage", "prometheus", "grafana");
    private static final Set<String> TOP_LEVEL = Set.of("defaults", "vault", "targets", "$schema", "alerts", "state", "triage", "prometheus",
            "grafana", "tracing");
    private static final Set<String> DEFAULTS_FIELDS = Set.of("timeout", "format", "thresholds");
    private static final Set<String> TARGET_FIELDS = Set.of("url", "auth", "tags", "thresholds", "options", "description");
    private static final Set<String> FORMATS = Set.of("text", "json");

    private ConfigLoader() {
    }

    /**
     * Far more than any configuration needs (a target is a few hundred bytes); what is larger is not
     * a configuration file, and an endless one ({@code DBTOOL_CONFIG=/dev/zero}) must not be read
     * until memory runs out.
     */
    static final int MAX_BYTES = 4 * 1024 * 1024;

    /** Loads the file, or returns {@link Config#empty()} when it does not exist. */
    public static Config load(Path file) {
        String text;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw DbtoolException.config(file + ": not read: larger than " + MAX_BYTES / (1024 * 1024)
                        + " MiB, which no configuration file is (does DBTOOL_CONFIG name the right file?)");
            }
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (NoSuchFileException e) {
            return Config.empty();
        } catch (CharacterCodingException e) {
            throw DbtoolException.config(file + ": cannot read the configuration file: it is not UTF-8 text");
        } catch (IOException e) {
            throw DbtoolException.config(file + ": cannot read the configuration file: " + IoErrors.describe(e));
        }
        return parse(file, new StringReader(text));
    }

    /** Parses configuration text; {@code file} is used in messages. */
    public static Config parse(Path file, Reader source) {
        Parser parser = new Parser(file, new JsonReader(source));
        try {
            return parser.config();
        } catch (MalformedJsonException | JsonParseException e) {
            throw parser.syntaxError(e.getMessage());
        } catch (EOFException e) {
            throw parser.syntaxError("the file ends before the JSON is complete");
        } catch (IOException e) {
            throw DbtoolException.config(file + ": cannot read the configuration file: " + e.getMessage());
        } catch (IllegalStateException e) {
            throw parser.syntaxError(e.getMessage());
        }
    }

    /** Walks the JSON with one reader, remembering where each value starts. */
    private static final class Parser {
        private final Path file;
        private final JsonReader reader;
        private final Map<String, String> positions = new LinkedHashMap<>();

        Parser(Path file, JsonReader reader) {
            this.file = file;
            this.reader = reader;
            reader.setStrictness(Strictness.LENIENT);
        }

        Config config() throws IOException {
            if (isEmpty()) {
                return Config.empty();
            }
            expect(JsonToken.BEGIN_OBJECT, "", "an object with \"targets\", \"defaults\" or \"vault\"");
            Defaults defaults = Defaults.standard();
            Map<String, String> vault = Map.of();
            Map<String, TargetConfig> targets = new LinkedHashMap<>();
            Map<String, JsonElement> sections = new LinkedHashMap<>();
            reader.beginObject();
            while (reader.hasNext()) {
                String name = reader.nextName();
                switch (name) {
                    case "defaults" -> defaults = defaults();
                    case "vault" -> vault = stringMap("vault");
                    case "targets" -> targets = targets();
                    case "$schema" -> reader.skipValue();
                    case "tracing" -> {
                        // Core's own block (trace links in every report): checked once the whole file is read.
                        expect(JsonToken.BEGIN_OBJECT, name, "an object such as {\"link\": \"https://tempo.example/trace/{traceId}\"}");
                        sections.put(name, tree(name));
                    }
                    default -> {
                        if (!FEATURE_SECTIONS.contains(name)) {
                            throw fieldError(name, "unknown field; expected one of " + String.join(", ", sorted(TOP_LEVEL)));
                        }
                        expect(JsonToken.BEGIN_OBJECT, name, "an object");
                        sections.put(name, tree(name));
                    }
                }
            }
            reader.endObject();
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw error("", "unexpected content after the end of the configuration object");
            }
            Config config = new Config(file, defaults, vault, targets, positions, sections);
            TracingConfig.link(config);
            return config;
        }

        /** Whether the file holds nothing but white space and comments (Gson's peek throws on an empty document). */
        private boolean isEmpty() throws IOException {
            try {
                return reader.peek() == JsonToken.END_DOCUMENT;
            } catch (EOFException e) {
                return true;
            }
        }

        private Defaults defaults() throws IOException {
            expect(JsonToken.BEGIN_OBJECT, "defaults", "an object");
            Duration timeout = Defaults.STANDARD_TIMEOUT;
            String format = "text";
            Map<String, String> thresholds = Map.of();
            reader.beginObject();
            while (reader.hasNext()) {
                String name = reader.nextName();
                String field = "defaults." + name;
                switch (name) {
                    case "timeout" -> timeout = seconds(field);
                    case "format" -> {
                        String position = position();
                        format = string(field).toLowerCase(Locale.ROOT);
                        if (!FORMATS.contains(format)) {
                            throw new DbtoolException(ExitCodes.CONFIG,
                                    file + ":" + position + ": " + field + ": expected \"text\" or \"json\", got \"" + format + "\"");
                        }
                    }
                    case "thresholds" -> thresholds = stringMap(field);
                    default -> throw fieldError(field, "unknown field; expected one of " + String.join(", ", sorted(DEFAULTS_FIELDS)));
                }
            }
            reader.endObject();
            return new Defaults(timeout, format, thresholds);
        }

        /** Any JSON value, recording the position of it and of everything in it under its field path. */
        private JsonElement tree(String field) throws IOException {
            positions.put(field, position());
            switch (reader.peek()) {
                case BEGIN_OBJECT -> {
                    JsonObject object = new JsonObject();
                    reader.beginObject();
                    while (reader.hasNext()) {
                        String key = reader.nextName();
                        if (object.has(key)) {
                            throw fieldError(field + "." + key, "the field is given twice");
                        }
                        object.add(key, tree(field + "." + key));
                    }
                    reader.endObject();
                    return object;
                }
                case BEGIN_ARRAY -> {
                    JsonArray array = new JsonArray();
                    reader.beginArray();
                    while (reader.hasNext()) {
                        array.add(tree(field + "[" + array.size() + "]"));
                    }
                    reader.endArray();
                    return array;
                }
                case STRING -> {
                    return new JsonPrimitive(reader.nextString());
                }
                case NUMBER -> {
                    return new JsonPrimitive(new BigDecimal(reader.nextString()));
                }
                case BOOLEAN -> {
                    return new JsonPrimitive(reader.nextBoolean());
                }
                case NULL -> {
                    reader.nextNull();
                    return JsonNull.INSTANCE;
                }
                default -> throw fieldError(field, "expected a value, got " + describe(reader.peek()));
            }
        }

        private Map<String, TargetConfig> targets() throws IOException {
            expect(JsonToken.BEGIN_OBJECT, "targets", "an object of target names, e.g. {\"orders\": {\"url\": \"postgresql://host/db\"}}");
            Map<String, TargetConfig> targets = new LinkedHashMap<>();
            reader.beginObject();
            while (reader.hasNext()) {
                String name = reader.nextName();
                String field = "targets." + name;
                if (name.isBlank() || name.contains("://") || name.chars().anyMatch(Character::isWhitespace)) {
                    throw fieldError(field, "a target name must be non-empty, without spaces and not look like a URL");
                }
                if (targets.containsKey(name)) {
                    throw fieldError(field, "the target is defined twice");
                }
                targets.put(name, target(name, field));
            }
            reader.endObject();
            return targets;
        }

        private TargetConfig target(String name, String field) throws IOException {
            String start = position();
            expect(JsonToken.BEGIN_OBJECT, field, "an object with at least \"url\"");
            String url = null;
            Map<String, String> auth = Map.of();
            List<String> tags = List.of();
            Map<String, String> thresholds = Map.of();
            Map<String, String> options = Map.of();
            reader.beginObject();
            while (reader.hasNext()) {
                String key = reader.nextName();
                String sub = field + "." + key;
                switch (key) {
                    case "url" -> {
                        String position = position();
                        url = string(sub);
                        if (!url.contains("://")) {
                            throw new DbtoolException(ExitCodes.CONFIG, file + ":" + position + ": " + sub
                                    + ": expected a URL such as postgresql://host:5432/db, got \"" + Redaction.redact(url) + "\"");
                        }
                    }
                    case "auth" -> auth = stringMap(sub);
                    case "tags" -> tags = stringList(sub);
                    case "thresholds" -> thresholds = stringMap(sub);
                    case "options" -> options = stringMap(sub);
                    case "description" -> string(sub);
                    default -> throw fieldError(sub, "unknown field; expected one of " + String.join(", ", sorted(TARGET_FIELDS)));
                }
            }
            reader.endObject();
            if (url == null) {
                throw new DbtoolException(ExitCodes.CONFIG,
                        file + ":" + start + ": " + field + ": missing \"url\", e.g. \"url\": \"postgresql://host:5432/db\"");
            }
            return new TargetConfig(name, url, auth, tags, thresholds, options);
        }

        private Duration seconds(String field) throws IOException {
            String position = position();
            if (reader.peek() != JsonToken.NUMBER) {
                throw new DbtoolException(ExitCodes.CONFIG, file + ":" + position + ": " + field
                        + ": expected a number of seconds, got " + describe(reader.peek()));
            }
            double value = reader.nextDouble();
            if (!(value > 0) || value > 3600) {
                throw new DbtoolException(ExitCodes.CONFIG, file + ":" + position + ": " + field
                        + ": expected a number of seconds between 0 and 3600, got " + value);
            }
            return Duration.ofMillis(Math.round(value * 1000));
        }

        private String string(String field) throws IOException {
            JsonToken token = reader.peek();
            if (token != JsonToken.STRING && token != JsonToken.NUMBER && token != JsonToken.BOOLEAN) {
                throw fieldError(field, "expected a string, got " + describe(token));
            }
            return token == JsonToken.BOOLEAN ? Boolean.toString(reader.nextBoolean()) : reader.nextString();
        }

        /** An object of scalar values, kept as strings (numbers and booleans as written). */
        private Map<String, String> stringMap(String field) throws IOException {
            expect(JsonToken.BEGIN_OBJECT, field, "an object");
            Map<String, String> values = new LinkedHashMap<>();
            reader.beginObject();
            while (reader.hasNext()) {
                String key = reader.nextName();
                positions.put(field + "." + key, position());
                values.put(key, string(field + "." + key));
            }
            reader.endObject();
            return values;
        }

        private List<String> stringList(String field) throws IOException {
            expect(JsonToken.BEGIN_ARRAY, field, "an array of strings, e.g. [\"prod\", \"orders\"]");
            List<String> values = new ArrayList<>();
            reader.beginArray();
            while (reader.hasNext()) {
                values.add(string(field + "[" + values.size() + "]"));
            }
            reader.endArray();
            return values;
        }

        private void expect(JsonToken token, String field, String what) throws IOException {
            JsonToken actual = reader.peek();
            if (actual != token) {
                throw fieldError(field, "expected " + what + ", got " + describe(actual));
            }
        }

        private DbtoolException fieldError(String field, String message) {
            return error(field, message);
        }

        private DbtoolException error(String field, String message) {
            return new DbtoolException(ExitCodes.CONFIG,
                    file + ":" + position() + ": " + (field.isEmpty() ? "" : field + ": ") + message);
        }

        DbtoolException syntaxError(String gsonMessage) {
            String message = gsonMessage == null ? "malformed JSON" : gsonMessage;
            String position = position();
            Matcher matcher = POSITION.matcher(message);
            if (matcher.find()) {
                position = matcher.group(1) + ":" + matcher.group(2);
            }
            // Gson appends " at line .. column .. path .." and a troubleshooting link: keep the reason.
            String reason = message.replaceAll("(?s)\\s+at line \\d+ column \\d+.*", "")
                    .replaceAll("(?s)\nSee https?://\\S+", "").trim();
            if (reason.startsWith("Use JsonReader.setStrictness")) {
                reason = "malformed JSON";
            }
            return new DbtoolException(ExitCodes.CONFIG,
                    file + ":" + position + ": invalid JSON: " + lowerFirst(reason));
        }

        /** "line:column" of the reader's current position. */
        private String position() {
            Matcher matcher = POSITION.matcher(reader.toString());
            return matcher.find() ? matcher.group(1) + ":" + matcher.group(2) : "1:1";
        }

        private static String describe(JsonToken token) {
            return switch (token) {
                case BEGIN_OBJECT -> "an object";
                case BEGIN_ARRAY -> "an array";
                case STRING -> "a string";
                case NUMBER -> "a number";
                case BOOLEAN -> "a boolean";
                case NULL -> "null";
                case END_DOCUMENT -> "the end of the file";
                default -> token.name().toLowerCase(Locale.ROOT);
            };
        }

        private static String lowerFirst(String text) {
            return text.isEmpty() ? text : Character.toLowerCase(text.charAt(0)) + text.substring(1);
        }

        private static List<String> sorted(Set<String> names) {
            return names.stream().filter(n -> !n.startsWith("$")).sorted().toList();
        }
    }
}
