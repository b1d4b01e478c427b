package dbtool.top;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dbtool.spi.Activity;
import dbtool.spi.ActiveSession;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Per-session rates: over the server's clock for a statement seen running in both snapshots, else the snapshots' gap. */
class FrameTest {

    @Test
    void aStatementRunningInBothSnapshotsIsMeasuredByHowMuchLongerItRan() {
        // The client took 2 s between the snapshots (a slow round trip), the server's statement ran 1 s longer.
        Frame frame = frames(session("7", 10_000, 100.0, 5_000.0), session("7", 11_000, 300.0, 9_000.0), 2);
        assertEquals(200.0, frame.cpuRates().get("7"), 0.001);
        assertEquals(4_000.0, frame.ioRates().get("7"), 0.001);
    }

    @Test
    void aNewStatementInTheSessionFallsBackToTheTimeBetweenSnapshots() {
        Frame frame = frames(session("7", 10_000, 100.0, 5_000.0), session("7", 500, 300.0, 9_000.0), 2);
        assertEquals(100.0, frame.cpuRates().get("7"), 0.001);
        assertEquals(2_000.0, frame.ioRates().get("7"), 0.001);
    }

    private static Frame frames(ActiveSession before, ActiveSession after, long secondsApart) {
        Activity first = new Activity(Fixtures.T0, 1, Map.of(), Map.of(), List.of(before));
        Activity second = new Activity(Fixtures.T0.plusSeconds(secondsApart), 1, Map.of(), Map.of(), List.of(after));
        return Frame.after(Frame.first(first, 1), second, 1);
    }

    private static ActiveSession session(String id, long runningMillis, Double cpu, Double io) {
        return Fixtures.session(id, "app", "worker", "active", runningMillis, null, null, List.of(), 0, cpu, io, "SELECT 1");
    }
}
