package dbtool.core.cli;

import dbtool.core.ExitCodes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.ParseException;

/**
 * The site's command reference ({@code docs/commands/NAME.md}), generated from a command's own
 * definitions: its synopsis, description and {@link Command#options()}, and the very text
 * {@code dbtool NAME --help} prints, so the site and {@code --help} cannot disagree.
 *
 * <p>A page has a generated part and, below {@link #HAND_WRITTEN}, a part written by hand (exit codes
 * and examples) that regeneration keeps. The hand-written part is checked too: every
 * {@code $ dbtool NAME ...} line must parse with the command's real options and arity, and every exit
 * code in it must be one of {@link ExitCodes}.
 *
 * <p>Tests call {@link #sync}: dbtool-core's for the built-in commands, each feature module's for its
 * own (they are not on core's test path). {@code scripts/docs --regenerate} runs them with
 * {@code -D}{@value #REGENERATE} so they rewrite stale pages instead of failing.
 */
public final class CommandReference {

    /** The system property that makes {@link #sync} rewrite stale pages. */
    public static final String REGENERATE = "dbtool.docs.regenerate";

    /** The line after which a page is written by hand. */
    public static final String HAND_WRITTEN =
            "<!-- Written by hand below this line (exit codes, examples): scripts/docs --regenerate keeps it. -->";

    private static final Pattern EXAMPLE = Pattern.compile("^\\$ dbtool (\\S+)(.*)$", Pattern.MULTILINE);
    private static final Pattern EXIT_ROW = Pattern.compile("^\\| *(\\d+) *\\|", Pattern.MULTILINE);

    private CommandReference() {
    }

    /** The generated part of the page, up to and including {@link #HAND_WRITTEN}. */
    public static String generated(Command command) {
        StringBuilder page = new StringBuilder();
        page.append("# dbtool ").append(command.name()).append("\n\n");
        page.append("<!-- Generated from the command's own definitions (").append(command.getClass().getName())
                .append("): do not edit above the hand-written marker; change the command and run scripts/docs --regenerate. -->\n\n");
        page.append(capitalised(command.summary())).append(".\n\n");
        page.append("## Synopsis\n\n```text\n").append(("dbtool " + command.name() + " " + command.synopsis()).strip())
                .append("\n```\n\n");
        List<Option> options = command.options().getOptions().stream()
                .sorted(Comparator.comparing(o -> o.getLongOpt() == null ? o.getOpt() : o.getLongOpt())).toList();
        page.append("## Options\n\n");
        page.append("| option | value | what it does |\n|---|---|---|\n");
        for (Option option : options) {
            String flag = (option.getOpt() != null && option.getOpt().length() == 1 ? "`-" + option.getOpt() + "`, " : "")
                    + "`--" + option.getLongOpt() + "`";
            String value = option.hasArg() ? "`" + option.getArgName() + "`" : "";
            page.append("| ").append(flag).append(" | ").append(value).append(" | ")
                    .append(cell(option.getDescription())).append(" |\n");
        }
        page.append("| `-h`, `--help` |  | show this help |\n\n");
        page.append("## `dbtool ").append(command.name()).append(" --help`\n\n```text\n")
                .append(HelpCommand.usage(command).stripTrailing()).append("\n```\n\n");
        page.append(HAND_WRITTEN).append('\n');
        return page.toString();
    }

    /**
     * Checks {@code pages/NAME.md} against {@code command} and returns what is wrong (empty when the page
     * is current). With {@code -D}{@value #REGENERATE}{@code =true} a missing or stale generated part is
     * rewritten instead (keeping the hand-written part, or starting one), and only the hand-written
     * part's problems are returned.
     */
    public static List<String> sync(Path pages, Command command) {
        return sync(pages, command, Boolean.getBoolean(REGENERATE));
    }

