package dbtool.core.shell;

import dbtool.core.ExitCodes;
import dbtool.core.Version;
import dbtool.core.cli.CommandContext;
import dbtool.core.cli.CommandLineInterface;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The {@code dbtool>} shell: the same commands as the command line, one per line.
 *
 * <p>On a terminal it uses JLine (history in the configuration directory, completion, Ctrl-C
 * cancels the running command and not the shell, Ctrl-D or {@code exit} leave). When standard
 * input is not a terminal it reads commands line by line, without prompts or terminal set-up, so
 * scripts can feed it.
 */
public final class Shell {

    private static final String PROMPT = "dbtool> ";

    private final CommandLineInterface cli;
    private final CommandContext context;

    public Shell(CommandLineInterface cli, CommandContext context) {
        this.cli = cli;
        this.context = context;
    }

    /** Reads commands from a non-terminal input until its end; returns the last command's exit code. */
    public int runPiped(BufferedReader input) throws IOException {
        int last = ExitCodes.OK;
        String line;
        while ((line = input.readLine()) != null) {
            Integer code = execute(line);
            if (code == null) {
                return ExitCodes.OK;
            }
            last = code == NOTHING ? last : code;
            if (last == ExitCodes.IO_ERROR && context.outputFailure().isPresent()) {
                return last; // nobody reads what the next commands would print
            }
        }
        return last;
    }

    /** Runs the interactive shell on the system terminal. */
    public int runInteractive() throws IOException {
        try (Terminal terminal = TerminalBuilder.builder().name("dbtool").system(true).build()) {
            return runInteractive(terminal);
        }
    }

    int runInteractive(Terminal terminal) {
        LineReader reader = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("dbtool")
                .parser(ShellWords.parser())
                .completer(new ShellCompleter(cli, context))
                .history(new RedactingHistory(cli))
                .variable(LineReader.HISTORY_FILE, historyFile())
                .variable(LineReader.HISTORY_SIZE, 2000)
                .option(LineReader.Option.HISTORY_IGNORE_SPACE, true)
                .build();
        Thread shellThread = Thread.currentThread();
        // While a command runs, Ctrl-C interrupts it; while reading a line, JLine handles Ctrl-C itself.
        terminal.handle(Terminal.Signal.INT, signal -> shellThread.interrupt());
        // A plugin's password prompt reads through this terminal, so Ctrl-C there cancels at once.
        MaskedPrompt.useShellTerminal(terminal);
        try {
            return loop(reader, terminal);
        } finally {
            MaskedPrompt.useShellTerminal(null);
        }
    }

    private int loop(LineReader reader, Terminal terminal) {
        terminal.writer().println("dbtool " + Version.get() + ": type 'help' for the commands, Tab to complete, 'exit' or Ctrl-D to leave.");
        terminal.flush();
        int last = ExitCodes.OK;
        while (true) {
            String line;
            try {
                Thread.interrupted();
                line = reader.readLine(PROMPT);
            } catch (UserInterruptException e) {
                continue;
            } catch (EndOfFileException e) {
                break;
            }
            Integer code = execute(line);
            Thread.interrupted();
            if (code == null) {
                last = ExitCodes.OK;
                break;
            }
            last = code == NOTHING ? last : code;
            if (last == ExitCodes.IO_ERROR && context.outputFailure().isPresent()) {
                break;
            }
        }
        try {
            reader.getHistory().save();
        } catch (IOException e) {
            context.err().println("dbtool: could not save the shell history: " + e.getMessage());
        }
        return last;
    }

    /** Marks a line with nothing to run (blank or a comment). */
    private static final int NOTHING = Integer.MIN_VALUE;

    /**
     * Runs one line: its exit code, {@link #NOTHING} for an empty line, null for exit/quit. Leaving
     * with {@code exit} is a success (0), whatever the command before it returned; at the end of
     * piped input the shell exits with the last command's code.
     */
    private Integer execute(String line) {
        List<String> words = ShellWords.split(line);
        if (words.isEmpty()) {
            return NOTHING;
        }
        if (isExit(words)) {
            return null;
        }
        int code = cli.execute(words, context);
        context.out().flush();
        return code;
    }

    private Path historyFile() {
        Path dir = context.environment().configDir();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            // No history file then; the shell still works.
        }
        return dir.resolve("history");
    }

    private static boolean isExit(List<String> words) {
        return words.size() == 1 && (words.getFirst().equals("exit") || words.getFirst().equals("quit"));
    }

    /** The parser shared by the line reader and the piped mode: quotes group words; backslashes stay (Windows paths). */
    static final class ShellWords {
        private ShellWords() {
        }

        static DefaultParser parser() {
            DefaultParser parser = new DefaultParser();
            parser.setEscapeChars(new char[0]);
            parser.setEofOnUnclosedQuote(false);
            return parser;
        }

        static List<String> split(String line) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                return List.of();
            }
            return parser().parse(trimmed, trimmed.length()).words().stream().filter(w -> !w.isEmpty()).toList();
        }
    }
}
