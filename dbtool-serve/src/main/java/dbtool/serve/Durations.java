package dbtool.serve;

import dbtool.core.DbtoolException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code --interval 30s}: durations as Prometheus writes them (s, m, h), a bare number being seconds. */
final class Durations {

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");
    static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
    static final Duration MAX_INTERVAL = Duration.ofDays(1);

    private Durations() {
    }

    static Duration parse(String flag, String value) {
        Matcher matcher = DURATION.matcher(value.strip());
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            String unit = matcher.group(2) == null ? "s" : matcher.group(2);
            Duration duration = switch (unit) {
                case "ms" -> Duration.ofMillis(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofSeconds(amount);
            };
            if (duration.compareTo(MIN_INTERVAL) >= 0 && duration.compareTo(MAX_INTERVAL) <= 0) {
                return duration;
            }
        }
        throw DbtoolException.usage(flag + " " + value + ": expected a duration from 1s to 24h, such as 15s, 1m or 5m");
    }

    /** {@code --timeout}: seconds, as 'troubleshoot' takes them. */
    static Duration seconds(String flag, String value) {
        try {
            double seconds = Double.parseDouble(value);
            if (seconds > 0 && seconds <= 3600) {
                return Duration.ofMillis(Math.round(seconds * 1000));
            }
        } catch (NumberFormatException e) {
            // message below
        }
        throw DbtoolException.usage(flag + ": expected a number of seconds between 0 and 3600, got '" + value + "'");
    }

    static String format(Duration duration) {
        if (duration.toSecondsPart() == 0 && duration.toMillisPart() == 0 && duration.toMinutes() > 0) {
            return duration.toHours() > 0 && duration.toMinutesPart() == 0 ? duration.toHours() + "h" : duration.toMinutes() + "m";
        }
        return duration.toMillisPart() == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }
}