    /** {@link #sync(Path, Command)} with the choice to rewrite a stale page made by the caller. */
    static List<String> sync(Path pages, Command command, boolean regenerate) {
        Path file = pages.resolve(command.name() + ".md");
        String expected = generated(command);
        String current;
        try {
            current = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int marker = current.indexOf(HAND_WRITTEN);
        String handWritten = marker < 0 ? "\n## Exit codes\n\n| code | when |\n|---|---|\n| 0 | it did its job |\n"
                + "| 64 | a command-line mistake |\n\n## Examples\n\n```console\n$ dbtool " + command.name() + " --help\n```\n"
                : current.substring(marker + HAND_WRITTEN.length() + 1);
        List<String> problems = new ArrayList<>();
        if (marker < 0 || !current.substring(0, marker + HAND_WRITTEN.length() + 1).equals(expected)) {
            if (regenerate) {
                try {
                    Files.createDirectories(pages);
                    Files.writeString(file, expected + handWritten, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            } else {
                problems.add(file + " is " + (current.isEmpty() ? "missing" : "stale") + " for 'dbtool " + command.name()
                        + "': regenerate it with scripts/docs --regenerate (or -D" + REGENERATE + "=true on this test)");
            }
        }
        problems.addAll(checkHandWritten(file, command, handWritten));
        return problems;
    }

    /** Every example of this command parses with its real options and arity; every exit code exists. */
    static List<String> checkHandWritten(Path file, Command command, String text) {
        List<String> problems = new ArrayList<>();
        Matcher example = EXAMPLE.matcher(text);
        int examples = 0;
        while (example.find()) {
            if (!example.group(1).equals(command.name())) {
                problems.add(file + ": example '" + example.group().strip() + "' is not of 'dbtool " + command.name() + "'");
                continue;
            }
            examples++;
            List<String> words = words(example.group(2));
            try {
                CommandLine line = DefaultParser.builder().setAllowPartialMatching(false).get()
                        .parse(CommandLineInterface.withHelp(command.options()), words.toArray(String[]::new));
                int positional = line.getArgList().size();
                if (!line.hasOption("help") && (positional < command.arity()[0] || positional > command.arity()[1])) {
                    problems.add(file + ": example '" + example.group().strip() + "' has " + positional
                            + " arguments; 'dbtool " + command.name() + "' takes " + command.arity()[0] + " to " + command.arity()[1]);
                }
            } catch (ParseException e) {
                problems.add(file + ": example '" + example.group().strip() + "' does not parse: " + e.getMessage());
            }
        }
        if (examples == 0) {
            problems.add(file + ": no example ('$ dbtool " + command.name() + " ...' in a console block) below the hand-written marker");
        }
        Set<Integer> codes = exitCodes();
        Matcher row = EXIT_ROW.matcher(text);
        while (row.find()) {
            if (!codes.contains(Integer.parseInt(row.group(1)))) {
                problems.add(file + ": exit code " + row.group(1) + " is not one of dbtool's (" + codes + ")");
            }
        }
        return problems;
    }

    /** The values of {@link ExitCodes}' constants. */
    static Set<Integer> exitCodes() {
        Set<Integer> codes = new TreeSet<>();
        for (Field field : ExitCodes.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == int.class) {
                try {
                    codes.add(field.getInt(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return codes;
    }

    /** A shell-like split: spaces separate words, single or double quotes group them; a trailing comment is dropped. */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (char c : line.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '#' && !inWord) {
                break;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else if (c == '|' || c == '>' || c == ';' || c == '&') {
                // A pipe or redirection ends the command's own words.
                break;
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    private static String capitalised(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    /** Markdown table cell text: no pipe, bracket or asterisk may turn into markup. */
    private static String cell(String text) {
        String out = text == null ? "" : text.replace("\n", " ");
        for (String special : Arrays.asList("\\", "|", "*", "_", "[", "]", "<", ">")) {
            out = out.replace(special, special.equals("<") ? "&lt;" : special.equals(">") ? "&gt;" : "\\" + special);
        }
        return out;
    }
}
