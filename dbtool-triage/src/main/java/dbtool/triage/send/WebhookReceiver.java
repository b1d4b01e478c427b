package dbtool.triage.send;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dbtool.core.report.JsonReportWriter;
import dbtool.spi.Finding;
import dbtool.triage.Notice;
import dbtool.triage.SecretRef;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Anything else: the incident and the report (the JSON contract) posted as JSON, signed with HMAC-SHA256
 * over the body, {@code X-Dbtool-Signature-256: sha256=HEX}, as GitHub signs its webhooks.
 *
 * @param url     a plain URL, or null when {@code urlRef} names a secret one
 */
public record WebhookReceiver(String name, String url, SecretRef urlRef, SecretRef hmacKey) implements Receiver {

    public static final String SIGNATURE_HEADER = "X-Dbtool-Signature-256";
    private static final Gson GSON = new Gson();

    @Override
    public String type() {
        return "webhook";
    }

    @Override
    public String deliver(Notice notice, Delivery delivery) throws DeliveryException {
        List<String> secrets = new ArrayList<>();
        String target = url;
        if (urlRef != null) {
            target = SlackReceiver.resolve(urlRef, delivery);
            secrets.add(target);
        }
        String key = SlackReceiver.resolve(hmacKey, delivery);
        secrets.add(key);
        String body = body(notice);
        HttpRequest request = HttpRequest.newBuilder(URI.create(target)).timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .header(SIGNATURE_HEADER, "sha256=" + sign(key, body)).header("X-Dbtool-Event", notice.resolved() ? "resolve" : "trigger")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        delivery.http().send(request, secrets);
        return "posted, signed";
    }

    static String body(Notice notice) {
        JsonObject body = new JsonObject();
        body.addProperty("schemaVersion", 1);
        body.addProperty("kind", "incident");
        body.addProperty("event", notice.resolved() ? "resolve" : notice.action().name().toLowerCase(Locale.ROOT));
        body.addProperty("key", notice.key());
        body.addProperty("target", notice.target());
        body.addProperty("priority", notice.priority().name());
        body.addProperty("pagerDutySeverity", notice.priority().pagerDuty());
        body.addProperty("rootCause", notice.rootCode());
        if (notice.classification() != null) {
            body.add("reasons", JsonParser.parseString(GSON.toJson(notice.classification().reasons())));
        }
        if (notice.cause() != null) {
            body.add("consequences", JsonParser.parseString(GSON.toJson(
                    notice.cause().consequences().stream().map(Finding::code).toList())));
        }
        if (notice.row() != null) {
            body.addProperty("firstSeen", notice.row().firstSeen().toString());
            body.addProperty("lastSeen", notice.row().lastSeen().toString());
            body.addProperty("occurrences", notice.row().occurrences());
        }
        if (notice.report() != null) {
            body.add("report", JsonParser.parseString(JsonReportWriter.toJson(notice.report())));
        }
        return body.toString();
    }

    /** HMAC-SHA256 of the body with the key, in hex: what a receiver recomputes to trust the body. */
    public static String sign(String key, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
