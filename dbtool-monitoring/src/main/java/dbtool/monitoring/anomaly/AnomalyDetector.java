package dbtool.monitoring.anomaly;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.time.temporal.ChronoUnit;
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
 * from the median by at least the minimum change of its unit ({@link #minimumChange}) and by {@link Settings#minimumRatio}
 * of the median; and it lies beyond the 0.1st to 99.9th percentiles of the baseline, so that what the history already
 * held now and then is not new; and it stands out from the last {@link Settings#recent} hours the same way, so that a
 * level that shifted hours ago is the new usual rather than an anomaly at every hour of the week. The spread has a floor ({@link Settings#spreadFloor} of the median, and the minimum change over the
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
     * @param minimumChange  the least absolute difference from the median for a count (other units: {@link #minimumChange})
     * @param minimumRatio   the least difference from the median relative to it (0.5: 50%)
     * @param spreadFloor    the least spread relative to the median
     * @param recent         the last hours a value must stand out from too
     */
    public record Settings(Duration window, Duration minimumHistory, int minimumPoints, Duration dayProfile,
                           Duration weekProfile, double threshold, double minimumChange, double minimumRatio,
                           double spreadFloor, Duration recent) {

        public static Settings defaults() {
            return new Settings(Duration.ofDays(28), Duration.ofHours(24), 48, Duration.ofDays(3), Duration.ofDays(14),
                    6.0, 5.0, 0.5, 0.05, Duration.ofHours(6));
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
        Instant oldest = history.stream().map(Point::at).min(Instant::compareTo).orElse(null);
        return oldest == null ? Optional.empty() : judge(metric, history, now, oldest);
    }

    /**
     * Judges {@code now} against the parts of a history that {@link #needs} names, knowing when the whole history
     * starts ({@code oldest}), which decides the baseline.
     */
    public Optional<Anomaly> judge(String metric, List<Point> history, Point now, Instant oldest) {
        Instant from = now.at().minus(settings.window());
        List<Point> window = new ArrayList<>();
        for (Point point : history) {
            if (point.at().isBefore(now.at()) && !point.at().isBefore(from) && Double.isFinite(point.value())) {
                window.add(point);
            }
        }
        if (window.size() < settings.minimumPoints() || Duration.between(oldest, now.at()).compareTo(settings.minimumHistory()) < 0) {
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
        double minimumChange = minimumChange(metric);
        double[] values = baseline.stream().mapToDouble(Point::value).toArray();
        double median = median(values);
        double spread = spread(values, median, minimumChange);
        double change = Math.abs(now.value() - median);
        double score = change / spread;
        // A ratio (0 to 1) is judged by its absolute change: 0.99 to 0.6 is news though it is only 40% less.
        double relative = metric.endsWith("_ratio") ? 0 : settings.minimumRatio();
        if (score < settings.threshold() || change < minimumChange || change < relative * Math.abs(median)) {
            return Optional.empty();
        }
        // New, not merely rare: beyond what the baseline held in 999 of 1000 values (its extremes, for a profile slot).
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double high = sorted[(int) Math.ceil(0.999 * sorted.length) - 1];
        double low = sorted[(int) Math.floor(0.001 * sorted.length)];
        if (now.value() <= high && now.value() >= low) {
            return Optional.empty();
        }
        // Still news: unusual against the last hours too. A level that shifted hours ago is the new usual (one finding
        // while it is new, not one for every hour of the week it has not been seen at yet).
        Instant recentFrom = now.at().minus(settings.recent());
        double[] recent = window.stream().filter(p -> !p.at().isBefore(recentFrom)).mapToDouble(Point::value).toArray();
        if (recent.length >= 12) {
            double recentMedian = median(recent);
            double recentChange = Math.abs(now.value() - recentMedian);
            if (recentChange / spread(recent, recentMedian, minimumChange) < settings.threshold() || recentChange < minimumChange) {
                return Optional.empty();
            }
        }
        return Optional.of(new Anomaly(metric, now.value(), median, spread, score, basis, baseline.size()));
    }

    /**
     * The periods of history a judgement at {@code now} reads when the history starts at {@code oldest}: the same hour
     * of each earlier week (or day) for a profile, the whole window without one, and the last {@link Settings#recent}
     * hours. Empty when the history is too short to judge. A store then reads a few hundred values per metric instead
     * of four weeks of them.
     */
    public List<HistorySource.Period> needs(Instant now, Instant oldest) {
        Duration span = Duration.between(oldest, now);
        if (span.compareTo(settings.minimumHistory()) < 0) {
            return List.of();
        }
        Instant windowStart = now.minus(settings.window());
        List<HistorySource.Period> periods = new ArrayList<>();
        ZonedDateTime hour = now.atZone(zone).truncatedTo(ChronoUnit.HOURS);
        if (span.compareTo(settings.dayProfile()) >= 0) {
            boolean weekly = span.compareTo(settings.weekProfile()) >= 0;
            for (int back = 1; ; back++) {
                ZonedDateTime start = weekly ? hour.minusWeeks(back) : hour.minusDays(back);
                if (start.toInstant().isBefore(windowStart) || start.plusHours(1).toInstant().isBefore(oldest)) {
                    break;
                }
                periods.add(new HistorySource.Period(start.toInstant(), start.plusHours(1).toInstant()));
            }
            periods.add(new HistorySource.Period(now.minus(settings.recent()), now));
        } else {
            periods.add(new HistorySource.Period(windowStart.isBefore(oldest) ? oldest : windowStart, now));
        }
        return periods;
    }

    private double spread(double[] values, double median, double minimumChange) {
        double[] deviations = Arrays.stream(values).map(v -> Math.abs(v - median)).toArray();
        double mad = median(deviations) * 1.4826;
        return Math.max(mad, Math.max(settings.spreadFloor() * Math.abs(median), minimumChange / settings.threshold()));
    }

    /**
     * The least absolute change that can be an anomaly, by the unit the metric's name says: a ratio 0.1, seconds 10,
     * bytes 100 MiB, a percentage 10 points, a count (sessions, connections, tables) {@link Settings#minimumChange}.
     */
    static double minimumChange(String metric, double counts) {
        if (metric.endsWith("_ratio")) {
            return 0.1;
        }
        if (metric.endsWith("_seconds") || metric.endsWith("_hours")) {
            return metric.endsWith("_hours") ? 1 : 10;
        }
        if (metric.endsWith("_bytes")) {
            return 100.0 * 1024 * 1024;
        }
        if (metric.endsWith("_percent") || metric.contains("_percent_")) {
            return 10;
        }
        return counts;
    }

    private double minimumChange(String metric) {
        return minimumChange(metric, settings.minimumChange());
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
