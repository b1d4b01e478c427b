package dbtool.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The site's command reference (docs/commands/) matches what the built-in commands define and what
 * {@code --help} prints. Feature modules check their own commands' pages (dbtool-logs:
 * LogsCommandReferenceTest). Stale pages: {@code scripts/docs --regenerate}.
 */
class CommandReferenceTest {

    static Path repository() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("mkdocs.yml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no mkdocs.yml above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    @Test
    void everyBuiltInCommandHasACurrentPage() {
        Path pages = repository().resolve("docs/commands");
        List<String> problems = new ArrayList<>();
        CommandLineInterface.standard().commands().values().forEach(c -> problems.addAll(CommandReference.sync(pages, c)));
        assertEquals(List.of(), problems, String.join("\n", problems));
    }

    @Test
    void everyPageIsLinkedFromTheIndexAndTheSiteNavigation() throws IOException {
        Path root = repository();
        String index = Files.readString(root.resolve("docs/commands/index.md"));
        String nav = Files.readString(root.resolve("mkdocs.yml"));
        List<String> problems = new ArrayList<>();
        try (Stream<Path> files = Files.list(root.resolve("docs/commands"))) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".md") && !n.equals("index.md")).sorted()
                    .forEach(name -> {
                        if (!index.contains("(" + name + ")")) {
                            problems.add("docs/commands/index.md does not link " + name);
                        }
                        if (!nav.contains("commands/" + name)) {
                            problems.add("mkdocs.yml's nav does not list commands/" + name);
                        }
                    });
        }
        CommandLineInterface.standard().commands().keySet().forEach(name -> {
            if (!index.contains("(" + name + ".md)")) {
                problems.add("docs/commands/index.md does not link " + name + ".md");
            }
        });
        assertEquals(List.of(), problems, String.join("\n", problems));
    }

    @Test
    void aChangedOptionMakesThePageStaleAndRegenerationKeepsTheHandWrittenPart(@TempDir Path pages) throws IOException {
        Command version = CommandLineInterface.standard().commands().get("version");
        String handWritten = "\n## Examples\n\n```console\n$ dbtool version\n```\n";
        Files.writeString(pages.resolve("version.md"), CommandReference.generated(version) + handWritten);
        assertEquals(List.of(), CommandReference.sync(pages, version, false));

        Files.writeString(pages.resolve("version.md"),
                CommandReference.generated(version).replace("Usage: dbtool version", "Usage: dbtool versions") + handWritten);
        List<String> stale = CommandReference.sync(pages, version, false);
        assertEquals(1, stale.size(), stale.toString());
        assertTrue(stale.getFirst().contains("stale") && stale.getFirst().contains("scripts/docs --regenerate"), stale.getFirst());

        assertEquals(List.of(), CommandReference.sync(pages, version, true));
        assertEquals(CommandReference.generated(version) + handWritten, Files.readString(pages.resolve("version.md")));
    }

    @Test
    void examplesMustParseWithTheCommandsRealOptionsAndExitCodesMustExist() {
        Command troubleshoot = CommandLineInterface.standard().commands().get("troubleshoot");
        Path file = Path.of("troubleshoot.md");
        assertEquals(List.of(), CommandReference.checkHandWritten(file, troubleshoot,
                "| 2 | CRITICAL |\n$ dbtool troubleshoot orders --check locks --format json | jq .status\n"));
        List<String> problems = CommandReference.checkHandWritten(file, troubleshoot,
                "| 5 | made up |\n$ dbtool troubleshoot orders --chek locks\n$ dbtool troubleshoot a b\n$ dbtool checks\n");
        assertEquals(4, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("--chek"), problems.get(0));
        assertTrue(problems.get(1).contains("has 2 arguments"), problems.get(1));
        assertTrue(problems.get(2).contains("is not of 'dbtool troubleshoot'"), problems.get(2));
        assertTrue(problems.get(3).contains("exit code 5"), problems.get(3));
        assertFalse(CommandReference.checkHandWritten(file, troubleshoot, "no examples").isEmpty());
    }
}
