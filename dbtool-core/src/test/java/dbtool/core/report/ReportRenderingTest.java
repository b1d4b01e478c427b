package dbtool.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportRenderingTest {

    static Report sample() {
        Map<String, Object> leaf = new LinkedHashMap<>(Map.of("pid", 3, "label", "pid 3 waiting", "blocked", List.of()));
        Map<String, Object> middle = new LinkedHashMap<>(Map.of("pid", 2, "label", "pid 2 waiting", "blocked", List.of(leaf)));
        Map<String, Object> head = new LinkedHashMap<>(Map.of("pid", 1, "label", "pid 1 idle in transaction", "blocked", List.of(middle)));
        Finding chain = Finding.of("PG_BLOCKING_CHAIN", Severity.CRITICAL, "2 sessions blocked behind pid 1")
                .evidence("headBlockers", List.of(1)).evidence("blockingTree", List.of(head))
                .recommendation("SELECT pg_terminate_backend(1);").playbook("docs/playbooks/pg-blocking-chain.md").build();
        Finding table = Finding.of("PG_LOCK_WAITS", Severity.WARNING, "2 lock requests wait")
                .evidence("waits", List.of(Map.of("object", "accounts", "mode", "RowExclusiveLock"))).build();
        return Report.of("1.2.3", new TargetInfo("orders", "postgresql", "db1", 5432, "orders"), Instant.parse("2026-11-22T10:00:00Z"), 42,
                List.of(new CheckReport("cache-hit", "resources", Severity.OK, 3, null, Map.of("hit_ratio", 0.99), List.of()),
                        new CheckReport("lock-waits", "locks", Severity.WARNING, 4, null, Map.of(), List.of(table)),
                        new CheckReport("blocking", "locks", Severity.CRITICAL, 5, null, Map.of("blocked_sessions", 2), List.of(chain)),
                        CheckReport.unknown("replication", "resources", 0, "permission denied")));
    }

    @Test
    void jsonFollowsTheContract() {
        JsonObject json = JsonParser.parseString(JsonReportWriter.toJson(sample())).getAsJsonObject();
        assertEquals(List.of("schemaVersion", "tool", "target", "status", "startedAt", "durationMs", "checks"), List.copyOf(json.keySet()));
        assertEquals(1, json.get("schemaVersion").getAsInt());
        assertEquals("dbtool", json.getAsJsonObject("tool").get("name").getAsString());
        assertEquals(List.of("name", "engine", "host", "port", "database"), List.copyOf(json.getAsJsonObject("target").keySet()));
        assertEquals("CRITICAL", json.get("status").getAsString());
        assertEquals("2026-11-22T10:00:00Z", json.get("startedAt").getAsString());
        JsonObject check = json.getAsJsonArray("checks").get(0).getAsJsonObject();
        assertEquals(List.of("id", "category", "status", "durationMs", "error", "metrics", "findings"), List.copyOf(check.keySet()));
        assertTrue(check.get("error").isJsonNull(), "error is present and null");
        JsonObject finding = json.getAsJsonArray("checks").get(2).getAsJsonObject().getAsJsonArray("findings").get(0).getAsJsonObject();
        assertEquals(List.of("code", "severity", "title", "detail", "evidence", "recommendation", "playbook"), List.copyOf(finding.keySet()));
        assertEquals(1, finding.getAsJsonObject("evidence").getAsJsonArray("headBlockers").get(0).getAsInt());
        assertEquals("permission denied", json.getAsJsonArray("checks").get(3).getAsJsonObject().get("error").getAsString());
    }

    @Test
    void textPutsTheWorstFirstDrawsTreesAndTables() {
        String text = new TextReportRenderer(Style.PLAIN).render(sample());
        assertTrue(text.indexOf("CRITICAL  blocking") < text.indexOf("UNKNOWN   replication"), text);
        assertTrue(text.indexOf("UNKNOWN   replication") < text.indexOf("WARNING   lock-waits"), text);
        assertTrue(text.indexOf("WARNING   lock-waits") < text.indexOf("OK        cache-hit"), text);
        List<String> lines = text.lines().toList();
        int head = indexOf(lines, "pid 1 idle in transaction");
        assertTrue(lines.get(head + 1).contains("`- pid 2 waiting"), text);
        assertTrue(lines.get(head + 2).contains("   `- pid 3 waiting"), "deeper waiters are indented further:\n" + text);
        int table = indexOf(lines, "waits:");
        assertTrue(lines.get(table + 1).contains("object") && lines.get(table + 1).contains("mode"), text);
        assertTrue(lines.get(table + 2).contains("accounts") && lines.get(table + 2).contains("RowExclusiveLock"), text);
        assertTrue(text.contains("Do: SELECT pg_terminate_backend(1);"));
        assertFalse(text.contains("\u001b["), "no ANSI escapes in plain style");
    }

    @Test
    void colourOnlyWhenAsked() {
        assertTrue(new TextReportRenderer(new Style(true, true)).render(sample()).contains("\u001b[1;31m"));
        assertTrue(new TextReportRenderer(new Style(true, true)).render(sample()).contains("└─ pid 2"));
    }

    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        throw new AssertionError("no line with " + text);
    }
}
