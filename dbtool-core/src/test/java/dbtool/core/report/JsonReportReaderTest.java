package dbtool.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A report kept as JSON (serve's state store) comes back as the report it was. */
class JsonReportReaderTest {

    @Test
    void aReportReadBackIsWrittenAgainByteForByte() {
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("blocked_sessions", 3);
        metrics.put("ratio", 0.25);
        metrics.put("in_recovery", false);
        metrics.put("version", "17.2");
        metrics.put("waits", List.of(Map.of("event", "Lock"), 2));
        metrics.put("missing", null);
        Finding chain = Finding.of("PG_BLOCKING_CHAIN", Severity.CRITICAL, "3 sessions blocked behind pid 4242")
                .detail("since 10:00").evidence("pids", List.of(1, 2, 3)).recommendation("SELECT pg_cancel_backend(4242);")
                .playbook("docs/playbooks/locks.md").build();
        Report report = Report.of("1.2.3", new TargetInfo("orders", "postgresql", "127.0.0.1", null, "shop"),
                Instant.parse("2026-12-07T10:00:00.123Z"), 412,
                List.of(new CheckReport("blocking", "locks", Severity.CRITICAL, 35, null, metrics, List.of(chain)),
                        CheckReport.unknown("replication", "replication", 2, "permission denied for pg_stat_replication")));

        String json = JsonReportWriter.toJson(report);
        Report read = JsonReportReader.fromJson(json);

        assertEquals(json, JsonReportWriter.toJson(read));
        assertEquals(Severity.CRITICAL, read.status());
        assertEquals(3L, read.checks().get(0).metrics().get("blocked_sessions"), "counts come back whole, as checks report them");
    }

    @Test
    void textThatIsNotAReportOfThisVersionIsRefused() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> JsonReportReader.fromJson("{\"schemaVersion\": 2}"))
                .getMessage().contains("schema version 2"));
        assertThrows(IllegalArgumentException.class, () -> JsonReportReader.fromJson("{\"schemaVersion\": 1}"));
        assertThrows(IllegalArgumentException.class, () -> JsonReportReader.fromJson("not json"));
    }
}
