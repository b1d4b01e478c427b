package dbtool.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/architecture.md's module diagram (a Mermaid block) is the real module graph: every arrow is a
 * {@code requires} of a module-info.java in this repository, and every {@code requires} between
 * dbtool modules is drawn.
 */
class ModuleGraphTest {

    private static final Pattern MODULE = Pattern.compile("(?m)^\\s*(?:open\\s+)?module\\s+([\\w.]+)\\s*\\{");
    private static final Pattern REQUIRES = Pattern.compile("(?m)^\\s*requires\\s+(?:(?:transitive|static)\\s+)*([\\w.]+)\\s*;");
    private static final Pattern NODE = Pattern.compile("^\\s*(\\w+)\\[\"([\\w.]+)\"]\\s*$");
    private static final Pattern EDGE = Pattern.compile("^\\s*(\\w+)\\s*-->\\s*(\\w+)\\s*$");

    /** "a -> b" for every requires of every module-info.java under src/main/java of the repository's modules. */
    static Set<String> realEdges(Path root) throws IOException {
        Set<String> edges = new TreeSet<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.sorted().toList()) {
                Path info = dir.resolve("src/main/java/module-info.java");
                if (!Files.exists(info)) {
                    continue;
                }
                String text = Files.readString(info).replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\\n]*", "");
                Matcher module = MODULE.matcher(text);
                assertTrue(module.find(), "no module declaration in " + info);
                Matcher requires = REQUIRES.matcher(text);
                while (requires.find()) {
                    edges.add(module.group(1) + " -> " + requires.group(1));
                }
            }
        }
        return edges;
    }

    /** "a -> b" for every arrow of the first ```mermaid block of {@code markdown}. */
    static Set<String> drawnEdges(String markdown, String where) {
        int start = markdown.indexOf("```mermaid\n");
        assertTrue(start >= 0, where + " has no ```mermaid block");
        int end = markdown.indexOf("```", start + 11);
        Map<String, String> names = new HashMap<>();
        List<String[]> arrows = new ArrayList<>();
        for (String line : markdown.substring(start + 11, end).split("\n")) {
            Matcher node = NODE.matcher(line);
            Matcher edge = EDGE.matcher(line);
            if (node.matches()) {
                names.put(node.group(1), node.group(2));
            } else if (edge.matches()) {
                arrows.add(new String[] {edge.group(1), edge.group(2)});
            } else if (!line.isBlank() && !line.strip().startsWith("graph ")) {
                throw new AssertionError(where + ": a diagram line this test does not understand (write id[\"module\"] or a --> b): " + line);
            }
        }
        Set<String> edges = new TreeSet<>();
        for (String[] arrow : arrows) {
            for (String id : arrow) {
                if (!names.containsKey(id)) {
                    throw new AssertionError(where + ": arrow uses node '" + id + "', which has no id[\"module\"] line");
                }
            }
            edges.add(names.get(arrow[0]) + " -> " + names.get(arrow[1]));
        }
        return edges;
    }

    @Test
    void theArchitectureDiagramIsTheRealModuleGraph() throws IOException {
        Path root = CommandReferenceTest.repository();
        Set<String> real = realEdges(root);
        Set<String> drawn = drawnEdges(Files.readString(root.resolve("docs/architecture.md")), "docs/architecture.md");

        Set<String> invented = new TreeSet<>(drawn);
        invented.removeAll(real);
        Set<String> missing = new TreeSet<>();
        real.stream().filter(e -> e.startsWith("dbtool.") && e.contains("-> dbtool.") && !drawn.contains(e)).forEach(missing::add);
        assertEquals("", (invented.isEmpty() ? "" : "docs/architecture.md draws requires that no module-info.java has: " + invented + "\n")
                + (missing.isEmpty() ? "" : "docs/architecture.md's diagram lacks these requires: " + missing));
    }

    @Test
    void theCheckSeesADrawnArrowThatIsNotARequiresAndAMissingOne() throws IOException {
        Set<String> real = realEdges(CommandReferenceTest.repository());
        assertTrue(real.contains("dbtool.logs -> dbtool.core"), real.toString());
        assertTrue(real.contains("dbtool.core -> org.apache.commons.cli"), real.toString());
        Set<String> drawn = drawnEdges("""
                ```mermaid
                graph BT
                  core["dbtool.core"]
                  logs["dbtool.logs"]
                  core --> logs
                ```
                """, "sample");
        assertEquals(Set.of("dbtool.core -> dbtool.logs"), drawn);
        assertTrue(!real.contains("dbtool.core -> dbtool.logs"));
    }
}
