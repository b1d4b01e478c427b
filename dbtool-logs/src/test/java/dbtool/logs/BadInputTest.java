package dbtool.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input costs one line on stderr each, and nothing of the rest of the file. */
class BadInputTest {

    @TempDir
    Path dir;

    private static final String FAILED_LOGINS = """
            2026-12-07 10:00:01.000 UTC [101] app@shop 10.0.0.5 28P01 FATAL:  password authentication failed for user "app"
            2026-12-07 10:00:01.000 UTC [101] app@shop 10.0.0.5 28P01 DETAIL:  Connection matched pg_hba.conf line 99: "host all all 0.0.0.0/0 scram-sha-256"
            2026-12-07 10:00:02.000 UTC [102] app@shop 10.0.0.5 28P01 FATAL:  password authentication failed for user "app"
            2026-12-07 10:00:03.000 UTC [103] bob@shop 10.0.0.6 28P01 FATAL:  password authentication failed for user "bob"
            """;
    private static final String PREFIX = "%m [%p] %u@%d %h %e ";

    private int authFailures(LogsRun run) {
        return run.finding("PG_LOG_AUTH_FAILURES").getAsJsonObject("evidence").get("count").getAsInt();
    }

    @Test
    void binaryGarbageIsOneWarningAndTheEntriesAfterItCount() throws Exception {
        byte[] garbage = new byte[4000];
        new Random(17).nextBytes(garbage);
        for (int i = 0; i < garbage.length; i++) {
            if (garbage[i] == '\n') {
                garbage[i] = 0;
            }
        }
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.write(FAILED_LOGINS.getBytes(StandardCharsets.UTF_8));
        file.write(garbage);
        file.write('\n');
        file.write(FAILED_LOGINS.getBytes(StandardCharsets.UTF_8));
        Path log = Files.write(dir.resolve("garbage.log"), file.toByteArray());

        LogsRun run = LogsRun.run(dir, log.toString(), "--prefix", PREFIX, "--format", "json");
        assertEquals(1, run.exitCode(), run.toString());
        assertEquals(6, authFailures(run), run.toString());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().contains("binary data"), run.err());
        assertFalse(run.out().chars().anyMatch(c -> c < 0x20 && c != '\n' && c != ' '), "no raw control characters in the report");
    }

    @Test
    void aTruncatedGzipIsOneWarningAndWhatWasReadCounts() throws Exception {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
            for (int i = 0; i < 2000; i++) {
                gzip.write(FAILED_LOGINS.getBytes(StandardCharsets.UTF_8));
            }
        }
        byte[] all = zipped.toByteArray();
        Path log = Files.write(dir.resolve("postgresql.log.1.gz"), Arrays.copyOf(all, all.length * 2 / 3));

        LogsRun run = LogsRun.run(dir, log.toString(), "--prefix", PREFIX, "--format", "json");
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(authFailures(run) > 1000, run.toString());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().contains("postgresql.log.1.gz: input ends early"), run.err());
    }

    @Test
    void aTenMegabyteLineIsOneWarningAndTheLinesAfterItCount() throws Exception {
        String huge = "2026-12-07 10:00:00.500 UTC [100] app@shop 10.0.0.5 00000 LOG:  " + "x".repeat(10 << 20) + "\n";
        Path log = Files.writeString(dir.resolve("huge.log"), huge + FAILED_LOGINS);

        LogsRun run = LogsRun.run(dir, log.toString(), "--prefix", PREFIX, "--format", "json");
        assertEquals(1, run.exitCode(), run.toString());
        assertEquals(3, authFailures(run), run.toString());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().contains("line 1 has 10485" ), run.err());
    }

    @Test
    void anUnknownPrefixEscapeIsAUsageError() throws Exception {
        Path log = Files.writeString(dir.resolve("pg.log"), FAILED_LOGINS);
        LogsRun run = LogsRun.run(dir, log.toString(), "--prefix", "%m %z ");
        assertEquals(64, run.exitCode(), run.toString());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().startsWith("dbtool: --prefix '%m %z ': unknown escape '%z'"), run.err());
    }

    @Test
    void aMissingFileOrADirectoryIsExit66InOneLine() {
        LogsRun missing = LogsRun.run(dir, dir.resolve("nope.log").toString());
        assertEquals(66, missing.exitCode(), missing.toString());
        assertEquals("dbtool: " + dir.resolve("nope.log") + ": no such file\n", missing.err());
        assertEquals("", missing.out());

        LogsRun directory = LogsRun.run(dir, dir.toString());
        assertEquals(66, directory.exitCode(), directory.toString());
        assertTrue(directory.err().contains("is a directory"), directory.err());
    }

    @Test
    void aBadFormatOrLayoutIsAUsageError() throws Exception {
        Path log = Files.writeString(dir.resolve("pg.log"), FAILED_LOGINS);
        assertEquals(64, LogsRun.run(dir, log.toString(), "--format", "yaml").exitCode());
        assertEquals(64, LogsRun.run(dir, log.toString(), "--layout", "syslog").exitCode());
        assertEquals(64, LogsRun.run(dir, log.toString(), "--top", "0").exitCode());
    }
}
