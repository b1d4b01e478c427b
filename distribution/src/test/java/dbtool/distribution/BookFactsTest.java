package dbtool.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Book teaches commands and findings by name, in prose and exercises that no test runs: every
 * {@code dbtool COMMAND ... --flag} it mentions must be a command with that option, and every
 * finding code a code that a playbook explains. Checked against the generated command pages
 * (docs/commands/COMMAND.md), which the commands' own reference tests keep equal to their options,
 * and against docs/playbooks/, which every plugin's build holds to its declared codes.
 */
class BookFactsTest {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Path COMMANDS = ROOT.resolve("docs").resolve("commands");
    // "dbtool" and what follows it on the same line, up to a character that ends a command in prose or a shell
    private static final Pattern COMMAND = Pattern.compile("\\bdbtool ([a-z][a-z-]*)((?: +[^ `|<>;&)]+)*)");
    private static final Pattern OPTION = Pattern.compile("^(--[a-z][a-z-]*|-[a-zA-Z])(?:=.*)?$");
    // Upper-case words with an underscore that look like a finding code: an engine prefix and at least one more part
    private static final Pattern CODE = Pattern.compile("\\b((?:PG|MARIADB|MSSQL|MONGO|SF|METRIC|LOG)_[A-Z0-9]+(?:_[A-Z0-9]+)*)\\b");
    private static final Pattern INLINE_CODE = Pattern.compile("`([^`]+)`");
    // Options every command takes from the command line parser
    private static final Set<String> EVERY_COMMAND = Set.of("--help", "-h");

    @Test
    void everyCommandAndOptionTheBookNamesExists() {
        List<String> wrong = new ArrayList<>();
        int commands = 0;
        for (Path chapter : chapters()) {
            List<String> lines = codeOnly(read(chapter));
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = COMMAND.matcher(lines.get(i));
                while (m.find()) {
                    commands++;
                    String command = m.group(1);
                    Path page = COMMANDS.resolve(command + ".md");
                    String where = chapter.getFileName() + ":" + (i + 1);
                    if (!Files.exists(page)) {
                        wrong.add(where + ": no command '" + command + "' (no " + ROOT.relativize(page) + ")");
                        continue;
                    }
                    String reference = String.join("\n", read(page));
                    for (String word : m.group(2).strip().split(" +")) {
                        Matcher option = OPTION.matcher(word);
                        if (option.matches() && !EVERY_COMMAND.contains(option.group(1)) && !reference.contains("`" + option.group(1) + "`")) {
                            wrong.add(where + ": 'dbtool " + command + "' has no option " + option.group(1));
                        }
                    }
                }
            }
        }
        assertTrue(commands > 50, "the Book names commands; the pattern found only " + commands);
        assertEquals(List.of(), wrong, "the Book names commands and options that do not exist");
    }

    @Test
    void everyFindingCodeTheBookNamesHasAPlaybook() {
        StringBuilder playbooks = new StringBuilder();
        for (Path page : ConsoleExamples.markdown(ROOT.resolve("docs").resolve("playbooks"))) {
            playbooks.append(String.join("\n", read(page))).append('\n');
        }
        Set<String> unknown = new TreeSet<>();
        int codes = 0;
        for (Path chapter : chapters()) {
            Matcher m = CODE.matcher(String.join("\n", read(chapter)));
            while (m.find()) {
                codes++;
                if (!Pattern.compile("\\b" + m.group(1) + "\\b").matcher(playbooks).find()) {
                    unknown.add(chapter.getFileName() + ": " + m.group(1));
                }
            }
        }
        assertTrue(codes > 20, "the Book names finding codes; the pattern found only " + codes);
        assertEquals(Set.of(), unknown, "finding codes the Book names that no playbook explains");
    }

    /**
     * The chapter's code as it would be typed: fenced blocks' lines that start with a command, and of other lines only
     * their inline code spans (prose says "dbtool is" without meaning a command). Line numbers stay.
     */
    static List<String> codeOnly(List<String> lines) {
        List<String> code = new ArrayList<>();
        boolean fenced = false;
        boolean console = false;
        for (String line : lines) {
            if (line.strip().startsWith("```")) {
                fenced = !fenced;
                console = fenced && line.strip().equals("```console");
                code.add("");
            } else if (fenced) {
                // a command line of a block: a console block's "$ " lines (its output quotes dbtool in
                // sentences and headings), or a line of another block that starts with dbtool
                String command = line.strip();
                code.add(command.startsWith(console ? "$ dbtool " : "dbtool ") ? command : "");
            } else {
                StringBuilder spans = new StringBuilder();
                Matcher span = INLINE_CODE.matcher(line);
                while (span.find()) {
                    spans.append(span.group(1)).append(" ` ");
                }
                code.add(spans.toString());
            }
        }
        return code;
    }

    private static List<Path> chapters() {
        List<Path> chapters = ConsoleExamples.markdown(ROOT.resolve("docs").resolve("book"));
        assertTrue(chapters.size() >= 10, "the Book's chapters: " + chapters);
        return chapters;
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
