package dbtool.core.config;

import com.google.gson.JsonElement;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The configuration file, validated.
 *
 * @param source   the file it came from, or null when there is none (all defaults)
 * @param defaults settings for every target
 * @param vault    the {@code "vault"} block as strings (address, namespace, method, mount...)
 * @param targets  named targets, in file order
 * @param positions "line:column" in the file of values checked after loading, by field
 *                 ({@code targets.orders.thresholds.long_query_seconds}, {@code alerts.rules[0].target})
 * @param sections the blocks that feature modules own ({@link ConfigLoader#FEATURE_SECTIONS}), as read;
 *                 each module validates its own, naming fields through {@link #locate}
 */
public record Config(Path source, Defaults defaults, Map<String, String> vault, Map<String, TargetConfig> targets,
                     Map<String, String> positions, Map<String, JsonElement> sections) {

    public Config {
        vault = Map.copyOf(vault);
        targets = Collections.unmodifiableMap(new LinkedHashMap<>(targets));
        positions = Map.copyOf(positions);
        sections = Map.copyOf(sections);
    }

    public Config(Path source, Defaults defaults, Map<String, String> vault, Map<String, TargetConfig> targets) {
        this(source, defaults, vault, targets, Map.of(), Map.of());
    }

    /** A feature module's block ({@code "alerts"}, {@code "state"}), when the file has one. */
    public Optional<JsonElement> section(String name) {
        return Optional.ofNullable(sections.get(name));
    }

    /**
     * Where an error about {@code field} points: {@code file:line:column: field}, or without
     * the position when it is unknown, or {@code configuration: field} without a file.
     */
    public String locate(String field) {
        String position = positions.get(field);
        return (source == null ? "configuration" : source.toString()) + (position == null ? "" : ":" + position) + ": " + field;
    }

    /** No file: defaults only. */
    public static Config empty() {
        return new Config(null, Defaults.standard(), Map.of(), Map.of());
    }

    public Optional<TargetConfig> target(String name) {
        return Optional.ofNullable(targets.get(name));
    }
}
