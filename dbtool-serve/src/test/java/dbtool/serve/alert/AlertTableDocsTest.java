package dbtool.serve.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.cli.CommandReference;
import dbtool.testkit.RepositoryFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * docs/serve.md's alert mapping table is the built-in table ({@link BuiltInAlerts}), row for row, so the
 * page cannot drift from what dbtool does. Stale: scripts/docs --regenerate (or -Ddbtool.docs.regenerate=true).
 */
class AlertTableDocsTest {

    static final String BEGIN = "<!-- alert-table: generated from BuiltInAlerts by AlertTableDocsTest -->\n";
    static final String END = "<!-- alert-table end -->\n";

    static String table() {
        StringBuilder out = new StringBuilder("| alert names (any case) | checks run (ids and categories; each engine runs those it has) | for |\n|---|---|---|\n");
        for (BuiltInAlerts.Entry entry : BuiltInAlerts.entries()) {
            out.append("| ").append(entry.alertNames().stream().map(n -> "`" + n + "`").collect(Collectors.joining(", ")))
                    .append(" | ").append(entry.checks().stream().map(c -> "`" + c + "`").collect(Collectors.joining(", ")))
                    .append(" | ").append(entry.meaning()).append(" |\n");
        }
        return out.toString();
    }

    @Test
    void theServePagesTableIsTheBuiltInTable() throws IOException {
        Path page = RepositoryFiles.docs("serve.md");
        String text = Files.readString(page, StandardCharsets.UTF_8);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        assertTrue(begin >= 0 && end > begin, page + " has no alert table between its markers");
        String current = text.substring(begin + BEGIN.length(), end);
        if (!current.equals(table()) && Boolean.getBoolean(CommandReference.REGENERATE)) {
            Files.writeString(page, text.substring(0, begin + BEGIN.length()) + table() + text.substring(end), StandardCharsets.UTF_8);
            return;
        }
        assertEquals(table(), current, page + ": the alert table is stale; scripts/docs --regenerate rewrites it");
    }
}
