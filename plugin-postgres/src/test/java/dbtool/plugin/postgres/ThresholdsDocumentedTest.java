package dbtool.plugin.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.spi.Check;
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
 * {@code -Ddbtool.docs.write=true} to regenerate it), and every threshold the docs give with a
 * default is declared with that default.
 */
class ThresholdsDocumentedTest {

    @Test
    void theDocsShowTheDeclaredThresholds() throws IOException {
        List<Check> checks = new PostgresPlugin().checks();
        List<Path> docs = new ArrayList<>();
        docs.add(Path.of("..", "docs", "configuration.md"));
        try (Stream<Path> playbooks = Files.list(Path.of("..", "docs", "playbooks"))) {
            playbooks.filter(p -> p.getFileName().toString().startsWith("pg-")).sorted().forEach(docs::add);
        }
        List<String> problems = ThresholdDocs.problems("postgresql", checks, docs);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void everyCheckReadsItsThresholdsThroughItsDeclarations() throws IOException {
        assertEquals(List.of(), ThresholdDocs.undeclaredReads(Path.of("src", "main", "java")),
                "thresholds read by name instead of through a declared Threshold");
        assertTrue(new PostgresPlugin().checks().stream().mapToLong(c -> c.thresholds().size()).sum() > 0);
    }
}
