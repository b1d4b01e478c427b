package dbtool.plugin.mssql;

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
        List<Check> checks = new SqlServerPlugin().checks();
        List<Path> docs = new ArrayList<>();
        docs.add(Path.of("..", "docs", "sqlserver.md"));
        List<String> problems = ThresholdDocs.problems("sqlserver", checks, docs);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void everyCheckReadsItsThresholdsThroughItsDeclarations() throws IOException {
        List<String> undeclared = new ArrayList<>();
        try (Stream<Path> sources = Files.walk(Path.of("src", "main", "java"))) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                if (Files.readString(source).contains("context.number(") || Files.readString(source).contains("settings().get")) {
                    undeclared.add(source.toString());
                }
            }
        }
        assertEquals(List.of(), undeclared, "thresholds read by name instead of through a declared Threshold");
        assertTrue(new SqlServerPlugin().checks().stream().mapToLong(c -> c.thresholds().size()).sum() > 0);
    }
}
