package dbtool.core.config;

import java.util.List;
import java.util.Map;

/**
 * One entry of {@code "targets"}.
 *
 * @param name       the key it is configured under
 * @param url        engine URL, e.g. {@code postgresql://db1:5432/orders}
 * @param auth       the {@code "auth"} block (method, secret, ...), empty for the default chain
 * @param tags       labels for selecting groups of targets
 * @param thresholds threshold overrides for this target
 * @param options    engine-specific connection options
 */
public record TargetConfig(String name, String url, Map<String, String> auth, List<String> tags,
                           Map<String, String> thresholds, Map<String, String> options) {

    public TargetConfig {
        auth = Map.copyOf(auth);
        tags = List.copyOf(tags);
        thresholds = Map.copyOf(thresholds);
        options = Map.copyOf(options);
    }
}
