package dbtool.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.DbtoolException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginScaffoldTest {

    @TempDir
    Path work;

    @Test
    void writesACompleteProjectWithEveryPlaceholderFilledIn() throws Exception {
        Path project = work.resolve("acme");
        new PluginScaffold("acme2", "org.acme.dbtool.acme2", 7400).write(project);
        List<String> files;
        try (Stream<Path> walk = Files.walk(project)) {
            files = walk.filter(Files::isRegularFile).map(p -> project.relativize(p).toString()).sorted().toList();
        }
        assertEquals(List.of("README.md", "pom.xml", "src/assembly/plugin-folder.xml", "src/main/java/module-info.java",
                "src/main/java/org/acme/dbtool/acme2/Acme2Plugin.java", "src/main/java/org/acme/dbtool/acme2/Acme2Session.java",
                "src/main/java/org/acme/dbtool/acme2/ReachableCheck.java", "src/test/java/org/acme/dbtool/acme2/Acme2PluginTest.java"),
                files);
        for (String file : files) {
            String text = Files.readString(project.resolve(file));
            assertFalse(text.matches("(?s).*@[A-Z_]+@.*"), file + " has a placeholder left: " + text);
        }
        String pom = Files.readString(project.resolve("pom.xml"));
        assertTrue(pom.contains("<Dbtool-Engine>acme2</Dbtool-Engine>") && pom.contains("<groupId>org.acme.dbtool</groupId>")
                && pom.contains("${dbtool.version}") && !pom.contains("${project.version}"), pom);
        assertTrue(pom.matches("(?s).*<dbtool.version>\\d+\\.\\d+\\.\\d+[^<]*</dbtool.version>.*"), "this release's version: " + pom);
        assertTrue(Files.readString(project.resolve("src/main/java/org/acme/dbtool/acme2/Acme2Plugin.java")).contains("return 7400;"));
        try (Stream<Path> siblings = Files.list(work)) {
            assertEquals(List.of(project), siblings.toList(), "no staging folder left behind");
        }
    }

    @Test
    void neverWritesOverAnExistingFolder() throws Exception {
        Path existing = Files.createDirectories(work.resolve("taken"));
        Files.writeString(existing.resolve("keep.txt"), "mine");
        DbtoolException e = assertThrows(DbtoolException.class, () -> new PluginScaffold("acme", "com.example.dbtool.acme", 7000).write(existing));
        assertEquals(73, e.exitCode());
        assertTrue(e.getMessage().contains(existing + " already exists"), e.getMessage());
        assertEquals("mine", Files.readString(existing.resolve("keep.txt")));
    }

    @Test
    void namesAndPackagesAreCheckedBeforeAnythingIsWritten() {
        for (String bad : List.of("Acme", "1db", "my-db", "", "a".repeat(31))) {
            DbtoolException e = assertThrows(DbtoolException.class, () -> new PluginScaffold(bad, "com.example.x", 7000));
            assertEquals(64, e.exitCode(), bad);
            assertTrue(e.getMessage().startsWith("plugins new: NAME must be"), e.getMessage());
        }
        DbtoolException e = assertThrows(DbtoolException.class, () -> new PluginScaffold("acme", "Com.Example", 7000));
        assertEquals(64, e.exitCode());
        assertTrue(e.getMessage().contains("--package"), e.getMessage());
    }
}
