package dbtool.serve.http;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;

/** What a handler answers: status, content type and the whole body. */
public record Response(int status, String contentType, byte[] body) {

    public static final String JSON = "application/json; charset=utf-8";
    public static final String TEXT = "text/plain; charset=utf-8";

    public static Response json(int status, String json) {
        return new Response(status, JSON, (json.endsWith("\n") ? json : json + "\n").getBytes(StandardCharsets.UTF_8));
    }

    public static Response json(int status, JsonElement json) {
        return json(status, json.toString());
    }

    public static Response text(int status, String text) {
        return new Response(status, TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code {"error": "..."}}: how every failure is answered, one line. */
    public static Response error(int status, String reason) {
        JsonObject body = new JsonObject();
        body.addProperty("error", reason);
        return json(status, body);
    }
}
