package dbtool.triage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dbtool.core.Environment;
import dbtool.core.config.Config;
import dbtool.serve.store.StateStore;
import dbtool.testkit.notify.ServiceDouble;
import dbtool.triage.send.HttpSender;
import dbtool.triage.send.WebhookReceiver;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generic webhook: the incident and the report contract, signed so that the receiver can trust the body. */
class WebhookReceiverTest {

    static final String KEY = "webhook-hmac-key-77aa";

    /** A receiver that checks the signature as a user's endpoint would, and answers 401 when it does not match. */
    static final class VerifyingEndpoint extends ServiceDouble {
        VerifyingEndpoint() throws IOException {
        }

        @Override
        protected Answer handle(String method, String path, Map<String, String> headers, String body) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
                return expected.equals(headers.get("x-dbtool-signature-256")) ? Answer.json(200, "{}") : Answer.json(401, "{\"error\": \"bad signature\"}");
            } catch (Exception e) {
                return Answer.json(500, "{}");
            }
        }
    }

    @TempDir
    Path home;

    @Test
    void theBodyIsTheIncidentAndTheReportSignedWithHmacSha256() throws Exception {
        try (VerifyingEndpoint endpoint = new VerifyingEndpoint(); StateStore store = Stores.embedded(home, new Stores.TestClock())) {
            Config config = Fixtures.config("""
                    {"targets": {"orders": {"url": "postgresql://db1/orders", "tags": ["staging"]}},
                     "triage": {"receivers": {"hook": {"type": "webhook", "url": "%s/dbtool", "hmacKey": {"env": "HOOK_KEY"}}},
                                "routes": {"receiver": "hook"}}}""".formatted(endpoint.base()));
            Triage triage = new Triage(TriageConfig.of(config).orElseThrow(), config, new IncidentBook(store),
                    new Environment(Map.of("HOOK_KEY", KEY), home, "Linux", null),
                    new HttpSender(HttpClient.newHttpClient(), 2, Duration.ofMillis(10), Duration.ofSeconds(1)), new Stores.TestClock());
            List<String> lines = triage.observe("orders", Fixtures.incident("orders", 3), null);
            assertTrue(lines.contains("  webhook hook: posted, signed"), lines.toString());
            ServiceDouble.Recorded request = endpoint.accepted().getFirst();
            JsonObject body = request.json().getAsJsonObject();
            assertEquals("orders|PG_IDLE_IN_TRANSACTION", body.get("key").getAsString());
            assertEquals("P3", body.get("priority").getAsString(), "CRITICAL on a staging target");
            assertEquals("trigger", request.header("X-Dbtool-Event"));
            assertTrue(body.getAsJsonObject("report").toString().contains("\"headBlockers\":[4242]"), body.toString());
            assertEquals(WebhookReceiver.SIGNATURE_HEADER.toLowerCase(java.util.Locale.ROOT), "x-dbtool-signature-256");
            TriageFlowTest.assertNoSecret(lines);
            assertTrue(String.join("\n", lines).indexOf(KEY) < 0);
        }
    }
}
