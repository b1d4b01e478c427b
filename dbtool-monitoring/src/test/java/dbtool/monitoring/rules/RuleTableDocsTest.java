package dbtool.monitoring.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.cli.CommandReference;
import dbtool.monitoring.Engines;
import dbtool.monitoring.MonitoringRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/monitoring.md's rule table is the generated rule set, row for row. Stale: scripts/docs --regenerate (or
 * -Ddbtool.docs.regenerate=true on this test).
 */
class RuleTableDocsTest {

    static final String BEGIN = "<!-- rule-table: generated from RuleCatalog by RuleTableDocsTest -->\n";
    static final String END = "<!-- rule-table end -->\n";

    static String table() {
        StringBuilder out = new StringBuilder("| engine | alert | fires when | for | severity | stands for |\n|---|---|---|---|---|---|\n");
        for (AlertRule rule : RuleCatalog.all()) {
            out.append("| ").append(Engines.title(rule.engine())).append(" | `").append(rule.alert()).append("` | `")
                    .append(rule.expr().replace("|", "\\|")).append("` | ").append(RuleFiles.duration(rule.holdFor())).append(" | ")
                    .append(rule.severity()).append(" | ").append(rule.anchor()).append(" |\n");
        }
        return out.toString();
    }

    @Test
    void theMonitoringPagesRuleTableIsTheGeneratedRuleSet() throws IOException {
        Path page = MonitoringRun.repository().resolve("docs/monitoring.md");
        String text = Files.readString(page, StandardCharsets.UTF_8);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        assertTrue(begin >= 0 && end > begin, page + " has no rule table between its markers");
        String current = text.substring(begin + BEGIN.length(), end);
        if (!current.equals(table()) && Boolean.getBoolean(CommandReference.REGENERATE)) {
            Files.writeString(page, text.substring(0, begin + BEGIN.length()) + table() + text.substring(end), StandardCharsets.UTF_8);
            return;
        }
        assertEquals(table(), current, page + ": the rule table is stale; scripts/docs --regenerate rewrites it");
    }
}
