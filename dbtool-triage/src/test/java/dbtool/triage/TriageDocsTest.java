package dbtool.triage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.testkit.RepositoryFiles;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** docs/triage.md's complete configuration is one this dbtool reads, and its routes do what the page says. */
class TriageDocsTest {

    @Test
    void theCompleteConfigurationOfThePageIsValidAndRoutesAsShown() throws Exception {
        String page = Files.readString(RepositoryFiles.docs("triage.md"));
        int start = page.indexOf("```json\n") + "```json\n".length();
        String json = page.substring(start, page.indexOf("```", start));
        TriageConfig config = TriageConfig.of(Fixtures.config(json)).orElseThrow();
        assertEquals(6, config.receivers().size());
        assertEquals(SeverityRules.DEFAULTS, config.rules(), "the page shows the defaults");
        List<String> receivers = config.routes().receivers(new Routes.Subject("postgresql", "orders", List.of("prod", "payments"), Priority.P1,
                List.of("PG_IDLE_IN_TRANSACTION", "PG_BLOCKING_CHAIN"), Map.of())).stream().map(Routes.Hit::receiver).toList();
        assertEquals(List.of("pager", "dba-mail", "payments-tickets", "audit-hook", "oncall-slack"), receivers);
        assertTrue(page.contains("    pager  (triage.routes.routes[0])"));
    }
}
