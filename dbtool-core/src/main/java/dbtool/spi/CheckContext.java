package dbtool.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * What a running check may know about its run: the shared deadline and the thresholds the
 * user configured.
 */
public interface CheckContext {

    /**
     * When the whole troubleshoot must be finished.
     *
     * @return the shared deadline of every check of this run
     */
    Instant deadline();

    /**
     * Time left until {@link #deadline()}: what a server-side timeout may be at most.
     *
     * @return the time left, never negative
     */
    default Duration remaining() {
        Duration left = Duration.between(Instant.now(), deadline());
        return left.isNegative() ? Duration.ZERO : left;
    }

    /**
     * Threshold and option overrides from the configuration ({@code defaults.thresholds} merged
     * with the target's {@code thresholds}), keyed by names the plugin documents, e.g.
     * {@code long_query_seconds}.
     *
     * @return the settings by name, as the configuration wrote them
     */
    Map<String, String> settings();

    /**
     * A numeric setting, or the default when it is absent or not a number.
     *
     * @param key          the setting's name
     * @param defaultValue the value when the setting is absent or not a number
     * @return the setting as a number, or {@code defaultValue}
     * @deprecated a key read here is not declared, so a misspelt key or a repeated default goes
     *             unnoticed: declare a {@link Threshold} in {@link Check#thresholds()} and read it
     *             with {@link Threshold#value(CheckContext)}
     */
    @Deprecated(since = "0.1")
    default double number(String key, double defaultValue) {
        String value = settings().get(key);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            return defaultValue;
        }
    }
}
