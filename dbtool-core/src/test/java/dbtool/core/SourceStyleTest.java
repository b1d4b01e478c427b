package dbtool.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Main code of every module names classes by their imports, not inline as
 * {@code java.util.concurrent.CompletionException}: an inline name hides a dependency from the
 * import list, where a reader (and a review) looks for it. Comments and string literals (class
 * names handed to a driver, Javadoc links) do not count, nor a name that must be qualified because
 * its simple name is taken in the file (imported from elsewhere, declared there or in its package:
 * jTDS's {@code Driver} beside {@code java.sql.Driver}).
 */
class SourceStyleTest {

    private static final Pattern QUALIFIED = Pattern.compile(
            "(?<![\\w.@])((?:java|javax|jdk|dbtool|org|com|io|sun|net)\\.(?:[a-z_][a-z0-9_]*\\.)+)([A-Z]\\w*)");
    private static final Pattern IMPORT = Pattern.compile("(?m)^import ([\\w.]+)\\.(\\w+);");
    private static final Pattern DECLARED = Pattern.compile("\\b(?:class|interface|record|enum)\\s+(\\w+)");

    @Test
    void mainCodeImportsTheClassesItNames() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<String> inline = new ArrayList<>();
        List<Path> sources;
        try (Stream<Path> files = Files.walk(root, 12)) {
            sources = files.filter(p -> p.toString().endsWith(".java") && !p.endsWith("module-info.java"))
                    .filter(p -> root.relativize(p).toString().replace('\\', '/').matches("[^/]+/src/main/java/.*"))
                    .sorted().toList();
        }
        assertTrue(sources.size() > 100, "the modules' main sources are found from " + root + ": " + sources.size());
        for (Path source : sources) {
            Set<String> samePackage = new HashSet<>();
            try (Stream<Path> siblings = Files.list(source.getParent())) {
                siblings.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".java"))
                        .forEach(n -> samePackage.add(n.substring(0, n.length() - 5)));
            }
            inline.addAll(inlineNames(root.relativize(source).toString(), Files.readString(source), samePackage));
        }
        assertEquals(List.of(), inline, "inline fully qualified class names in main code: import them instead");
    }

    @Test
    void theScanSeesCodeButNotCommentsOrStrings() {
        String source = """
                package a;
                /** See {@link java.util.List}. */
                class A {
                    String driver = "org.postgresql.Driver";
                    char c = '"';
                    java.util.Map<String, String> map; // java.util.Set in a comment
                    String block = \"""
                            java.util.Optional
                            \""";
                }
                """;
        assertEquals(List.of("A.java:6: java.util.Map"), inlineNames("A.java", source, Set.of("A")));
    }

    @Test
    void aNameWhoseSimpleNameIsTakenMayBeQualified() {
        String source = """
                package a;
                import java.sql.Driver;
                class A {
                    Driver jtds = new net.sourceforge.jtds.jdbc.Driver();
                    Object mine = new org.example.Local();
                    java.util.List<String> list;
                }
                """;
        assertEquals(List.of("A.java:6: java.util.List"), inlineNames("A.java", source, Set.of("A", "Local")));
    }

    static List<String> inlineNames(String name, String source, Set<String> samePackage) {
        String code = codeOnly(source);
        Map<String, String> imported = new HashMap<>();
        Matcher imports = IMPORT.matcher(code);
        while (imports.find()) {
            imported.put(imports.group(2), imports.group(1) + "." + imports.group(2));
        }
        Set<String> taken = new HashSet<>(samePackage);
        Matcher declared = DECLARED.matcher(code);
        while (declared.find()) {
            taken.add(declared.group(1));
        }
        List<String> found = new ArrayList<>();
        String[] lines = code.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.startsWith("import ") || line.startsWith("package ")) {
                continue;
            }
            Matcher matcher = QUALIFIED.matcher(lines[i]);
            while (matcher.find()) {
                String simple = matcher.group(2);
                String qualified = matcher.group();
                boolean clashes = imported.containsKey(simple) ? !imported.get(simple).equals(qualified) : taken.contains(simple);
                if (!clashes) {
                    found.add(name + ":" + (i + 1) + ": " + qualified);
                }
            }
        }
        return found;
    }

    /** The source with comments, string, text block and character literals blanked (line breaks kept). */
    static String codeOnly(String source) {
        char[] out = source.toCharArray();
        int i = 0;
        int n = source.length();
        while (i < n) {
            int end;
            if (source.startsWith("\"\"\"", i)) {
                end = skipQuoted(source, i + 3, "\"\"\"");
            } else if (source.charAt(i) == '"') {
                end = skipQuoted(source, i + 1, "\"");
            } else if (source.charAt(i) == '\'') {
                end = skipQuoted(source, i + 1, "'");
            } else if (source.startsWith("//", i)) {
                end = source.indexOf('\n', i);
                end = end < 0 ? n : end;
            } else if (source.startsWith("/*", i)) {
                end = source.indexOf("*/", i + 2) + 2;
            } else {
                i++;
                continue;
            }
            for (int k = i; k < end; k++) {
                if (out[k] != '\n') {
                    out[k] = ' ';
                }
            }
            i = end;
        }
        return new String(out);
    }

    private static int skipQuoted(String source, int from, String close) {
        int i = from;
        while (!source.startsWith(close, i)) {
            i += source.charAt(i) == '\\' ? 2 : 1;
        }
        return i + close.length();
    }
}
