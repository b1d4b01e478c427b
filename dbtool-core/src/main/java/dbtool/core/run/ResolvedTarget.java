package dbtool.core.run;

import dbtool.core.config.TargetConfig;
import dbtool.spi.EnginePlugin;
import dbtool.spi.Target;
import java.util.Map;

/**
 * A target with the plugin that handles it and its configuration.
 *
 * @param auth       the target's auth block, empty for the default chain
 * @param thresholds defaults merged with the target's own thresholds
 */
public record ResolvedTarget(Target target, EnginePlugin plugin, Map<String, String> auth,
                             Map<String, String> thresholds, TargetConfig config) {
}
