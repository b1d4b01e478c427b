package dbtool.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The values and types of the report contract (DESIGN.md section 8), as a script reading the JSON sees them. */
class JsonReportWriterTest {

    static final Instant STARTED = Instant.parse("2026-11-22T10:15:30.123456789Z");

    private static JsonObject json(Report report) {
        return JsonParser.parseString(JsonReportWriter.toJson(report)).getAsJsonObject();
    }

    private static Report report(TargetInfo target, CheckReport... checks) {
        return Report.of("1.2.3", target, STARTED, 412, List.of(checks));
    }

    static final TargetInfo ORDERS = new TargetInfo("orders", "postgresql", "db1", 5432, "orders");

    @Test
    void topLevelFieldsHaveTheirContractValuesAndTypes() {
        JsonObject json = json(report(ORDERS, new CheckReport("blocking", "locks", Severity.OK, 35, null, Map.of(), List.of())));
        assertEquals(1, json.get("schemaVersion").getAsInt());
        assertEquals("dbtool", json.getAsJsonObject("tool").get("name").getAsString());
        assertEquals("1.2.3", json.getAsJsonObject("tool").get("version").getAsString());
        JsonObject target = json.getAsJsonObject("target");
        assertEquals("orders", target.get("name").getAsString());
        assertEquals("postgresql", target.get("engine").getAsString());
        assertEquals("db1", target.get("host").getAsString());
        assertEquals(5432, target.get("port").getAsInt());
        assertEquals("orders", target.get("database").getAsString());
        assertEquals("OK", json.get("status").getAsString());
        assertEquals("2026-11-22T10:15:30.123Z", json.get("startedAt").getAsString(), "ISO-8601 UTC, milliseconds");
        assertEquals(STARTED.toEpochMilli(), Instant.parse(json.get("startedAt").getAsString()).toEpochMilli());
        assertTrue(json.get("durationMs").getAsJsonPrimitive().isNumber());
        assertEquals(412, json.get("durationMs").getAsLong());
    }

    @Test
    void anUnknownPortIsNullNotAbsent() {
        JsonObject target = json(report(new TargetInfo("a", "mongodb", "h1:1,h2:2", null, ""))).getAsJsonObject("target");
        assertTrue(target.has("port") && target.get("port").isJsonNull(), target.toString());
        assertEquals("", target.get("database").getAsString());
    }

    @Test
    void checksCarryTheirFieldsAndAFailedCheckItsError() {
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("blocked_sessions", 3);
        metrics.put("hit_ratio", 0.5);
        metrics.put("not_a_number", Double.NaN);
        JsonObject json = json(report(ORDERS,
                new CheckReport("blocking", "locks", Severity.OK, 35, null, metrics, List.of()),
                CheckReport.unknown("replication", "resources", 7, "permission denied for function pg_last_wal_receive_lsn")));
        JsonArray checks = json.getAsJsonArray("checks");
        JsonObject blocking = checks.get(0).getAsJsonObject();
        assertEquals("blocking", blocking.get("id").getAsString());
        assertEquals("locks", blocking.get("category").getAsString());
        assertEquals("OK", blocking.get("status").getAsString());
        assertEquals(35, blocking.get("durationMs").getAsLong());
        assertTrue(blocking.has("error") && blocking.get("error").isJsonNull(), "error is present and null");
        assertEquals(3, blocking.getAsJsonObject("metrics").get("blocked_sessions").getAsInt());
        assertEquals(0.5, blocking.getAsJsonObject("metrics").get("hit_ratio").getAsDouble());
        assertTrue(blocking.getAsJsonObject("metrics").get("not_a_number").isJsonNull(), "NaN is not valid JSON: null");
        assertEquals(0, blocking.getAsJsonArray("findings").size());
        JsonObject replication = checks.get(1).getAsJsonObject();
        assertEquals("UNKNOWN", replication.get("status").getAsString());
        assertEquals("permission denied for function pg_last_wal_receive_lsn", replication.get("error").getAsString());
        assertEquals("UNKNOWN", json.get("status").getAsString());
    }

    @Test
    void findingsCarryEveryFieldWithEvidenceAsNestedJson() {
        Map<String, Object> head = new LinkedHashMap<>();
        head.put("pid", 4242);
        head.put("query", null);
        head.put("blocked", List.of(Map.of("pid", 4243)));
        Finding chain = Finding.of("PG_BLOCKING_CHAIN", Severity.CRITICAL, "1 session blocked behind pid 4242")
                .detail("pid 4242 has been idle in transaction for 10 min")
                .evidence("headBlockers", List.of(4242))
                .evidence("blockingTree", List.of(head))
                .evidence("pids", new int[] {4242, 4243})
                .evidence("since", Instant.parse("2026-11-22T10:00:00Z"))
                .evidence("mode", Severity.WARNING)
                .recommendation("SELECT pg_terminate_backend(4242);")
                .playbook("docs/playbooks/pg-blocking-chain.md")
                .build();
        Finding note = Finding.of("PG_NOTE", Severity.INFO, "just so you know").build();
        JsonObject check = json(report(ORDERS, new CheckReport("blocking", "locks", Severity.CRITICAL, 35, null,
                Map.of(), List.of(note, chain)))).getAsJsonArray("checks").get(0).getAsJsonObject();
        JsonArray findings = check.getAsJsonArray("findings");
        JsonObject first = findings.get(0).getAsJsonObject();
        assertEquals("PG_BLOCKING_CHAIN", first.get("code").getAsString(), "worst finding first");
        assertEquals("CRITICAL", first.get("severity").getAsString());
        assertEquals("1 session blocked behind pid 4242", first.get("title").getAsString());
        assertEquals("pid 4242 has been idle in transaction for 10 min", first.get("detail").getAsString());
        assertEquals("SELECT pg_terminate_backend(4242);", first.get("recommendation").getAsString());
        assertEquals("docs/playbooks/pg-blocking-chain.md", first.get("playbook").getAsString());
        JsonObject evidence = first.getAsJsonObject("evidence");
        assertEquals(4242, evidence.getAsJsonArray("headBlockers").get(0).getAsInt());
        JsonObject root = evidence.getAsJsonArray("blockingTree").get(0).getAsJsonObject();
        assertTrue(root.get("query").isJsonNull());
        assertEquals(4243, root.getAsJsonArray("blocked").get(0).getAsJsonObject().get("pid").getAsInt());
        assertEquals(List.of(4242, 4243), ints(evidence.getAsJsonArray("pids")));
        assertEquals("2026-11-22T10:00:00Z", evidence.get("since").getAsString());
        assertEquals("WARNING", evidence.get("mode").getAsString());
        JsonObject second = findings.get(1).getAsJsonObject();
        assertEquals("", second.get("detail").getAsString(), "empty strings, not nulls");
        assertEquals("", second.get("recommendation").getAsString());
        assertEquals("", second.get("playbook").getAsString());
        assertEquals(0, second.getAsJsonObject("evidence").size());
    }

    @Test
    void noChecksMeansUnknownAndAnEmptyList() {
        JsonObject json = json(report(ORDERS));
        assertEquals("UNKNOWN", json.get("status").getAsString());
        assertEquals(0, json.getAsJsonArray("checks").size());
        assertTrue(JsonReportWriter.toJson(report(ORDERS)).endsWith(System.lineSeparator()), "ends with a newline");
    }

    private static List<Integer> ints(JsonArray array) {
        return Arrays.stream(array.asList().toArray(JsonElement[]::new)).map(JsonElement::getAsInt).toList();
    }
}
