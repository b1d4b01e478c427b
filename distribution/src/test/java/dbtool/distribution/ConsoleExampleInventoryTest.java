package dbtool.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.distribution.ConsoleExamples.ConsoleBlock;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * No console example escapes DocsExamplesIT: every ```console block of the README and of docs/ is
 * either marked (and so run against a staged incident) or named in {@code unchecked-console-examples.txt}
 * with the reason no test can run it. A new unmarked block fails here, and so does an allow-list
 * entry that no longer names a block (the list only shrinks with the docs).
 */
class ConsoleExampleInventoryTest {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    /** One allow-list line: a page (a glob from the repository root), the block's first line or *, and why. */
    record Allowed(String glob, String firstLine, String reason) {
        boolean allows(ConsoleBlock block) {
            PathMatcher page = FileSystems.getDefault().getPathMatcher("glob:" + glob);
            return page.matches(ROOT.relativize(block.file())) && (firstLine.equals("*") || firstLine.equals(block.firstLine()));
        }
    }

    static List<Allowed> allowList() throws IOException {
        List<Allowed> allowed = new ArrayList<>();
        try (InputStream in = Objects.requireNonNull(ConsoleExampleInventoryTest.class.getResourceAsStream("unchecked-console-examples.txt"))) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.split(" \\| ", 3);
                assertEquals(3, fields.length, "unchecked-console-examples.txt: expected 'PAGE | FIRST LINE | REASON', got: " + line);
                assertTrue(fields[2].length() > 20, "unchecked-console-examples.txt: say why no test can run it: " + line);
                allowed.add(new Allowed(fields[0].strip(), fields[1].strip(), fields[2].strip()));
            }
        }
        return allowed;
    }

    private static List<ConsoleBlock> consoleBlocks() {
        return ConsoleExamples.documentation(ROOT).stream().flatMap(f -> ConsoleExamples.consoleBlocks(f).stream()).toList();
    }

    @Test
    void everyConsoleExampleIsCheckedOrSaysWhyNot() throws IOException {
        List<Allowed> allowed = allowList();
        List<String> unchecked = consoleBlocks().stream()
                .filter(b -> !b.marked() && allowed.stream().noneMatch(a -> a.allows(b)))
                .map(b -> ROOT.relativize(b.file()) + ":" + b.line() + ": " + b.firstLine())
                .toList();
        assertEquals(List.of(), unchecked, "console examples no test runs: mark each <!-- dbtool-example: NAME --> (DocsExamplesIT stages NAME "
                + "and runs it; scripts/docs --regenerate writes its output), or, if no test can run it, add it with the reason to "
                + "distribution/src/test/resources/dbtool/distribution/unchecked-console-examples.txt");
    }

    @Test
    void everyAllowListEntryStillNamesAnUncheckedExample() throws IOException {
        List<ConsoleBlock> blocks = consoleBlocks();
        for (Allowed entry : allowList()) {
            assertTrue(blocks.stream().anyMatch(b -> !b.marked() && entry.allows(b)),
                    "unchecked-console-examples.txt names no unchecked console block any more, remove it: " + entry.glob() + " | " + entry.firstLine());
        }
    }

    @Test
    void theReadmeAndTheBookAreCheckedWithoutExceptions() throws IOException {
        for (Allowed entry : allowList()) {
            assertTrue(!entry.glob().equals("README.md") && !entry.glob().startsWith("docs/book/"),
                    "the README's tour and the Book's sessions are all run by a test, none may be allow-listed: " + entry.glob());
        }
    }
}
