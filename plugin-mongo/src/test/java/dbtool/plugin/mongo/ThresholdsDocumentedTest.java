package dbtool.plugin.mongo;

import dbtool.testkit.ThresholdDocs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The thresholds table in the docs is the checks' declarations (run with
 * {@code -Ddbtool.docs.write=true} to regenerate it), every threshold the docs give with a default
 * is declared with that default, and every check reads its thresholds through its declarations.
 */
class ThresholdsDocumentedTest {

    @Test
    void theDocsShowTheThresholdsTheChecksDeclareAndRead() throws IOException {
        List<Path> docs = new ArrayList<>();
        docs.add(Path.of("..", "docs", "mongodb.md"));
        try (Stream<Path> playbooks = Files.list(Path.of("..", "docs", "playbooks"))) {
            playbooks.filter(p -> p.getFileName().toString().startsWith("mongo-")).sorted().forEach(docs::add);
        }
        ThresholdDocs.verify("mongodb", new MongoPlugin().checks(), docs, Path.of("src", "main", "java"));
    }
}
