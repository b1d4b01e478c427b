package dbtool.serve.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PayloadParserTest {

    static String resource(String name) {
        try (InputStream in = PayloadParserTest.class.getResourceAsStream("/payloads/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void alertmanagerPayloadIsReadWithEveryFieldTheWebhookDocuments() {
        AlertPayload payload = PayloadParser.parse(resource("alertmanager-v4.json"));
        assertEquals(AlertPayload.Sender.ALERTMANAGER, payload.sender());
        assertEquals("dbtool", payload.receiver());
        assertEquals(Map.of("alertname", "PostgresqlDeadLocks"), payload.groupLabels());
        assertEquals("warning", payload.commonLabels().get("severity"));
        assertEquals(0, payload.truncatedAlerts());
        assertNull(payload.orgId());
        assertEquals(2, payload.alerts().size());
        Alert firing = payload.alerts().getFirst();
        assertTrue(firing.firing());
        assertEquals("PostgresqlDeadLocks", firing.name());
        assertEquals("0b5d3f2a1c4e6789", firing.fingerprint());
        assertEquals(Instant.parse("2026-12-07T09:12:30.123456789Z"), firing.startsAt());
        assertNull(firing.endsAt(), "year 1 is Alertmanager's 'not ended'");
        assertTrue(firing.generatorUrl().startsWith("http://prometheus.example:9090/graph"));
        Alert resolved = payload.alerts().get(1);
        assertFalse(resolved.firing());
        assertEquals(Instant.parse("2026-12-07T08:00:00Z"), resolved.endsAt(), "an offset is honoured");
    }

    @Test
    void grafanaPayloadKeepsOrgIdAndValuesAndIgnoresItsExtraFields() {
        AlertPayload payload = PayloadParser.parse(resource("grafana-v1.json"));
        assertEquals(AlertPayload.Sender.GRAFANA, payload.sender());
        assertEquals(1L, payload.orgId());
        Alert alert = payload.alerts().getFirst();
        assertEquals(Map.of("B", 45.2, "C", 1.0), alert.values());
        assertEquals("db2.example:5432", alert.labels().get("server"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "unknown version | {\"version\":\"5\",\"status\":\"firing\",\"alerts\":[]} | version: expected \"4\" (Alertmanager) or \"1\" (Grafana), got \"5\"",
            "version a number | {\"version\":4,\"status\":\"firing\",\"alerts\":[]} | version: expected a string, got a number",
            "no version | {\"status\":\"firing\",\"alerts\":[]} | version: missing",
            "no alerts | {\"version\":\"4\",\"status\":\"firing\"} | alerts: missing",
            "alerts an object | {\"version\":\"4\",\"status\":\"firing\",\"alerts\":{}} | alerts: expected an array, got an object",
            "bad status | {\"version\":\"4\",\"status\":\"on fire\",\"alerts\":[]} | status: expected \"firing\" or \"resolved\", got \"on fire\"",
            "label not a string | {\"version\":\"4\",\"status\":\"firing\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\"X\",\"port\":5432}}]} | alerts[0].labels.port: expected a string, got a number",
            "no alertname | {\"version\":\"4\",\"status\":\"firing\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"job\":\"pg\"}}]} | alerts[0].labels.alertname: missing; every alert needs its name",
            "bad time | {\"version\":\"4\",\"status\":\"firing\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\"X\"},\"startsAt\":\"yesterday\"}]} | alerts[0].startsAt: expected an RFC 3339 time such as 2026-12-07T09:00:00Z, got \"yesterday\"",
            "negative truncated | {\"version\":\"4\",\"status\":\"firing\",\"alerts\":[],\"truncatedAlerts\":-1} | truncatedAlerts: expected a whole number of 0 or more, got -1",
            "grafana value text | {\"version\":\"1\",\"status\":\"firing\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\"X\"},\"values\":{\"B\":\"high\"}}]} | alerts[0].values.B: expected a number, got a string",
            "not an object | [1,2] | expected a JSON object (an Alertmanager or Grafana webhook payload), got an array",
    })
    void mistakesAreOneLineNamingTheField(String what, String json, String message) {
        PayloadException e = assertThrows(PayloadException.class, () -> PayloadParser.parse(json));
        assertEquals(message, e.getMessage());
    }

    @Test
    void malformedJsonSaysWhereWithoutGsonsTroubleshootingLink() {
        PayloadException e = assertThrows(PayloadException.class, () -> PayloadParser.parse("{\"version\": \"4\",\n \"alerts\": [}"));
        assertEquals("invalid JSON at line 2 column 13", e.getMessage());
        // Strict: the lenient forms Gson would accept are refused (comments, single quotes, trailing content).
        assertThrows(PayloadException.class, () -> PayloadParser.parse("{'version': '4', 'status': 'firing', 'alerts': []}"));
        assertThrows(PayloadException.class, () -> PayloadParser.parse("{\"version\":\"4\",\"status\":\"firing\",\"alerts\":[]} {}"));
    }

    @Test
    void controlCharactersFromTheSenderAreEscapedInMessages() {
        PayloadException e = assertThrows(PayloadException.class,
                () -> PayloadParser.parse("{\"version\":\"\\u001b[2J4\",\"status\":\"firing\",\"alerts\":[]}"));
        assertFalse(e.getMessage().contains("\u001b"), e.getMessage());
        assertTrue(e.getMessage().contains("\\e[2J4"), e.getMessage());
    }
}
