package dbtool.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.Environment;
import dbtool.core.cli.CommandContext;
import dbtool.core.cli.CommandLineInterface;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dbtool logs FILE --follow}: a real file appended, renamed away and truncated by the test while
 * the command runs in-process on its own thread; the thread's interrupt is Ctrl-C as the dbtool> shell
 * delivers it (the SIGINT handler ends the input the same way, through FollowedFile.stop).
 */
class FollowTest {

    @TempDir
    Path home;

    @Test
    void jsonlEventsArriveAsLinesAreWrittenThroughRenameAndCopytruncate() throws Exception {
        Path log = home.resolve("app.log");
        Files.writeString(log, "worker 1 started\nworker 2 started\n");
        try (Following run = Following.start(home, false, log.toString(), "--follow", "--format", "jsonl", "--layout", "message")) {
            run.await(() -> run.out().contains("worker 2 started"), "the lines already there");

            append(log, "job 17 failed on disk full\n");
            run.await(() -> run.out().contains("job 17 failed on disk full"), "an appended line");

            // Rotation by rename: the old file gets its last line, then a new file appears at the path.
            Path rotated = home.resolve("app.log.1");
            Files.move(log, rotated);
            append(rotated, "worker 1 stopped before rotation\n");
            Files.writeString(log, "worker 3 started in the new file\n");
            run.await(() -> run.out().contains("worker 3 started in the new file"), "the new file after a rename");
            assertTrue(run.out().contains("worker 1 stopped before rotation"), "the old file is read to its end first: " + run);
            assertTrue(run.err().contains("app.log: rotated"), run.toString());

            // copytruncate: the file shrinks under the reader, which starts again from its start.
            append(log, "padding so that the truncated file is shorter than what was read\n");
            run.await(() -> run.out().contains("padding so that"), "the padding");
            Files.writeString(log, "job 18 ok\n", StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            run.await(() -> run.out().contains("job 18 ok"), "a line after copytruncate");
            assertTrue(run.err().contains("app.log: truncated"), run.toString());

            assertEquals(0, run.interrupt(), run.toString());
            long events = run.out().lines().filter(l -> l.startsWith("{")).count();
            assertEquals(7, events, "one event per line, none twice: " + run);
        }
    }

    @Test
    void textOnATerminalRefreshesTheFindingsAndCtrlCPrintsTheSummaryWithExitZero() throws Exception {
        Path log = home.resolve("postgresql.log");
        Files.writeString(log, "2026-12-07 09:00:00.001 UTC [100] LOG:  database system is ready to accept connections\n");
        try (Following run = Following.start(home, true, log.toString(), "--follow", "--no-color")) {
            StringBuilder storm = new StringBuilder();
            for (int i = 0; i < 30; i++) {
                storm.append("2026-12-07 09:00:01.").append(100 + i).append(" UTC [").append(200 + i).append("] FATAL:  sorry, too many clients already\n");
            }
            append(log, storm + "2026-12-07 09:00:02.000 UTC [300] LOG:  checkpoint starting: time\n");
            // The refreshed screen names the cause while the command still runs.
            run.await(() -> run.out().contains("too many clients (30 times)"), "the refreshed findings");
            assertTrue(run.out().contains("\033[H\033[2J"), "the screen is redrawn, not appended to: " + run);

            assertEquals(0, run.interrupt(), "Ctrl-C is how following ends: success, though the log is CRITICAL; " + run);
            String summary = run.out().substring(run.out().lastIndexOf("\033[2J"));
            assertTrue(summary.contains("sorry, too many clients already"), "the summary after Ctrl-C lists the pattern: " + summary);
        }
    }

    @Test
    void followingEndsWhenNobodyReadsTheOutputAnyMore() throws Exception {
        Path log = home.resolve("app.log");
        Files.writeString(log, "worker 1 started\n");
        OutputStream closedPipe = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe"); // | head -1 had what it wanted and exited
            }
        };
        try (Following run = Following.start(home, false, closedPipe, log.toString(), "--follow", "--format", "jsonl", "--layout", "message")) {
            assertEquals(74, run.join(), "ends by itself, as tail -F ends on SIGPIPE: " + run);
            assertTrue(run.err().contains("cannot write to standard output"), run.toString());
        }
    }

    @Test
    void whatCannotBeFollowedIsRefusedWithOneLine() throws IOException {
        Path a = Files.writeString(home.resolve("a.log"), "x\n");
        Path b = Files.writeString(home.resolve("b.log"), "y\n");
        LogsRun several = LogsRun.run(home, a.toString(), b.toString(), "--follow");
        assertEquals(64, several.exitCode(), several.toString());
        assertEquals("dbtool: --follow: follows one FILE; 2 were named", several.err().strip());

        LogsRun stdin = LogsRun.run(home, "-", "--follow");
        assertEquals(64, stdin.exitCode(), stdin.toString());
        assertTrue(stdin.err().strip().startsWith("dbtool: --follow: follows a FILE; standard input"), stdin.toString());

        LogsRun missing = LogsRun.run(home, home.resolve("gone.log").toString(), "--follow");
        assertEquals(66, missing.exitCode(), missing.toString());
        assertFalse(missing.err().contains("Exception"), missing.toString());
    }

    private static void append(Path log, String text) throws IOException {
        Files.writeString(log, text, StandardOpenOption.APPEND);
    }

    /** {@code dbtool logs ...} running on its own thread, its output readable while it runs. */
    private static final class Following implements AutoCloseable {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteArrayOutputStream err = new ByteArrayOutputStream();
        private final AtomicInteger exit = new AtomicInteger(-1);
        private Thread thread;

        static Following start(Path home, boolean terminal, String... args) {
            return start(home, terminal, null, args);
        }

        /** With standard output going to {@code stdout} instead of {@link #out()}, when not null. */
        static Following start(Path home, boolean terminal, OutputStream stdout, String... args) {
            Following run = new Following();
            Environment environment = new Environment(Map.of("DBTOOL_CONFIG", home.resolve("none.json").toString(),
                    "DBTOOL_PLUGIN_PATH", home.toString()), home, "Linux", null);
            List<String> argv = new ArrayList<>(List.of("logs"));
            argv.addAll(List.of(args));
            run.thread = Thread.ofPlatform().name("dbtool-logs-follow-test").start(() -> {
                try (CommandContext context = new CommandContext(environment, new PrintStream(stdout == null ? run.out : stdout, true, StandardCharsets.UTF_8),
                        new PrintStream(run.err, true, StandardCharsets.UTF_8), terminal)) {
                    run.exit.set(CommandLineInterface.standard().execute(argv, context));
                }
            });
            return run;
        }

        String out() {
            return out.toString(StandardCharsets.UTF_8);
        }

        String err() {
            return err.toString(StandardCharsets.UTF_8);
        }

        /** Waits until the condition holds, failing after 20 s with what the command printed. */
        void await(BooleanSupplier condition, String what) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!condition.getAsBoolean()) {
                assertTrue(thread.isAlive(), "the command ended before " + what + ": " + this);
                assertTrue(System.nanoTime() < deadline, "no " + what + " within 20 s: " + this);
                Thread.sleep(20);
            }
        }

        /** Ctrl-C as the shell delivers it; returns the exit code. */
        int interrupt() throws InterruptedException {
            thread.interrupt();
            return join();
        }

        /** Waits for the command to end by itself; returns the exit code. */
        int join() throws InterruptedException {
            thread.join(TimeUnit.SECONDS.toMillis(20));
            assertFalse(thread.isAlive(), "still following after 20 s: " + this);
            return exit.get();
        }

        @Override
        public void close() {
            // a failed test must not leave the command following in the background
            thread.interrupt();
        }

        @Override
        public String toString() {
            return "exit " + exit.get() + "\n--- stdout\n" + out() + "\n--- stderr\n" + err();
        }
    }
}
