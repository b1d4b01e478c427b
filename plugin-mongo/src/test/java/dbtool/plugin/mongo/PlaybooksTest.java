package dbtool.plugin.mongo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every finding code the plugin can report has its section in docs/mongodb.md, where its playbook link points. */
class PlaybooksTest {

    @Test
    void everyFindingCodeHasAPlaybookSection() throws IOException {
        Path docs = Path.of("..", "docs", "mongodb.md");
        String text = Files.readString(docs);
        Set<String> codes = new TreeSet<>();
        Pattern code = Pattern.compile("\"(MONGO_[A-Z_]+)\"");
        try (Stream<Path> sources = Files.walk(Path.of("src", "main", "java"))) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher matcher = code.matcher(Files.readString(source));
                while (matcher.find()) {
                    codes.add(matcher.group(1));
                }
            }
        }
        // The connection failures' codes live in MongoErrors' cause table.
        for (MongoErrors.Cause cause : MongoErrors.Cause.values()) {
            codes.add(cause.code());
        }
        assertTrue(codes.size() > 30, "codes found: " + codes);
        Set<String> missing = new TreeSet<>();
        for (String c : codes) {
            if (!text.contains("\n### " + c + "\n")) {
                missing.add(c);
            }
        }
        assertTrue(missing.isEmpty(), "no section in " + docs + " for " + missing);
    }
}
