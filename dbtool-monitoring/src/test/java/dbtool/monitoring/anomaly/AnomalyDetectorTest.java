package dbtool.monitoring.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How the detector decides, one rule at a time. */
class AnomalyDetectorTest {

    final AnomalyDetector detector = new AnomalyDetector(AnomalyDetector.Settings.defaults(), ZoneOffset.UTC);

    static List<Point> flat(Instant end, Duration span, double value, double wobble) {
        List<Point> points = new ArrayList<>();
        int n = (int) (span.toMinutes() / 5);
        for (int i = n; i > 0; i--) {
            points.add(new Point(end.minus(Duration.ofMinutes(5L * i)), value + (i % 3 - 1) * wobble));
        }
        return points;
    }

    @Test
    void withTwoWeeksOfHistoryTheBaselineIsTheHourOfTheWeek() {
        Instant monday9 = Instant.parse("2026-12-07T09:00:00Z");
        Optional<Anomaly> anomaly = detector.judge("dbtool_connections", flat(monday9, Duration.ofDays(15), 10, 1),
                new Point(monday9, 62));
        assertTrue(anomaly.isPresent());
        assertEquals("Monday 09:00", anomaly.get().basis());
        assertEquals("connections 6.2x the usual for Monday 09:00 (62, usually 10)", anomaly.get().title());
    }

    @Test
    void lessHistoryUsesTheHourOfTheDayThenTheWholeWindowAndTooLittleJudgesNothing() {
        Instant now = Instant.parse("2026-12-07T09:00:00Z");
        assertEquals("09:00", detector.judge("m", flat(now, Duration.ofDays(4), 10, 1), new Point(now, 60)).orElseThrow().basis());
        assertEquals("the last 2 days", detector.judge("m", flat(now, Duration.ofDays(2), 10, 1), new Point(now, 60)).orElseThrow().basis());
        assertTrue(detector.judge("m", flat(now, Duration.ofHours(20), 10, 1), new Point(now, 600)).isEmpty(), "less than a day");
    }

    @Test
    void smallChangesAreNotAnomaliesHoweverQuietTheMetricWas() {
        Instant now = Instant.parse("2026-12-07T09:00:00Z");
        List<Point> still = flat(now, Duration.ofDays(3), 100, 0);
        assertTrue(detector.judge("m", still, new Point(now, 130)).isEmpty(), "30% is under the minimum ratio");
        assertTrue(detector.judge("m", flat(now, Duration.ofDays(3), 0.2, 0), new Point(now, 0.9)).isEmpty(), "under the minimum change");
        assertTrue(detector.judge("m", still, new Point(now, 400)).isPresent());
        assertTrue(detector.judge("m", still, new Point(now, 10)).isPresent(), "a drop counts too");
        assertEquals("m at 0.1x the usual for 09:00 (10, usually 100)",
                detector.judge("m", still, new Point(now, 10)).orElseThrow().title());
    }

    @Test
    void aValueTheHistoryAlreadyHeldIsNotNew() {
        Instant now = Instant.parse("2026-12-07T09:00:00Z");
        List<Point> history = new ArrayList<>(flat(now, Duration.ofDays(2), 0, 0));
        for (int i = 0; i < history.size(); i += 50) {
            history.set(i, new Point(history.get(i).at(), 8)); // 2% of the values were 8
        }
        assertTrue(detector.judge("dbtool_blocked_sessions", history, new Point(now, 8)).isEmpty());
        assertTrue(detector.judge("dbtool_blocked_sessions", history, new Point(now, 20)).isPresent());
    }

    @Test
    void theMinimumChangeFollowsTheUnitAndARatioIsJudgedByItsAbsoluteChange() {
        Instant now = Instant.parse("2026-12-07T09:00:00Z");
        assertTrue(detector.judge("dbtool_blocked_sessions", flat(now, Duration.ofDays(2), 0, 0), new Point(now, 4)).isEmpty(),
                "fewer than 5 more sessions");
        assertTrue(detector.judge("dbtool_blocked_sessions", flat(now, Duration.ofDays(2), 0, 0), new Point(now, 5)).isPresent());
        assertTrue(detector.judge("dbtool_hit_ratio", flat(now, Duration.ofDays(2), 0.99, 0.001), new Point(now, 0.6)).isPresent());
        assertTrue(detector.judge("dbtool_hit_ratio", flat(now, Duration.ofDays(2), 0.99, 0.001), new Point(now, 0.93)).isEmpty());
        assertTrue(detector.judge("dbtool_longest_query_seconds", flat(now, Duration.ofDays(2), 1, 0.1), new Point(now, 8)).isEmpty(),
                "7 s more is under 10 s");
    }

    @Test
    void aLevelThatShiftedHoursAgoIsTheNewUsual() {
        Instant now = Instant.parse("2026-12-07T09:00:00Z");
        List<Point> history = new ArrayList<>(flat(now.minus(Duration.ofHours(8)), Duration.ofDays(5), 30, 1));
        history.addAll(flat(now, Duration.ofHours(8), 90, 1).stream().filter(p -> p.at().isAfter(now.minus(Duration.ofHours(8)))).toList());
        assertTrue(detector.judge("dbtool_connections", history, new Point(now, 90)).isEmpty());
        assertTrue(detector.judge("dbtool_connections", history.subList(0, history.size() - 95), new Point(now.minus(Duration.ofMinutes(475)), 90))
                .isPresent(), "the first value of the new level is news");
    }

    @Test
    void aJudgementReadsOnlyTheHoursItsBaselineNeeds() {
        Instant now = Instant.parse("2026-12-07T09:20:00Z");
        assertEquals(List.of(), detector.needs(now, now.minus(Duration.ofHours(20))), "too little history: nothing to read");
        assertEquals(List.of(new HistorySource.Period(now.minus(Duration.ofDays(2)), now)), detector.needs(now, now.minus(Duration.ofDays(2))));
        List<HistorySource.Period> weekly = detector.needs(now, now.minus(Duration.ofDays(60)));
        assertEquals(4, weekly.size(), "the Mondays 09:00 of the 28-day window and the last 6 hours: " + weekly);
        assertEquals(new HistorySource.Period(Instant.parse("2026-11-30T09:00:00Z"), Instant.parse("2026-11-30T10:00:00Z")), weekly.getFirst());
        assertEquals(new HistorySource.Period(now.minus(Duration.ofHours(6)), now), weekly.getLast());
        assertEquals(5 + 1, detector.needs(now, now.minus(Duration.ofDays(5)).minus(Duration.ofMinutes(30))).size(),
                "the same hour of the 5 days before, and the last 6 hours");
    }
}
