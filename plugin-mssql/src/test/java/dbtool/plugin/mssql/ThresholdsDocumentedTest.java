package dbtool.plugin.mssql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.spi.Check;
import dbtool.testkit.ThresholdDocs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
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
        List<String> problems = ThresholdDocs.problems("sqlserver", checks, List.of(Path.of("..", "docs", "sqlserver.md")));
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void everyCheckReadsItsThresholdsThroughItsDeclarations() throws IOException {
        assertEquals(List.of(), ThresholdDocs.undeclaredReads(Path.of("src", "main", "java")),
                "thresholds read by name instead of through a declared Threshold");
        assertTrue(new SqlServerPlugin().checks().stream().mapToLong(c -> c.thresholds().size()).sum() > 0);
    }
}
