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
