package dbtool.monitoring.anomaly;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A synthetic metric series at the state store's 5-minute step with known anomalies (events), for measuring the
 * detector: walk forward over the last week, judging each value against the values before it.
 *
 * @param name   what it shows
 * @param points the series
 * @param events when each injected anomaly starts, with how long a flag still counts as finding it
 */
record Scenario(String name, List<Point> points, List<Event> events) {

    static final Duration STEP = Duration.ofMinutes(5);
    /** A Monday, 00:00 UTC: days of the week fall where the scenarios say. */
    static final Instant START = Instant.parse("2026-11-02T00:00:00Z");
    static final int DAYS = 28;
    static final int PER_DAY = 288;

    record Event(Instant start, Duration window) {
        boolean covers(Instant at) {
            return !at.isBefore(start) && at.isBefore(start.plus(window));
        }
    }

    /** Flat noisy level with single-value spikes (6x) in the last week. */
    static Scenario spikes(long seed) {
        Random random = new Random(seed);
        List<Point> points = new ArrayList<>();
        List<Event> events = new ArrayList<>();
        List<Integer> at = List.of(DAYS * PER_DAY - 1900, DAYS * PER_DAY - 1500, DAYS * PER_DAY - 1111, DAYS * PER_DAY - 700,
                DAYS * PER_DAY - 333, DAYS * PER_DAY - 40);
        for (int i = 0; i < DAYS * PER_DAY; i++) {
            double value = 50 + random.nextGaussian() * 3;
            if (at.contains(i)) {
                value *= 6;
                events.add(new Event(time(i), STEP));
            }
            points.add(new Point(time(i), Math.max(0, value)));
        }
        return new Scenario("spikes (6 single values at 6x)", points, events);
    }

    /** A level that steps up 3x four days before the end, and stays there. */
    static Scenario levelShift(long seed) {
        Random random = new Random(seed);
        List<Point> points = new ArrayList<>();
        int shift = DAYS * PER_DAY - 4 * PER_DAY;
        for (int i = 0; i < DAYS * PER_DAY; i++) {
            double level = i < shift ? 30 : 90;
            points.add(new Point(time(i), Math.max(0, level + random.nextGaussian() * 2)));
        }
        return new Scenario("level shift (30 to 90, stays)", points, List.of(new Event(time(shift), Duration.ofHours(6))));
    }

    /**
     * Office hours: about 20 at night and at weekends, about 100 from 09:00 to 17:00 on weekdays, with noise; two
     * injected anomalies that are only unusual for their hour of the week: 100 at Wednesday 03:00 and 100 at Saturday
     * 11:00. The weekday peaks themselves must not fire.
     */
    static Scenario dailyPattern(long seed) {
        Random random = new Random(seed);
        List<Point> points = new ArrayList<>();
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < DAYS * PER_DAY; i++) {
            ZonedDateTime t = time(i).atZone(ZoneOffset.UTC);
            boolean weekday = t.getDayOfWeek().getValue() <= DayOfWeek.FRIDAY.getValue();
            boolean office = weekday && t.getHour() >= 9 && t.getHour() < 17;
            double value = (office ? 100 : 20) + random.nextGaussian() * (office ? 6 : 2);
            boolean lastWeek = i >= (DAYS - 7) * PER_DAY;
            if (lastWeek && ((t.getDayOfWeek() == DayOfWeek.WEDNESDAY && t.getHour() == 3 && t.getMinute() == 0)
                    || (t.getDayOfWeek() == DayOfWeek.SATURDAY && t.getHour() == 11 && t.getMinute() == 0))) {
                value = 100;
                events.add(new Event(time(i), STEP));
            }
            points.add(new Point(time(i), Math.max(0, value)));
        }
        return new Scenario("daily pattern (office hours 5x night, 2 off-hours anomalies)", points, events);
    }

    /** A slow drift, 100 to 160 over four weeks: nothing must fire. */
    static Scenario slowDrift(long seed) {
        Random random = new Random(seed);
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < DAYS * PER_DAY; i++) {
            double level = 100 + 60.0 * i / (DAYS * PER_DAY);
            points.add(new Point(time(i), level + random.nextGaussian() * 3));
        }
        return new Scenario("slow drift (100 to 160 over 28 days)", points, List.of());
    }

    /** A count that is usually 0 and now and then 1 to 3 (blocked sessions): nothing must fire. */
    static Scenario sparseCounts(long seed) {
        Random random = new Random(seed);
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < DAYS * PER_DAY; i++) {
            // Poisson(0.3) by inversion
            double u = random.nextDouble();
            int k = 0;
            double p = Math.exp(-0.3);
            double cumulative = p;
            while (u > cumulative && k < 10) {
                k++;
                p *= 0.3 / k;
                cumulative += p;
            }
            points.add(new Point(time(i), k));
        }
        return new Scenario("sparse counts (Poisson 0.3, usually 0)", points, List.of());
    }

    static Instant time(int index) {
        return START.plus(STEP.multipliedBy(index));
    }

    /** The detector's flags over the last week, each value judged against all values before it. */
    List<Instant> flags(AnomalyDetector detector) {
        List<Instant> flags = new ArrayList<>();
        int from = points.size() - 7 * PER_DAY;
        Instant oldest = points.getFirst().at();
        for (int i = from; i < points.size(); i++) {
            // only what a store hands over: the periods the detector asks for
            List<HistorySource.Period> periods = detector.needs(points.get(i).at(), oldest);
            List<Point> read = points.subList(0, i).stream()
                    .filter(p -> periods.stream().anyMatch(period -> !p.at().isBefore(period.from()) && p.at().isBefore(period.to())))
                    .toList();
            if (detector.judge("dbtool_metric", read, points.get(i), oldest).isPresent()) {
                flags.add(points.get(i).at());
            }
        }
        return flags;
    }

    /**
     * Episodes (runs of flags one step apart) that fall in an event's window are true positives, the others false
     * positives; an event with a flag in its window is found.
     */
    Score score(List<Instant> flags) {
        int truePositives = 0;
        int falsePositives = 0;
        Instant previous = null;
        for (Instant flag : flags) {
            boolean continues = previous != null && Duration.between(previous, flag).compareTo(STEP) <= 0;
            previous = flag;
            if (continues) {
                continue;
            }
            if (events.stream().anyMatch(e -> e.covers(flag))) {
                truePositives++;
            } else {
                falsePositives++;
            }
        }
        int found = (int) events.stream().filter(e -> flags.stream().anyMatch(e::covers)).count();
        return new Score(name, truePositives, falsePositives, found, events.size(), flags.size());
    }

    record Score(String scenario, int truePositives, int falsePositives, int eventsFound, int events, int flags) {
        double precision() {
            return truePositives + falsePositives == 0 ? 1.0 : (double) truePositives / (truePositives + falsePositives);
        }

        double recall() {
            return events == 0 ? 1.0 : (double) eventsFound / events;
        }
    }
}
