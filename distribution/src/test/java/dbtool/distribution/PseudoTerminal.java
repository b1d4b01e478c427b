package dbtool.distribution;

import dbtool.testkit.DbtoolBundle;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * The bundle's dbtool on a pseudo-terminal (script(1)), as a user at a terminal runs it: keys typed
 * one burst at a time, and everything the terminal shows, echo included, so a test can see that a
 * secret was never echoed and that a prompt came back. Nothing it starts outlives {@link #close()}.
 */
final class PseudoTerminal implements AutoCloseable {

    private final Process process;
    private final OutputStream keys;
    private final ByteArrayOutputStream shown = new ByteArrayOutputStream();
    private final Thread reader;

    private PseudoTerminal(Process process) {
        this.process = process;
        this.keys = process.getOutputStream();
        InputStream screen = process.getInputStream();
        // Read on a thread of its own, so that no wait can block forever.
        reader = Thread.ofPlatform().daemon().name("pty-transcript").start(() -> {
            byte[] buffer = new byte[1024];
            try (screen) {
                int n;
                while ((n = screen.read(buffer)) != -1) {
                    synchronized (shown) {
                        shown.write(buffer, 0, n);
                        shown.notifyAll();
                    }
                }
            } catch (IOException e) {
                // the process was ended: the transcript is what it showed until then
            } finally {
                synchronized (shown) {
                    shown.notifyAll();
                }
            }
        });
    }

    /**
     * Starts {@code bin/dbtool ARGUMENTS} on a pseudo-terminal with only the given environment (plus
     * PATH); skips the test where script(1) is not installed.
     */
    static PseudoTerminal start(DbtoolBundle bundle, Path home, Map<String, String> environment, String... arguments)
            throws IOException {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        Assumptions.assumeTrue(Arrays.stream(path.split(File.pathSeparator))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, "script"))), "script(1) (util-linux) is not installed");
        List<String> command = new ArrayList<>(List.of(bundle.home().resolve("bin").resolve("dbtool").toString()));
        command.addAll(List.of(arguments));
        // A pseudo-terminal made by script(1) without a terminal around it has 0 columns, on which JLine
        // cannot draw a line: give it the size of a usual window.
        ProcessBuilder builder = new ProcessBuilder("script", "-qec", "stty cols 120 rows 40 && exec " + String.join(" ", command), "/dev/null")
                .directory(home.toFile()).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().put("PATH", path);
        builder.environment().putAll(environment);
        return new PseudoTerminal(builder.start());
    }

    /** Types keys, e.g. a line ending in "\r" (Enter) or "\u0003" (Ctrl-C). */
    void type(String text) throws IOException {
        keys.write(text.getBytes(StandardCharsets.UTF_8));
        keys.flush();
    }

    /** Waits until the terminal has shown {@code text} {@code times} times (a prompt that comes back). */
    void waitFor(String text, int times, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        synchronized (shown) {
            while (count(shown.toString(StandardCharsets.UTF_8), text) < times) {
                long left = end - System.nanoTime();
                if (left <= 0 || !reader.isAlive()) {
                    throw new AssertionError("no '" + text + "' (" + times + "x) within " + limit + "; the terminal showed: " + this);
                }
                TimeUnit.NANOSECONDS.timedWait(shown, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
            }
        }
    }

    /** Waits for dbtool to end and returns its exit code (script -e passes it on). */
    int exitCode(Duration limit) throws InterruptedException {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("dbtool did not end within " + limit + "; the terminal showed: " + this);
        }
        reader.join(Duration.ofSeconds(10));
        return process.exitValue();
    }

    private static int count(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }

    /** Everything the terminal showed so far. */
    @Override
    public String toString() {
        synchronized (shown) {
            return shown.toString(StandardCharsets.UTF_8);
        }
    }

    /** script(1) and the dbtool (java) below it: none may outlive the test. */
    @Override
    public void close() throws IOException {
        keys.close();
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
