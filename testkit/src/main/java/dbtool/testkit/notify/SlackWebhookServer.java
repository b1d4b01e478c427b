package dbtool.testkit.notify;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * A Slack incoming webhook as Slack documents it: {@code POST /services/T.../B.../SECRET} with a JSON
 * body that has {@code text} or {@code blocks}; at most 50 blocks, a header's plain text at most 150
 * characters, a section's text at most 3,000, {@code text} at most 40,000. Answers {@code ok} (200), or
 * 400 {@code invalid_payload} / {@code invalid_blocks}, 404 {@code no_service} for another path (a
 * revoked or mistyped URL), 429 with {@code Retry-After} when told to.
 */
public final class SlackWebhookServer extends ServiceDouble {

    private static final Set<String> BLOCK_TYPES = Set.of("header", "section", "context", "divider", "actions", "image", "rich_text");
    private final String secretPath;

    /** @param secretPath the path whose last part is the webhook's secret, e.g. {@code /services/T0/B0/abc123} */
    public SlackWebhookServer(String secretPath) throws IOException {
        this.secretPath = secretPath;
    }

    /** The webhook URL: what a user keeps in a secret store. */
    public String webhookUrl() {
        return base() + secretPath;
    }

    @Override
    protected String rateLimitBody() {
        return "rate_limited";
    }

    @Override
    protected Answer handle(String method, String path, Map<String, String> headers, String body) {
        if (!path.equals(secretPath)) {
            return Answer.text(404, "no_service");
        }
        if (!method.equals("POST") || !String.valueOf(headers.get("content-type")).startsWith("application/json")) {
            return Answer.text(400, "invalid_payload");
        }
        JsonElement parsed = parse(body);
        if (parsed == null || !parsed.isJsonObject()) {
            return Answer.text(400, "invalid_payload");
        }
        JsonObject message = parsed.getAsJsonObject();
        if (!message.has("text") && !message.has("blocks")) {
            return Answer.text(400, "no_text");
        }
        if (message.has("text") && message.get("text").getAsString().length() > 40_000) {
            return Answer.text(400, "msg_too_long");
        }
        if (message.has("blocks")) {
            JsonArray blocks = message.getAsJsonArray("blocks");
            if (blocks.size() > 50) {
                return Answer.text(400, "invalid_blocks");
            }
            for (JsonElement element : blocks) {
                JsonObject block = element.getAsJsonObject();
                String type = block.has("type") ? block.get("type").getAsString() : "";
                if (!BLOCK_TYPES.contains(type)) {
                    return Answer.text(400, "invalid_blocks");
                }
                if (type.equals("header") && (!block.getAsJsonObject("text").get("type").getAsString().equals("plain_text")
                        || block.getAsJsonObject("text").get("text").getAsString().length() > 150)) {
                    return Answer.text(400, "invalid_blocks");
                }
                if (type.equals("section") && (!block.has("text") || block.getAsJsonObject("text").get("text").getAsString().length() > 3_000)) {
                    return Answer.text(400, "invalid_blocks");
                }
            }
        }
        return Answer.text(200, "ok");
    }
}
