package dbtool.serve.alert;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dbtool.core.DbtoolException;
import dbtool.core.config.Config;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The {@code "alerts"} block of the configuration file: rules from alert labels to a target and checks,
 * the dedup window, the deadline of each focused troubleshoot. A mistake is exit 78 naming the file,
 * line, column and field ({@code alerts.rules[1].matchRegex.instance}).
 *
 * <pre>
 * "alerts": {
 *   "dedupWindow": 300,
 *   "timeout": 10,
 *   "rules": [
 *     {"match": {"job": "orders-db"}, "target": "orders"},
 *     {"matchRegex": {"instance": "billing-.*"}, "target": "billing", "checks": ["locks", "queries"]}
 *   ]
 * }
 * </pre>
 *
 * @param dedupWindow a firing alert's fingerprint is diagnosed at most once within it
 * @param timeout     the deadline of each focused troubleshoot
 */
public record AlertsConfig(List<Rule> rules, Duration dedupWindow, Duration timeout) {

    public static final Duration DEFAULT_DEDUP_WINDOW = Duration.ofMinutes(5);

    private static final Set<String> FIELDS = new TreeSet<>(List.of("rules", "dedupWindow", "timeout"));
    private static final Set<String> RULE_FIELDS = new TreeSet<>(List.of("match", "matchRegex", "target", "checks"));

    /**
     * One rule: when every label of {@code match} equals and every label of {@code matchRegex} matches
     * (whole value), the alert goes to {@code target} (a configured name; null: found from the labels)
     * and runs {@code checks} (ids and categories; empty: the built-in table's).
     */
    public record Rule(int index, Map<String, String> match, Map<String, Pattern> matchRegex, String target, List<String> checks) {

        public boolean matches(Map<String, String> labels) {
            for (Map.Entry<String, String> label : match.entrySet()) {
                if (!label.getValue().equals(labels.get(label.getKey()))) {
                    return false;
                }
            }
            for (Map.Entry<String, Pattern> label : matchRegex.entrySet()) {
                String value = labels.get(label.getKey());
                if (value == null || !label.getValue().matcher(value).matches()) {
                    return false;
                }
            }
            return true;
        }
    }

    public static AlertsConfig of(Config config) {
        JsonElement section = config.section("alerts").orElse(null);
        if (section == null) {
            return new AlertsConfig(List.of(), DEFAULT_DEDUP_WINDOW, config.defaults().timeout());
        }
        JsonObject alerts = section.getAsJsonObject(); // core only keeps blocks that are objects
        unknownFields(config, alerts, "alerts", FIELDS);
        Duration window = alerts.has("dedupWindow") ? seconds(config, alerts.get("dedupWindow"), "alerts.dedupWindow", 0, 7 * 86400)
                : DEFAULT_DEDUP_WINDOW;
        Duration timeout = alerts.has("timeout") ? seconds(config, alerts.get("timeout"), "alerts.timeout", 0.001, 3600)
                : config.defaults().timeout();
        List<Rule> rules = new ArrayList<>();
        if (alerts.has("rules")) {
            JsonElement list = alerts.get("rules");
            if (!list.isJsonArray()) {
                throw error(config, "alerts.rules", "expected an array of rules, e.g. [{\"match\": {\"job\": \"orders-db\"}, \"target\": \"orders\"}]");
            }
            JsonArray array = list.getAsJsonArray();
            for (int i = 0; i < array.size(); i++) {
                rules.add(rule(config, array.get(i), i));
            }
        }
        return new AlertsConfig(rules, window, timeout);
    }

    private static Rule rule(Config config, JsonElement element, int index) {
        String field = "alerts.rules[" + index + "]";
        if (!element.isJsonObject()) {
            throw error(config, field, "expected an object with \"match\" or \"matchRegex\", and \"target\" or \"checks\"");
        }
        JsonObject rule = element.getAsJsonObject();
        unknownFields(config, rule, field, RULE_FIELDS);
        Map<String, String> match = strings(config, rule, "match", field);
        Map<String, Pattern> regex = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : strings(config, rule, "matchRegex", field).entrySet()) {
            try {
                regex.put(entry.getKey(), Pattern.compile(entry.getValue()));
            } catch (PatternSyntaxException e) {
                throw error(config, field + ".matchRegex." + entry.getKey(), "not a valid regular expression: " + e.getDescription());
            }
        }
        String target = null;
        if (rule.has("target")) {
            target = string(config, rule.get("target"), field + ".target");
            if (config.target(target).isEmpty()) {
                throw error(config, field + ".target", "no target '" + target + "' is configured under \"targets\""
                        + (config.targets().isEmpty() ? "" : "; configured: " + String.join(", ", config.targets().keySet())));
            }
        }
        List<String> checks = new ArrayList<>();
        if (rule.has("checks")) {
            JsonElement list = rule.get("checks");
            if (!list.isJsonArray() || list.getAsJsonArray().isEmpty()) {
                throw error(config, field + ".checks", "expected a non-empty array of check ids or categories, e.g. [\"locks\", \"queries\"]");
            }
            JsonArray array = list.getAsJsonArray();
            for (int i = 0; i < array.size(); i++) {
                checks.add(string(config, array.get(i), field + ".checks[" + i + "]"));
            }
        }
        if (match.isEmpty() && regex.isEmpty()) {
            throw error(config, field, "a rule needs \"match\" or \"matchRegex\" (labels the alert must have)");
        }
        if (target == null && checks.isEmpty()) {
            throw error(config, field, "a rule needs \"target\" or \"checks\" (or both)");
        }
        return new Rule(index, match, regex, target, List.copyOf(checks));
    }

    private static Map<String, String> strings(Config config, JsonObject object, String name, String prefix) {
        Map<String, String> values = new LinkedHashMap<>();
        if (!object.has(name)) {
            return values;
        }
        JsonElement element = object.get(name);
        if (!element.isJsonObject()) {
            throw error(config, prefix + "." + name, "expected an object of label names and values, e.g. {\"job\": \"orders-db\"}");
        }
        for (Map.Entry<String, JsonElement> entry : element.getAsJsonObject().entrySet()) {
            values.put(entry.getKey(), string(config, entry.getValue(), prefix + "." + name + "." + entry.getKey()));
        }
        return values;
    }

    private static String string(Config config, JsonElement element, String field) {
        if (element instanceof JsonPrimitive primitive && primitive.isString() && !primitive.getAsString().isBlank()) {
            return primitive.getAsString();
        }
        throw error(config, field, "expected a non-empty string");
    }

    private static Duration seconds(Config config, JsonElement element, String field, double min, double max) {
        if (element instanceof JsonPrimitive primitive && primitive.isNumber()) {
            double value = primitive.getAsDouble();
            if (value >= min && value <= max) {
                return Duration.ofMillis(Math.round(value * 1000));
            }
        }
        throw error(config, field, "expected a number of seconds from " + (min < 1 ? "0" : (long) min) + " to " + (long) max);
    }

    private static void unknownFields(Config config, JsonObject object, String prefix, Set<String> known) {
        for (String key : object.keySet()) {
            if (!known.contains(key)) {
                throw error(config, prefix + "." + key, "unknown field; expected one of " + String.join(", ", known));
            }
        }
    }

    private static DbtoolException error(Config config, String field, String message) {
        return DbtoolException.config(config.locate(field) + ": " + message);
    }
}
