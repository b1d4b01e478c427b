package dbtool.core.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The configuration file, validated.
 *
 * @param source   the file it came from, or null when there is none (all defaults)
 * @param defaults settings for every target
 * @param vault    the {@code "vault"} block as strings (address, namespace, method, mount...)
 * @param targets  named targets, in file order
 */
public record Config(Path source, Defaults defaults, Map<String, String> vault, Map<String, TargetConfig> targets) {

    public Config {
        vault = Map.copyOf(vault);
        targets = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(targets));
    }

    /** No file: defaults only. */
    public static Config empty() {
        return new Config(null, Defaults.standard(), Map.of(), Map.of());
    }

    public Optional<TargetConfig> target(String name) {
        return Optional.ofNullable(targets.get(name));
    }
}
