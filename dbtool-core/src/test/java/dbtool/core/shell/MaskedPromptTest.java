package dbtool.core.shell;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.Environment;
import dbtool.core.ExitCodes;
import dbtool.core.cli.Command;
import dbtool.core.cli.CommandContext;
import dbtool.core.cli.CommandLineInterface;
import dbtool.spi.SecretPrompt;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.commons.cli.CommandLine;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.ExternalTerminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The masked prompt that plugins ask through {@link SecretPrompt#terminal()}, on JLine's terminal with
 * a line discipline (Ctrl-C raises SIGINT as a TTY does), typed into key by key as a user would. The
 * bundle's VaultLoginIT does the same through script(1) on a real pseudo-terminal.
 */
class MaskedPromptTest {

    static final String SECRET = "Typed-S3cret-Never-Shown";

    @TempDir
    Path home;

    /** A terminal the test types into, and what it shows. */
    static final class TypedTerminal implements AutoCloseable {
        private final PipedOutputStream keys = new PipedOutputStream();
        private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
        final Terminal terminal;

        TypedTerminal() throws IOException {
            terminal = new ExternalTerminal("test", "xterm", new PipedInputStream(keys), screen, StandardCharsets.UTF_8);
        }

        void type(String text) throws IOException {
            keys.write(text.getBytes(StandardCharsets.UTF_8));
            keys.flush();
        }

        /** Waits until the screen shows {@code text} {@code times} times (a prompt that comes back). */
        void waitFor(String text, int times, Duration limit) throws InterruptedException {
            long end = System.nanoTime() + limit.toNanos();
            while (count(screen(), text) < times) {
                if (System.nanoTime() > end) {
                    throw new AssertionError("no '" + text + "' (" + times + "x) within " + limit + "; the screen shows: " + screen());
                }
                Thread.sleep(10);
            }
        }

        String screen() {
            return screen.toString(StandardCharsets.UTF_8);
        }

        private static int count(String text, String part) {
            return text.split(Pattern.quote(part), -1).length - 1;
        }

        @Override
        public void close() throws IOException {
            terminal.close();
        }
    }

    @Test
    void whatIsTypedIsReturnedAndNeverShown() throws Exception {
        try (TypedTerminal typed = new TypedTerminal()) {
            // A thread of its own: on two cores the common pool has one thread, which a blocked task would hold.
            CompletableFuture<char[]> read = CompletableFuture.supplyAsync(() -> {
                try {
                    return MaskedPrompt.read(typed.terminal, "Password: ");
                } catch (MaskedPrompt.Cancelled e) {
                    throw new AssertionError("cancelled", e);
                }
            }, Thread.ofPlatform().daemon()::start);
            typed.waitFor("Password: ", 1, Duration.ofSeconds(10));
            typed.type(SECRET + "!1x\u007f\r");
            assertArrayEquals((SECRET + "!1").toCharArray(), read.get(10, TimeUnit.SECONDS), "Backspace edits; '!' is a character");
            assertFalse(typed.screen().contains("Typed"), typed.screen());
        }
    }

    @Test
    void ctrlCAtTheMaskedPromptCancelsTheCommandAtOnceAndTheShellPromptComesBack() throws Exception {
        // A command that asks for a secret as a plugin's credential provider does.
        Command asking = new Command() {
            @Override public String name() { return "ask"; }
            @Override public String synopsis() { return ""; }
            @Override public String summary() { return "asks for a secret"; }
            @Override public int[] arity() { return new int[] {0, 0}; }
            @Override public int run(CommandLine line, CommandContext context) throws Exception {
                char[] secret = SecretPrompt.terminal().read("Password for alice@orders: ").orElseThrow();
                context.out().println("got " + secret.length + " characters");
                return ExitCodes.OK;
            }
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandContext context = new CommandContext(new Environment(Map.of("XDG_CONFIG_HOME", home.toString()), home, "Linux", null),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), true);
        Shell shell = new Shell(new CommandLineInterface(List.of(asking)), context);
        try (TypedTerminal typed = new TypedTerminal()) {
            // A thread of its own: on two cores the common pool has one thread, which a blocked task would hold.
            CompletableFuture<Integer> session = CompletableFuture.supplyAsync(() -> shell.runInteractive(typed.terminal), Thread.ofPlatform().daemon()::start);
            typed.waitFor("dbtool> ", 1, Duration.ofSeconds(10));
            typed.type("ask\r");
            typed.waitFor("Password for alice@orders: ", 1, Duration.ofSeconds(10));
            typed.type(SECRET);
            long start = System.nanoTime();
            typed.type("\u0003");
            typed.waitFor("dbtool> ", 2, Duration.ofSeconds(5));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            // The same prompt works again after a cancel, and the shell goes on.
            typed.type("ask\r");
            typed.waitFor("Password for alice@orders: ", 2, Duration.ofSeconds(10));
            typed.type(SECRET + "\r");
            typed.waitFor("dbtool> ", 3, Duration.ofSeconds(10));
            typed.type("exit\r");
            assertEquals(ExitCodes.OK, session.get(10, TimeUnit.SECONDS));

            assertTrue(millis < 2_000, "the prompt came back after " + millis + " ms");
            assertEquals("dbtool: cancelled", err.toString(StandardCharsets.UTF_8).strip(), "one line");
            assertEquals("got " + SECRET.length() + " characters", out.toString(StandardCharsets.UTF_8).strip());
            assertFalse(typed.screen().contains("Typed-"), "the terminal showed the secret: " + typed.screen());
        }
        assertFalse(Files.readString(home.resolve("dbtool").resolve("history")).contains("Typed-"),
                "the secret is not in the shell's history");
    }
}
