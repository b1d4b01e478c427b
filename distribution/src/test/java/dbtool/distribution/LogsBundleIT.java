package dbtool.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.testkit.DbtoolBundle;
import dbtool.testkit.ProcessResult;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 'dbtool logs' from the bundle: the feature module is in the runtime image and its command runs through the launcher. */
class LogsBundleIT {

    @TempDir
    Path home;

    private static final String LOG = """
            2026-12-07 10:00:01.000 UTC [101] app@shop 10.0.0.5 28P01 FATAL:  password authentication failed for user "app"
            2026-12-07 10:00:01.000 UTC [101] app@shop 10.0.0.5 28P01 DETAIL:  Connection matched pg_hba.conf line 99: "host all all 0.0.0.0/0 scram-sha-256"
            2026-12-07 10:00:02.000 UTC [102] app@shop 10.0.0.6 53300 FATAL:  sorry, too many clients already
            2026-12-07 10:00:03.000 UTC [103] app@shop 10.0.0.5 00000 LOG:  connection authorized: user=app database=shop
            """;

    @Test
    void helpListsLogsAndAGzippedLogIsRead() throws Exception {
        DbtoolBundle bundle = DbtoolBundle.locate(home);
        ProcessResult help = bundle.run("--help");
        assertTrue(help.stdout().lines().anyMatch(l -> l.strip().startsWith("logs ")), help.stdout());

        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
            gzip.write(LOG.getBytes(StandardCharsets.UTF_8));
        }
        Path log = Files.write(home.resolve("postgresql.log.1.gz"), zipped.toByteArray());
        ProcessResult result = bundle.run("logs", log.toString(), "--prefix", "%m [%p] %u@%d %h %e ", "--format", "json");
        assertEquals(2, result.exitCode(), result.describe());
        assertTrue(result.stdout().contains("\"PG_LOG_TOO_MANY_CLIENTS\"") && result.stdout().contains("\"PG_LOG_AUTH_FAILURES\""), result.stdout());
        assertEquals("", result.stderr());
    }

    /** A real SIGINT to the launched JVM: --follow ends with exit 0 and the last entry written, not the JVM's 130. */
    @Test
    void followSurvivesRotationAndEndsOnSigintWithExitZero() throws Exception {
        DbtoolBundle bundle = DbtoolBundle.locate(home);
        Path log = Files.writeString(home.resolve("postgresql.log"), LOG);
        Path out = home.resolve("events.jsonl");
        Path err = home.resolve("stderr.txt");
        Files.createFile(out);
        Process follow = bundle.start(out, err, "logs", log.toString(), "--follow", "--prefix", "%m [%p] %u@%d %h %e ", "--format", "jsonl");
        try {
            // Its first events say it reads the file (and handles SIGINT): only then is the file rotated.
            await(follow, out, "\"code\":\"53300\"");
            Files.move(log, home.resolve("postgresql.log.1"));
            Files.writeString(log, "2026-12-07 10:01:00.000 UTC [104] app@shop 10.0.0.7 53300 FATAL:  sorry, too many clients already\n"
                    + "2026-12-07 10:01:01.000 UTC [105] app@shop 10.0.0.7 00000 LOG:  connection authorized: user=app database=shop\n");
            await(follow, out, "\"host\":\"10.0.0.7\"");
            assertTrue(Files.readString(err).contains("postgresql.log: rotated"), Files.readString(err));

            assertEquals(0, new ProcessBuilder("kill", "-INT", String.valueOf(follow.pid())).start().waitFor());
            assertTrue(follow.waitFor(30, TimeUnit.SECONDS), "still following after SIGINT");
            assertEquals(0, follow.exitValue(), Files.readString(err));
            // Three entries of the old file, two of the new: the one held back until the next began is written when Ctrl-C ends the input.
            assertEquals(5, Files.readString(out).lines().count(), Files.readString(out));
        } finally {
            follow.destroyForcibly();
        }
    }

    private static void await(Process process, Path file, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.readString(file).contains(text)) {
            assertTrue(process.isAlive() && System.nanoTime() < deadline, "no " + text + " in " + Files.readString(file));
            Thread.sleep(50);
        }
    }

    @Test
    void aMissingLogIsExit66InOneLine() {
        ProcessResult result = DbtoolBundle.locate(home).run("logs", home.resolve("none.log").toString());
        assertEquals(66, result.exitCode(), result.describe());
        assertEquals("dbtool: " + home.resolve("none.log") + ": no such file", result.stderr().strip());
    }
}
