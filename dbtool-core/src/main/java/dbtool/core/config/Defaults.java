package dbtool.core.config;

import java.time.Duration;
import java.util.Map;

/**
 * The {@code "defaults"} block.
 *
 * @param timeout    the shared deadline of a troubleshoot
 * @param format     {@code text} or {@code json}
 * @param thresholds check thresholds for every target, by the names the plugins document
 */
public record Defaults(Duration timeout, String format, Map<String, String> thresholds) {

    public static final Duration STANDARD_TIMEOUT = Duration.ofSeconds(10);

    public Defaults {
        thresholds = Map.copyOf(thresholds);
    }

    public static Defaults standard() {
        return new Defaults(STANDARD_TIMEOUT, "text", Map.of());
    }
}
