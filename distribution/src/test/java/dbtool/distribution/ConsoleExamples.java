package dbtool.distribution;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The console examples of the documentation: fenced {@code console} blocks marked with
 * {@code <!-- dbtool-example: NAME -->} on the line before the fence. NAME says which staged
 * incident the session runs against (see DocsExamplesIT); the block's {@code $ } lines are the
 * commands, the lines after each the output a reader should expect.
 *
 * <p>Compared after {@link #normalise(String)}, which blurs only what differs from run to run
 * (pids, ports, times, durations, ages), so a finding that changes its count, severity, wording or
 * recommendation fails the comparison. A line that is exactly {@code ...} stands for lines left
 * out on purpose (zero or more), for reports whose tail is not the chapter's point.
 */
final class ConsoleExamples {

    static final String ELISION = "...";
    private static final Pattern MARKER = Pattern.compile("^<!-- dbtool-example: ([a-z0-9-]+) -->$");
    private static final String FENCE = "```";

    private ConsoleExamples() {
    }

    /** One marked block: where it is and what it says. */
    record Block(Path file, int ordinal, int fenceLine, String name, List<String> lines) {
        String where() {
            return file.getFileName() + ":" + (fenceLine + 1) + " (" + name + ")";
        }

        /** The commands of the block: each {@code $ } line with the expected output after it. */
        List<Step> steps() {
            List<Step> steps = new ArrayList<>();
            for (String line : lines) {
                if (line.startsWith("$ ")) {
                    steps.add(new Step(line.substring(2), new ArrayList<>()));
                } else if (steps.isEmpty()) {
                    throw new AssertionError(where() + ": a console example starts with a '$ ' command line, not: " + line);
                } else {
                    steps.getLast().output().add(line);
                }
            }
            return steps;
        }
    }

    record Step(String command, List<String> output) {
    }

    /** Every marked block in the given Markdown files. */
    static List<Block> blocks(List<Path> files) {
        List<Block> blocks = new ArrayList<>();
        for (Path file : files) {
            List<String> lines = read(file);
            for (int i = 0; i + 1 < lines.size(); i++) {
                Matcher marker = MARKER.matcher(lines.get(i).strip());
                if (!marker.matches()) {
                    continue;
                }
                if (!lines.get(i + 1).strip().equals(FENCE + "console")) {
                    throw new AssertionError(file + ":" + (i + 1) + ": the marker must stand right above a ```console fence");
                }
                int end = closingFence(lines, i + 2, file);
                long ordinal = blocks.stream().filter(b -> b.file().equals(file)).count();
                blocks.add(new Block(file, (int) ordinal, i + 1, marker.group(1), List.copyOf(lines.subList(i + 2, end))));
            }
        }
        return blocks;
    }

    /** A ```console block of a page, marked (run by DocsExamplesIT) or not. */
    record ConsoleBlock(Path file, int line, String firstLine, boolean marked) {
        String where() {
            return file + ":" + line + ": " + firstLine;
        }
    }

    /** Every ```console block of a file, with the line of its fence (1-based) and its first line. */
    static List<ConsoleBlock> consoleBlocks(Path file) {
        List<String> lines = read(file);
        List<ConsoleBlock> found = new ArrayList<>();
        boolean inFence = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.startsWith(FENCE)) {
                if (!inFence && line.equals(FENCE + "console")) {
                    boolean marked = i > 0 && MARKER.matcher(lines.get(i - 1).strip()).matches();
                    found.add(new ConsoleBlock(file, i + 1, i + 1 < lines.size() ? lines.get(i + 1).strip() : "", marked));
                }
                inFence = !inFence;
            }
        }
        return found;
    }

    /** The pages whose console examples count: the README and every page under docs/. */
    static List<Path> documentation(Path root) {
        List<Path> files = new ArrayList<>();
        files.add(root.resolve("README.md"));
        files.addAll(markdown(root.resolve("docs")));
        return files;
    }

    private static int closingFence(List<String> lines, int from, Path file) {
        for (int j = from; j < lines.size(); j++) {
            if (lines.get(j).strip().equals(FENCE)) {
                return j;
            }
        }
        throw new AssertionError(file + ":" + from + ": console block without a closing fence");
    }

    /** Markdown files under a folder, in a stable order. */
    static List<Path> markdown(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(f -> f.toString().endsWith(".md")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // Numbers that name a session: collected first, then replaced everywhere they occur (tables,
    // recommendations, evidence), numbered by first appearance, so the same pid keeps one name.
    private static final List<Pattern> PIDS = List.of(
            Pattern.compile("\\bpids? (\\d+(?:, \\d+)*)"),
            Pattern.compile("\\b[Pp]rocess (\\d+)"),
            Pattern.compile("_backend\\((\\d+)"),
            Pattern.compile("headBlockers: (\\d+(?:, \\d+)*)"));
    private static final Pattern PORT = Pattern.compile("(?:127\\.0\\.0\\.1:|port )(\\d+)");
    private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?(?:Z| UTC)");
    private static final Pattern DURATION = Pattern.compile("\\b\\d+(?:\\.\\d+)? ?(?:ms|s|min|h|d)\\b");
    // key=value and key: value pairs (and JSON's "key": value) whose value is an age, a duration or a rate of this run.
    private static final Pattern VOLATILE_VALUE = Pattern.compile(
            "\\b(\\w*(?:seconds|Seconds|_ms|Ms|_age|ratio|uptime\\w*|server_version_num))(=|\"?: ?)\\d+(?:\\.\\d+)?");
    // The server's version is the machine's, not dbtool's: "PostgreSQL 15.18 (Debian 15.18-0+deb12u1)".
    private static final Pattern SERVER_VERSION = Pattern.compile("(PostgreSQL |version: )\\d+(?:\\.\\d+)*(?: \\([^)]*\\))?");
    // Table columns holding ages and timings: their cells are blurred by position under the header.
    private static final Pattern VOLATILE_COLUMN = Pattern.compile("seconds|\\w*_seconds|ms|\\w*_ms|age");
    private static final Pattern PID_COLUMN = Pattern.compile("pid|blocked_by");

    /** The text with what differs from run to run replaced by placeholders, one line per line, spaces collapsed. */
    static List<String> normalise(List<String> lines) {
        // Tables first, while their cells still stand under their headers: ages and timings are
        // blurred, pids that appear only in a table (a pid or blocked_by column) become names.
        Set<String> pids = new HashSet<>();
        List<String> tablesDone = new ArrayList<>();
        List<int[]> blurred = List.of();
        List<int[]> pidColumns = List.of();
        int tableIndent = -1;
        for (String line : lines) {
            // A table ends at a blank line or at a line indented unlike its header (the evidence
            // field after it): its column positions must not blur the digits of other lines.
            if (line.isBlank() || indent(line) != tableIndent) {
                blurred = List.of();
                pidColumns = List.of();
                tableIndent = -1;
            }
            if (line.isBlank()) {
                tablesDone.add(line);
                continue;
            }
            for (int[] column : pidColumns) {
                String cell = line.substring(Math.min(column[0], line.length()), Math.min(column[1], line.length())).strip();
                if (cell.matches("\\d+")) {
                    pids.add(cell);
                }
            }
            tablesDone.add(blurColumns(line, blurred));
            if (!columns(line, VOLATILE_COLUMN).isEmpty() || !columns(line, PID_COLUMN).isEmpty()) {
                blurred = columns(line, VOLATILE_COLUMN);
                pidColumns = columns(line, PID_COLUMN);
                tableIndent = indent(line);
            }
        }
        String text = String.join("\n", tablesDone);
        for (Pattern pattern : PIDS) {
            Matcher m = pattern.matcher(text);
            while (m.find()) {
                pids.addAll(List.of(m.group(1).split(", ")));
            }
        }
        // Named by first appearance, so a block with lines left out names its pids as the full output does.
        Map<String, String> names = new LinkedHashMap<>();
        String searched = text;
        pids.stream().sorted(Comparator.comparingInt(pid -> firstWord(searched, pid)))
                .forEach(pid -> names.put(pid, "<pid" + (names.size() + 1) + ">"));
        Matcher port = PORT.matcher(text);
        while (port.find()) {
            names.putIfAbsent(port.group(1), "<port>");
        }
        for (Map.Entry<String, String> name : names.entrySet()) {
            text = text.replaceAll("\\b" + name.getKey() + "\\b", Matcher.quoteReplacement(name.getValue()));
        }
        List<String> out = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            String normal = TIMESTAMP.matcher(line).replaceAll("<time>");
            normal = SERVER_VERSION.matcher(normal).replaceAll("$1<version>");
            normal = DURATION.matcher(normal).replaceAll("<duration>");
            normal = VOLATILE_VALUE.matcher(normal).replaceAll("$1$2<n>");
            out.add(normal.strip().replaceAll("\\s+", " "));
        }
        return out;
    }

    private static int indent(String line) {
        return line.length() - line.stripLeading().length();
    }

    private static int firstWord(String text, String word) {
        Matcher m = Pattern.compile("\\b" + word + "\\b").matcher(text);
        return m.find() ? m.start() : Integer.MAX_VALUE;
    }

    static String normalise(String text) {
        return String.join("\n", normalise(List.of(text.split("\n", -1))));
    }

    /**
     * A table header (dbtool draws tables as columns separated by two or more spaces): the
     * [start, end) positions of its columns named like {@code wanted}, end being the next column's start.
     */
    private static List<int[]> columns(String line, Pattern wanted) {
        Matcher cells = Pattern.compile("\\S+(?: \\S+)*").matcher(line);
        List<int[]> starts = new ArrayList<>();
        List<String> names = new ArrayList<>();
        while (cells.find()) {
            starts.add(new int[] {cells.start(), cells.end()});
            names.add(cells.group());
        }
        if (names.size() < 3 || names.stream().anyMatch(n -> n.contains(" ") || n.contains(":"))) {
            return List.of();
        }
        List<int[]> columns = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            if (wanted.matcher(names.get(i)).matches()) {
                int end = i + 1 < starts.size() ? starts.get(i + 1)[0] : Integer.MAX_VALUE;
                columns.add(new int[] {starts.get(i)[0], end});
            }
        }
        return columns;
    }

    private static String blurColumns(String line, List<int[]> columns) {
        StringBuilder out = new StringBuilder(line);
        for (int i = columns.size() - 1; i >= 0; i--) {
            int start = columns.get(i)[0];
            int end = Math.min(columns.get(i)[1], line.length());
            if (start < end && line.substring(start, end).strip().matches("\\d+(\\.\\d+)?")) {
                out.replace(start, end, "<n> ");
            }
        }
        return out.toString();
    }

    /** Whether the actual output matches the expected lines, with {@code ...} matching any run of lines. */
    static boolean matches(List<String> expected, List<String> actual) {
        List<String> want = normalise(expected);
        List<String> got = normalise(actual);
        boolean[][] memo = new boolean[want.size() + 1][got.size() + 1];
        boolean[][] seen = new boolean[want.size() + 1][got.size() + 1];
        return match(want, 0, got, 0, memo, seen);
    }

    private static boolean match(List<String> want, int i, List<String> got, int j, boolean[][] memo, boolean[][] seen) {
        if (seen[i][j]) {
            return memo[i][j];
        }
        boolean result;
        if (i == want.size()) {
            result = j == got.size();
        } else if (want.get(i).equals(ELISION)) {
            result = match(want, i + 1, got, j, memo, seen) || (j < got.size() && match(want, i, got, j + 1, memo, seen));
        } else {
            result = j < got.size() && want.get(i).equals(got.get(j)) && match(want, i + 1, got, j + 1, memo, seen);
        }
        seen[i][j] = true;
        memo[i][j] = result;
        return result;
    }

    /**
     * The new output to write into a block, keeping the old block's elisions where their
     * neighbouring lines are still there (the writer chose what to leave out; regenerating keeps
     * that choice), and the full output where they are not.
     */
    static List<String> withElisions(List<String> old, List<String> fresh) {
        // Walk the old block down the new output: each old line moves a cursor to its next equal
        // line (a changed line is not found and leaves the cursor), so an elision starts where the
        // lines before it ended and stops at the next line after it, not at the first blank line.
        List<String> oldNormal = normalise(old);
        List<String> freshNormal = normalise(fresh);
        List<int[]> cuts = new ArrayList<>();
        int cursor = 0;
        for (int i = 0; i < oldNormal.size(); i++) {
            if (oldNormal.get(i).equals(ELISION)) {
                int to = i + 1 < oldNormal.size() ? indexOf(freshNormal, oldNormal.get(i + 1), cursor) : freshNormal.size();
                if (to >= cursor) {
                    cuts.add(new int[] {cursor, to});
                    cursor = to;
                }
                continue;
            }
            int found = indexOf(freshNormal, oldNormal.get(i), cursor);
            if (found >= 0) {
                cursor = found + 1;
            }
        }
        List<String> result = new ArrayList<>(fresh);
        for (int k = cuts.size() - 1; k >= 0; k--) {
            result.subList(cuts.get(k)[0], cuts.get(k)[1]).clear();
            result.add(cuts.get(k)[0], ELISION);
        }
        return result;
    }

    private static int indexOf(List<String> lines, String line, int from) {
        for (int k = from; k < lines.size(); k++) {
            if (lines.get(k).equals(line)) {
                return k;
            }
        }
        return -1;
    }

    /**
     * Rewrites one block's lines in its file. The block is found again by its rank among the file's
     * marked blocks, since rewriting an earlier block of the same file moves the later ones.
     */
    static synchronized void rewrite(Block block, List<String> lines) {
        Block now = blocks(List.of(block.file())).get(block.ordinal());
        List<String> file = new ArrayList<>(read(block.file()));
        int start = now.fenceLine() + 1;
        file.subList(start, start + now.lines().size()).clear();
        file.addAll(start, lines);
        try {
            Files.writeString(block.file(), String.join("\n", file) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
