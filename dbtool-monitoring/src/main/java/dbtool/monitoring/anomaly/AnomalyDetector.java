package dbtool.monitoring.anomaly;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides whether a metric's value now is far outside what is usual for it, from its history alone.
 *
 * <p>The baseline is robust: the median and the median absolute deviation (MAD, times 1.4826 so that it reads as a
 * standard deviation for normal data), which one outage in the history does not move. Which history:
 * <ul>
 *   <li>with at least {@link Settings#weekProfile} of history: the values of the same hour of the week (Monday
 *       09:00 is compared with earlier Mondays 09:00), so a weekly rhythm is usual, not anomalous;</li>
 *   <li>with at least {@link Settings#dayProfile}: the values of the same hour of the day;</li>
 *   <li>else the whole window (the last {@link Settings#window}).</li>
 * </ul>
 * A value is an anomaly when all hold: the history spans {@link Settings#minimumHistory} with at least
 * {@link Settings#minimumPoints} values; it is {@link Settings#threshold} spreads or more from the median; it differs
 * from the median by at least {@link Settings#minimumChange} in absolute terms and by {@link Settings#minimumRatio}
 * of the median. The spread has a floor ({@link Settings#spreadFloor} of the median, and the minimum change over the
 * threshold), so a metric that never moved does not call its first small step an anomaly. A slow drift moves the
 * median with it, so it never stands far from it.
 */
public final class AnomalyDetector {

    /**
     * How the detector decides; {@link #defaults()} are what {@code troubleshoot} uses.
     *
     * @param window         how far back the baseline reaches
     * @param minimumHistory the least span of history before anything is judged
     * @param minimumPoints  the least number of history values (and of values in a profile's slot)
     * @param dayProfile     history from which the hour-of-day profile is used
     * @param weekProfile    history from which the hour-of-week profile is used
     * @param threshold      robust z-score from which a value is anomalous
     * @param minimumChange  the least absolute difference from the median
     * @param minimumRatio   the least difference from the median relative to it (0.5: 50%)
     * @param spreadFloor    the least spread relative to the median
     */
    public record Settings(Duration window, Duration minimumHistory, int minimumPoints, Duration dayProfile,
                           Duration weekProfile, double threshold, double minimumChange, double minimumRatio,
                           double spreadFloor) {

        public static Settings defaults() {
            return new Settings(Duration.ofDays(28), Duration.ofHours(24), 48, Duration.ofDays(3), Duration.ofDays(14),
                    6.0, 1.0, 0.5, 0.05);
        }
    }

    private final Settings settings;
    private final ZoneId zone;

    public AnomalyDetector(Settings settings, ZoneId zone) {
        this.settings = settings;
        this.zone = zone;
    }

    /**
     * Judges {@code now} against {@code history} (older values, any order; values at or after now's time are ignored).
     *
     * @return the anomaly, or empty when the value is usual or the history too short to tell
     */
    public Optional<Anomaly> judge(String metric, List<Point> history, Point now) {
        Instant from = now.at().minus(settings.window());
        List<Point> window = new ArrayList<>();
        Instant oldest = null;
        for (Point point : history) {
            if (point.at().isBefore(now.at()) && !point.at().isBefore(from) && Double.isFinite(point.value())) {
                window.add(point);
                oldest = oldest == null || point.at().isBefore(oldest) ? point.at() : oldest;
            }
        }
        if (oldest == null || window.size() < settings.minimumPoints()
                || Duration.between(oldest, now.at()).compareTo(settings.minimumHistory()) < 0) {
            return Optional.empty();
        }
        Duration span = Duration.between(oldest, now.at());
        ZonedDateTime local = now.at().atZone(zone);
        List<Point> baseline = window;
        String basis = "the last " + describe(span);
        if (span.compareTo(settings.weekProfile()) >= 0) {
            List<Point> slot = window.stream().filter(p -> sameHourOfWeek(p.at().atZone(zone), local)).toList();
            if (slot.size() >= settings.minimumPoints() / 2) {
                baseline = slot;
                basis = local.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH) + " " + hour(local);
            }
        } else if (span.compareTo(settings.dayProfile()) >= 0) {
            List<Point> slot = window.stream().filter(p -> p.at().atZone(zone).getHour() == local.getHour()).toList();
            if (slot.size() >= settings.minimumPoints() / 2) {
                baseline = slot;
                basis = hour(local);
            }
        }
        double[] values = baseline.stream().mapToDouble(Point::value).toArray();
        double median = median(values);
        double[] deviations = Arrays.stream(values).map(v -> Math.abs(v - median)).toArray();
        double mad = median(deviations) * 1.4826;
        double spread = Math.max(mad, Math.max(settings.spreadFloor() * Math.abs(median), settings.minimumChange() / settings.threshold()));
        double change = Math.abs(now.value() - median);
        double score = change / spread;
        if (score < settings.threshold() || change < settings.minimumChange() || change < settings.minimumRatio() * Math.abs(median)) {
            return Optional.empty();
        }
        return Optional.of(new Anomaly(metric, now.value(), median, spread, score, basis, baseline.size()));
    }

    private static boolean sameHourOfWeek(ZonedDateTime a, ZonedDateTime b) {
        DayOfWeek day = a.getDayOfWeek();
        return day == b.getDayOfWeek() && a.getHour() == b.getHour();
    }

    private static String hour(ZonedDateTime time) {
        return String.format(Locale.ROOT, "%02d:00", time.getHour());
    }

    private static String describe(Duration span) {
        long days = span.toDays();
        return days >= 2 ? days + " days" : span.toHours() + " hours";
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
