package dbtool.core.shell;

import dbtool.core.cli.CommandLineInterface;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.jline.reader.impl.history.DefaultHistory;

/**
 * Shell history that never stores a secret: the line is split into words by the shell's own parser
 * (quotes, tabs) and redacted by the same policy as the run log and error messages
 * ({@link dbtool.core.cli.CommandLineRedaction}). A line with nothing to hide is kept as typed; a line
 * typed with a leading space is not kept at all.
 */
final class RedactingHistory extends DefaultHistory {

    private final CommandLineInterface cli;

    RedactingHistory(CommandLineInterface cli) {
        this.cli = cli;
    }

    @Override
    public void add(Instant time, String line) {
        // docs/safety.md: a line typed with a leading space is never stored. Checked here, on the line as
        // typed: the redacted line is rebuilt from its words, so JLine's own check would no longer see it.
        if (!line.isEmpty() && Character.isWhitespace(line.charAt(0))) {
            return;
        }
        super.add(time, redact(cli, line));
    }

    static String redact(CommandLineInterface cli, String line) {
        List<String> words = Shell.ShellWords.split(line);
        if (words.isEmpty()) {
            return line;
        }
        List<String> shown = cli.redaction().apply(words).shown();
        if (shown.equals(words)) {
            return line;
        }
        return shown.stream().map(RedactingHistory::quoted).collect(Collectors.joining(" "));
    }

    /** A word as the shell's parser reads it back. */
    private static String quoted(String word) {
        if (!word.isEmpty() && word.chars().noneMatch(c -> Character.isWhitespace(c) || c == '"' || c == '\'')) {
            return word;
        }
        return word.contains("'") ? "\"" + word + "\"" : "'" + word + "'";
    }
}
