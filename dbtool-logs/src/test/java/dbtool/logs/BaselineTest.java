package dbtool.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --baseline: a pattern the earlier report lacked is new; one whose share grew fivefold spiked. */
class BaselineTest {

    @TempDir
    Path dir;

    private static String lines(String format, int from, int count) {
        StringBuilder out = new StringBuilder();
        for (int i = from; i < from + count; i++) {
            out.append(String.format(format, i)).append('\n');
        }
        return out.toString();
    }

    @Test
    void newPatternsAndSpikesAreFlaggedAgainstTheBaseline() throws Exception {
        Path before = Files.writeString(dir.resolve("before.log"),
                lines("request %d served in 12 ms", 0, 200) + lines("cache miss for key %d", 0, 10));
        LogsRun first = LogsRun.run(dir, before.toString(), "--layout", "message", "--format", "json");
        assertEquals(0, first.exitCode(), first.toString());
        Path baseline = Files.writeString(dir.resolve("baseline.json"), first.out());

        Path after = Files.writeString(dir.resolve("after.log"),
                lines("request %d served in 12 ms", 0, 100) + lines("cache miss for key %d", 0, 100) + lines("disk quota exceeded on volume %d", 0, 3));
        LogsRun second = LogsRun.run(dir, after.toString(), "--layout", "message", "--format", "json", "--baseline", baseline.toString());
        assertEquals(1, second.exitCode(), second.toString());
        JsonObject fresh = second.finding("LOG_NEW_PATTERNS");
        assertNotNull(fresh, second.toString());
        assertTrue(fresh.toString().contains("disk quota exceeded on volume <*>"), fresh.toString());
        assertTrue(!fresh.toString().contains("cache miss"), fresh.toString());
        JsonObject spikes = second.finding("LOG_SPIKES");
        assertNotNull(spikes, second.toString());
        assertTrue(spikes.toString().contains("cache miss for key <*>") && !spikes.toString().contains("request <*>"), spikes.toString());

        LogsRun same = LogsRun.run(dir, before.toString(), "--layout", "message", "--format", "json", "--baseline", baseline.toString());
        assertNull(same.finding("LOG_NEW_PATTERNS"), same.toString());
        assertNull(same.finding("LOG_SPIKES"), same.toString());
    }

    @Test
    void thePreviousRunOfTheSameFileIsTheBaselineOfTheNext() throws Exception {
        Path log = dir.resolve("server.log");
        Files.writeString(log, lines("request %d served in 12 ms", 0, 200) + lines("cache miss for key %d", 0, 10));
        LogsRun first = LogsRun.run(dir, log.toString(), "--layout", "message", "--format", "json");
        assertEquals(0, first.exitCode(), first.toString());
        assertEquals("none", first.json().getAsJsonArray("checks").get(0).getAsJsonObject().getAsJsonObject("metrics").get("baseline").getAsString(),
                "a first run has nothing to compare with, and flags nothing");
        assertNull(first.finding("LOG_NEW_PATTERNS"), first.toString());

        // the log rotated: the same path now holds other lines
        Files.writeString(log, lines("request %d served in 12 ms", 0, 100) + lines("cache miss for key %d", 0, 100)
                + lines("ERROR could not extend file base/%d: No space left on device", 0, 3));
        LogsRun second = LogsRun.run(dir, log.toString(), "--layout", "message", "--format", "json");
        JsonObject fresh = second.finding("LOG_NEW_PATTERNS");
        assertNotNull(fresh, second.toString());
        assertTrue(fresh.toString().contains("No space left on device") && !fresh.toString().contains("cache miss"), fresh.toString());
        assertTrue(fresh.toString().contains("the previous run of "), fresh.toString());
        JsonObject spikes = second.finding("LOG_SPIKES");
        assertNotNull(spikes, second.toString());
        assertTrue(spikes.toString().contains("cache miss for key <*>"), spikes.toString());

        LogsRun third = LogsRun.run(dir, log.toString(), "--layout", "message", "--format", "json");
        assertNull(third.finding("LOG_NEW_PATTERNS"), "the second run is now the baseline: " + third);
        assertNull(third.finding("LOG_SPIKES"), third.toString());

        Files.writeString(log, "a line never seen before\n");
        LogsRun unkept = LogsRun.run(dir, log.toString(), "--layout", "message", "--format", "json", "--no-baseline");
        assertNull(unkept.finding("LOG_NEW_PATTERNS"), unkept.toString());
        LogsRun fourth = LogsRun.run(dir, log.toString(), "--layout", "message", "--format", "json");
        assertNotNull(fourth.finding("LOG_NEW_PATTERNS"), "--no-baseline kept nothing: the third run is still the baseline " + fourth);

        try (var kept = Files.list(dir.resolve(".local/share/dbtool/logs"))) {
            assertEquals(1, kept.count(), "one file per source, replaced whole");
        }
        LogsRun both = LogsRun.run(dir, log.toString(), "--baseline", "x.json", "--no-baseline");
        assertEquals(64, both.exitCode(), both.toString());
    }

    @Test
    void aBaselineThatIsNotALogsReportIsOneLine() throws Exception {
        Path log = Files.writeString(dir.resolve("a.log"), "x 1\n");
        Path notAReport = Files.writeString(dir.resolve("other.json"), "{\"schemaVersion\": 1}");
        LogsRun bad = LogsRun.run(dir, log.toString(), "--baseline", notAReport.toString());
        assertEquals(64, bad.exitCode(), bad.toString());
        assertTrue(bad.err().startsWith("dbtool: --baseline " + notAReport + ": not a 'dbtool logs --format json' report"), bad.err());
        LogsRun missing = LogsRun.run(dir, log.toString(), "--baseline", dir.resolve("none.json").toString());
        assertEquals(66, missing.exitCode(), missing.toString());
    }
}
