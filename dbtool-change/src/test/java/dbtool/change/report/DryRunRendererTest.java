package dbtool.change.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The Markdown the GitHub Action posts, and the text form: structure and escaping of what servers and files wrote. */
class DryRunRendererTest {

    private static DryRunReport report(String sql, String projection, String risk, List<String> safer, String status) {
        DryRunReport.StatementResult s = new DryRunReport.StatementResult(3, sql, List.of(new DryRunReport.LockResult("orders", "AccessExclusiveLock")),
                List.of("orders"), 12, null, "orders", 12L << 30, 340, 1200, 240_000, risk, projection, safer);
        return new DryRunReport(1, "prod-orders", "16.4", "a throwaway local cluster", 5.0, 50e6,
                List.of(new DryRunReport.MigrationResult("7", "V7__add_score.sql", List.of(s))), List.of("the clone did not take: ERROR: x"), status);
    }

    @Test
    void aRiskyStatementIsATableRowWithItsSaferForms() {
        String md = DryRunRenderer.markdown(report("ALTER TABLE orders ADD COLUMN score float8 DEFAULT random()",
                "ACCESS EXCLUSIVE on orders, rewrites 12 GB, blocks ~340 writes/s and ~1200 reads/s for ~4 min", "high",
                List.of("add the column without a default, backfill in batches, then SET DEFAULT"), "RISKY"));
        assertTrue(md.startsWith("### :warning: dbtool change dry-run: prod-orders — RISKY\n"), md);
        assertTrue(md.contains("| migration | line | statement | risk | on the target |\n|---|---:|---|---|---|\n"), md);
        assertTrue(md.contains("| V7\\_\\_add\\_score.sql | 3 | `ALTER TABLE orders ADD COLUMN score float8 DEFAULT random()` | **high** | "
                + "ACCESS EXCLUSIVE on orders, rewrites 12 GB, blocks \\~340 writes/s and \\~1200 reads/s for \\~4 min |"), md);
        assertTrue(md.contains("#### Safer forms\n\n- V7\\_\\_add\\_score.sql line 3:\n  - add the column without a default"), md);
        assertTrue(md.contains("#### Warnings\n\n- the clone did not take: ERROR: x"), md);
    }

    @Test
    void textFromFilesCannotBreakTheTableOrInjectHtml() {
        String md = DryRunRenderer.markdown(report("UPDATE t SET a = '|`<script>'", "<img src=x onerror=alert(1)> | *bold* [link](http://x)\n# head",
                "low", List.of(), "OK"));
        assertFalse(md.contains("<img"), md);
        assertTrue(md.contains("`UPDATE t SET a = '\\|'<script>'`"), "inside a code span HTML is text; the pipe is escaped: " + md);
        assertTrue(md.contains("&lt;img src=x onerror=alert(1)&gt; \\| \\*bold\\* \\[link\\](http://x)"), md);
        String row = md.lines().filter(l -> l.startsWith("| V7")).findFirst().orElseThrow();
        assertEquals(7, row.split("(?<!\\\\)\\|", -1).length, "five cells (and the empty ends), none split by a pipe from the text: " + row);
        assertFalse(md.contains("#### Safer forms"), "no safer forms, no heading");
        assertTrue(md.startsWith("### :white_check_mark:"), md);
    }

    @Test
    void theTextFormEscapesControlCharacters() {
        String text = DryRunRenderer.text(report("SELECT 1", "no rewrite\u001b[31m", "none", List.of(), "OK"));
        assertFalse(text.contains("\u001b"), text);
        assertTrue(text.contains("dry run of prod-orders (PostgreSQL 16.4) on a throwaway local cluster: OK"), text);
    }

    @Test
    void nothingPendingSaysSo() {
        DryRunReport empty = new DryRunReport(1, "t", "16.4", "no clone needed", 0, 0, List.of(), List.of(), "OK");
        assertTrue(DryRunRenderer.markdown(empty).contains("Nothing pending."));
    }
}
