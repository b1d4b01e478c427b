package dbtool.plugin.snowflake;

import dbtool.testkit.ThresholdDocs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The thresholds table in the docs is the checks' declarations (run with
 * {@code -Ddbtool.docs.write=true} to regenerate it), every threshold the docs give with a default
 * is declared with that default, and every check reads its thresholds through its declarations.
 */
class ThresholdsDocumentedTest {

    @Test
    void theDocsShowTheThresholdsTheChecksDeclareAndRead() throws IOException {
        ThresholdDocs.verify("snowflake", new SnowflakePlugin().checks(), List.of(Path.of("..", "docs", "snowflake.md")), Path.of("src", "main", "java"));
    }
}
