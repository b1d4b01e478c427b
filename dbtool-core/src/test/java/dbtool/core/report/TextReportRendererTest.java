package dbtool.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What an operator reads at the terminal. */
class TextReportRendererTest {

    static final TargetInfo ORDERS = new TargetInfo("orders", "postgresql", "db1", 5432, "orders");

    private static String render(Style style, CheckReport... checks) {
        return new TextReportRenderer(style).render(Report.of("1.2.3", ORDERS, Instant.parse("2026-11-22T10:00:00Z"), 42, List.of(checks)));
    }

    private static CheckReport check(String id, Severity severity, Finding... findings) {
        return new CheckReport(id, "locks", severity, 5, null, Map.of(), List.of(findings));
    }

    private static Map<String, Object> node(String label, Map<?, ?>... blocked) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("label", label);
        node.put("blocked", List.of(blocked));
        return node;
    }

    @Test
    void headerNamesTheTargetStatusAndTime() {
        List<String> lines = render(Style.PLAIN, check("blocking", Severity.OK)).lines().toList();
        assertEquals("dbtool troubleshoot orders (postgresql, db1:5432/orders)", lines.get(0));
        assertEquals("OK  1 check in 42 ms, 2026-11-22 10:00:00Z", lines.get(1));
    }

    @Test
    void worstCheckFirstWhateverTheOrderTheyRan() {
        String text = render(Style.PLAIN, check("quiet", Severity.OK), check("slowish", Severity.WARNING),
                CheckReport.unknown("replication", "resources", 0, "permission denied"), check("blocking", Severity.CRITICAL));
        List<String> order = text.lines().filter(l -> l.matches("^(OK|WARNING|UNKNOWN|CRITICAL) +\\S+ \\(.*"))
                .map(l -> l.split(" +")[1]).toList();
        assertEquals(List.of("blocking", "replication", "slowish", "quiet"), order);
        assertTrue(text.contains("UNKNOWN   replication (resources, 0 ms): permission denied"), "the reason beside the check:\n" + text);
    }

    @Test
    void emptyEvidenceListsAreLeftOutOfTheText() {
        Finding finding = Finding.of("PG_LONG_TRANSACTION", Severity.WARNING, "A transaction is open for 21 min")
                .evidence("headBlockers", List.of()).evidence("idleSessionIds", List.of(52)).evidence("extra", Map.of()).build();
        String text = render(Style.PLAIN, check("open-transactions", Severity.WARNING, finding));
        assertFalse(text.contains("headBlockers"), text);
        assertFalse(text.contains("extra"), text);
        assertTrue(text.contains("idleSessionIds: 52"), text);
    }

    @Test
    void checksThatFailedForOneReasonShareOneLine() {
        String reason = "not connected: TCP connect to db1:5432 failed: Connection refused";
        Finding refused = Finding.of("PG_CONNECTION_REFUSED", Severity.CRITICAL, "Cannot connect").build();
        String text = render(Style.PLAIN, check("connection", Severity.CRITICAL, refused),
                CheckReport.unknown("blocking", "locks", 0, reason), CheckReport.unknown("vacuum", "resources", 0, reason),
                CheckReport.unknown("long-queries", "queries", 0, reason),
                CheckReport.unknown("replication", "resources", 0, "permission denied for view pg_stat_replication"));
        List<String> unknown = text.lines().filter(l -> l.startsWith("UNKNOWN")).toList();
        assertEquals(List.of("UNKNOWN   3 checks (blocking, vacuum, long-queries): " + reason,
                "UNKNOWN   replication (resources, 0 ms): permission denied for view pg_stat_replication"), unknown, text);
        assertTrue(text.contains("CRITICAL  connection"), text);
    }

    @Test
    void blockedChildrenAreDrawnAsAnIndentedTree() {
        Map<String, Object> tree = node("pid 1 idle in transaction",
                node("pid 2 UPDATE accounts", node("pid 4 SELECT")),
                node("pid 3 DELETE accounts"));
        Finding finding = Finding.of("PG_BLOCKING_CHAIN", Severity.CRITICAL, "3 sessions blocked")
                .evidence("blockingTree", List.of(tree)).build();
        List<String> lines = render(Style.PLAIN, check("blocking", Severity.CRITICAL, finding)).lines().toList();
        int root = indexOf(lines, "pid 1 idle in transaction");
        assertEquals(indent(lines.get(root)), indent(lines.get(root - 1)) + 2, "the tree sits under its evidence key");
        assertTrue(lines.get(root + 1).endsWith("|- pid 2 UPDATE accounts"), lines.get(root + 1));
        assertTrue(lines.get(root + 2).endsWith("|  `- pid 4 SELECT"), "a grandchild hangs under its parent's branch: " + lines.get(root + 2));
        assertTrue(lines.get(root + 3).endsWith("`- pid 3 DELETE accounts"), lines.get(root + 3));
        assertTrue(column(lines.get(root + 2), "pid 4") > column(lines.get(root + 1), "pid 2"), "deeper is further right");
        assertEquals(column(lines.get(root + 1), "pid 2"), column(lines.get(root + 3), "pid 3"), "siblings align");
    }

    @Test
    void aTreeNodeWithoutALabelShowsItsScalarFields() {
        Map<String, Object> head = new LinkedHashMap<>();
        head.put("pid", 7);
        head.put("state", "idle in transaction");
        head.put("blocked", List.of(Map.of("pid", 8)));
        Finding finding = Finding.of("X", Severity.CRITICAL, "t").evidence("tree", List.of(head)).build();
        String text = render(Style.PLAIN, check("blocking", Severity.CRITICAL, finding));
        assertTrue(text.contains("pid=7 state=idle in transaction\n"), text);
        assertTrue(text.contains("`- pid=8\n"), text);
    }

    @Test
    void aListOfRowsIsATableWithHeadersAndAlignedColumns() {
        Finding finding = Finding.of("PG_LOCK_WAITS", Severity.WARNING, "2 lock requests wait")
                .evidence("waits", List.of(
                        Map.of("pid", 101, "relation", "accounts"),
                        Map.of("pid", 20202, "relation", "orders_with_a_long_name")))
                .build();
        List<String> lines = render(Style.PLAIN, check("lock-waits", Severity.WARNING, finding)).lines().toList();
        int header = indexOf(lines, "waits:") + 1;
        String head = lines.get(header);
        assertTrue(head.contains("pid") && head.contains("relation"), head);
        int relation = head.indexOf("relation");
        assertEquals(relation, lines.get(header + 1).indexOf("accounts"), "columns line up:\n" + String.join("\n", lines));
        assertEquals(relation, lines.get(header + 2).indexOf("orders_with_a_long_name"));
        assertEquals(head.indexOf(head.strip().substring(0, 1)), lines.get(header + 1).indexOf(lines.get(header + 1).strip()),
                "rows start where the header starts");
    }

    @Test
    void scalarsNestedMapsRecommendationPlaybookAndMetricsAreShown() {
        Finding finding = Finding.of("PG_IDLE_IN_TRANSACTION", Severity.WARNING, "1 session idle in transaction")
                .detail("first line\nsecond line")
                .evidence("pid", 4242)
                .evidence("client", Map.of("address", "10.0.0.7"))
                .recommendation("SELECT pg_terminate_backend(4242);")
                .playbook("docs/playbooks/pg-idle-in-transaction.md")
                .build();
        CheckReport check = new CheckReport("idle", "locks", Severity.WARNING, 5, null, Map.of("idle_sessions", 1), List.of(finding));
        String text = render(Style.PLAIN, check);
        assertTrue(text.contains("  WARNING PG_IDLE_IN_TRANSACTION: 1 session idle in transaction\n"), text);
        assertTrue(text.contains("    first line\n    second line\n"), text);
        assertTrue(text.contains("    pid: 4242\n"), text);
        assertTrue(text.contains("    client:\n      address: 10.0.0.7\n"), text);
        assertTrue(text.contains("    Do: SELECT pg_terminate_backend(4242);\n"), text);
        assertTrue(text.contains("    Playbook: docs/playbooks/pg-idle-in-transaction.md\n"), text);
        assertTrue(text.contains("    metrics: idle_sessions=1\n"), text);
    }

    @Test
    void noChecksSaysWhyTheStatusIsUnknown() {
        String text = render(Style.PLAIN);
        assertTrue(text.contains("UNKNOWN  0 checks"), text);
        assertTrue(text.contains("No checks ran: the postgresql plugin has no checks for this selection yet, so the status is UNKNOWN."), text);
    }

    @Test
    void plainStyleHasNoEscapesAndColourStyleHasOnePerSeverity() {
        CheckReport[] checks = {check("a", Severity.CRITICAL), check("b", Severity.WARNING),
            CheckReport.unknown("c", "locks", 0, "why"), check("d", Severity.OK)};
        String plain = render(Style.PLAIN, checks);
        assertFalse(plain.contains("\u001b"), plain);
        String coloured = render(new Style(true, false), checks);
        for (String code : List.of("\u001b[1;31m", "\u001b[1;33m", "\u001b[1;35m", "\u001b[32m", "\u001b[0m")) {
            assertTrue(coloured.contains(code), "missing " + code.substring(1));
        }
        assertEquals(plain, coloured.replaceAll("\u001b\\[[0-9;]*m", ""), "colour changes nothing but the colour");
        assertTrue(coloured.lines().toList().get(1).startsWith("\u001b[1;31mCRITICAL\u001b[0m  4 checks"),
                "the status line starts with a whole escape: " + coloured.lines().toList().get(1));
    }

    @Test
    void unicodeStyleDrawsTreeLinesWithBoxCharacters() {
        Finding finding = Finding.of("X", Severity.CRITICAL, "t")
                .evidence("tree", List.of(node("head", node("first"), node("second")))).build();
        String text = render(new Style(false, true), check("blocking", Severity.CRITICAL, finding));
        assertTrue(text.contains("├─ first") && text.contains("└─ second"), text);
    }

    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        throw new AssertionError("no line with " + text + " in\n" + String.join("\n", lines));
    }

    private static int indent(String line) {
        return line.length() - line.stripLeading().length();
    }

    private static int column(String line, String text) {
        return line.indexOf(text);
    }

    @Test
    void textFromServersIsEscapedWhileDbtoolsOwnColoursStay() {
        String hostile = "\u001b[2J\u001b[32mall OK\u001b[0m\r\u009b1A";
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("pid", 4242);
        row.put("query", "SELECT 1 /* " + hostile + " */");
        Finding finding = Finding.of("PG_LONG_QUERY", Severity.WARNING, "Query by " + hostile)
                .detail("first line\nsecond " + hostile).evidence("queries", List.of(row)).evidence("application", hostile)
                .evidence(hostile, "key").evidence("blockingTree", List.of(node("pid 1 " + hostile))).recommendation("Do " + hostile)
                .build();
        Report report = Report.of("1.2.3", new TargetInfo("orders" + hostile, "postgresql", "db1", 5432, "db" + hostile),
                Instant.parse("2026-11-22T10:00:00Z"), 42, List.of(
                        new CheckReport("long-queries", "queries", Severity.WARNING, 5, null, Map.of("m" + hostile, hostile), List.of(finding)),
                        CheckReport.unknown("locks", "locks", 1, "server said " + hostile)));
        String text = new TextReportRenderer(new Style(true, true)).render(report);

        String withoutOwnColours = text;
        for (String own : List.of("\u001b[0m", "\u001b[1m", "\u001b[2m", "\u001b[1;31m", "\u001b[1;35m", "\u001b[1;33m", "\u001b[36m", "\u001b[32m")) {
            withoutOwnColours = withoutOwnColours.replace(own, "");
        }
        // The injected "ESC[32m" is one of dbtool's own codes: it must not survive as one.
        assertEquals(0, text.split("\u001b\\[32mall OK", -1).length - 1, text);
        assertTrue(withoutOwnColours.chars().noneMatch(c -> c < 0x20 && c != '\n' || c >= 0x7f && c <= 0x9f), withoutOwnColours);
        assertTrue(text.contains("\\e[2J\\e[32mall OK\\e[0m\\r\\u009b1A"), "shown, not obeyed:\n" + text);
        assertTrue(text.contains("\u001b[1;33mWARNING"), "dbtool's own colours still work:\n" + text);
        assertTrue(text.contains("\n    second \\e[2J"), "a detail keeps its lines, indented:\n" + text);
    }
}
