package dbtool.core.shell;

import dbtool.spi.SecretPrompt;
import java.io.Console;
import java.io.IOException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import org.jline.terminal.Attributes;
import org.jline.terminal.Attributes.ControlChar;
import org.jline.terminal.Attributes.LocalFlag;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * dbtool's {@link SecretPrompt}: the terminal set to show nothing and to hand over Ctrl-C as a key,
 * then read key by key. Not {@link Console#readPassword}, whose read ignores Ctrl-C until Enter (in
 * the shell the user was stuck at the prompt); not JLine's line reader either, which keeps the line
 * in a String and, on a terminal without capabilities, shows what is typed and paints over it.
 *
 * <p>In the shell it reads through the shell's terminal (a second terminal on the same TTY would
 * fight over its settings); on the command line through a terminal of its own, made only when a
 * prompt is needed. Where JLine has only a dumb terminal (TERM=dumb, e.g. an Emacs shell buffer) it
 * cannot change the TTY's settings, so the console reads instead: nothing is shown either, but
 * Ctrl-C waits for Enter there.
 */
public final class MaskedPrompt implements SecretPrompt {

    public static final MaskedPrompt INSTANCE = new MaskedPrompt();

    private static final int CTRL_C = 3;
    private static final int CTRL_D = 4;
    private static final int BACKSPACE = 8;
    private static final int CTRL_U = 21;
    private static final int DELETE = 127;

    /** The shell's terminal while the interactive shell runs, else null. */
    private static volatile Terminal shellTerminal;

    private MaskedPrompt() {
    }

    /** The user cancelled at a masked prompt: the command ends with "cancelled" (130), not "interrupted". */
    public static final class Cancelled extends InterruptedException {
        Cancelled() {
            super("cancelled");
        }
    }

    /** Whether an exception (or one it was caused by) is a cancel at a masked prompt. */
    public static boolean cancelled(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof Cancelled) {
                return true;
            }
        }
        return false;
    }

    static void useShellTerminal(Terminal terminal) {
        shellTerminal = terminal;
    }

    @Override
    public Optional<char[]> read(String prompt) throws InterruptedException {
        Console console = System.console();
        Terminal shell = shellTerminal;
        if (shell != null && !dumb(shell)) {
            return Optional.of(read(shell, prompt));
        }
        if (console == null || !console.isTerminal()) {
            return Optional.empty();
        }
        if (shell == null) {
            // Without the grapheme-cluster probe: its questions to the terminal are answered on a thread that
            // would read (and drop) the first keys typed when no answer comes (script(1), some multiplexers).
            try (Terminal own = TerminalBuilder.builder().name("dbtool").system(true).graphemeCluster(false).build()) {
                if (!dumb(own)) {
                    return Optional.of(read(own, prompt));
                }
            } catch (IOException e) {
                // no terminal of its own: the console below
            }
        }
        return Optional.ofNullable(console.readPassword("%s", prompt));
    }

    private static boolean dumb(Terminal terminal) {
        return terminal.getType().startsWith(Terminal.TYPE_DUMB);
    }

    /** One line typed with nothing shown: Enter ends it, Backspace and Ctrl-U edit it, Ctrl-C or Ctrl-D cancel. */
    static char[] read(Terminal terminal, String prompt) throws Cancelled {
        Attributes saved = terminal.getAttributes();
        Attributes quiet = new Attributes(saved);
        // No echo, no line editing by the TTY, and Ctrl-C as a key rather than a signal, read here at once.
        quiet.setLocalFlags(EnumSet.of(LocalFlag.ECHO, LocalFlag.ICANON, LocalFlag.ISIG, LocalFlag.IEXTEN), false);
        quiet.setControlChar(ControlChar.VMIN, 1);
        quiet.setControlChar(ControlChar.VTIME, 0);
        char[] typed = new char[32];
        int length = 0;
        terminal.setAttributes(quiet);
        try {
            terminal.writer().print(prompt);
            terminal.flush();
            while (true) {
                int key = terminal.reader().read();
                if (key == -1 || key == CTRL_C || key == CTRL_D && length == 0) {
                    throw new Cancelled();
                } else if (key == '\r' || key == '\n') {
                    return Arrays.copyOf(typed, length);
                } else if (key == BACKSPACE || key == DELETE) {
                    length = Math.max(0, length - 1);
                } else if (key == CTRL_U) {
                    length = 0;
                } else if (key >= ' ') {
                    if (length == typed.length) {
                        char[] larger = Arrays.copyOf(typed, typed.length * 2);
                        Arrays.fill(typed, '\0');
                        typed = larger;
                    }
                    typed[length++] = (char) key;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not read from the terminal: " + e.getMessage(), e);
        } finally {
            Arrays.fill(typed, '\0');
            terminal.setAttributes(saved);
            terminal.writer().println();
            terminal.flush();
        }
    }
}
