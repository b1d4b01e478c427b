package dbtool.serve.http;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A request as a handler sees it: its body already read whole (and within the server's cap), so a
 * handler never waits on a slow client.
 *
 * @param headers header names in lower case
 */
public record Request(String method, String path, String query, Map<String, List<String>> headers,
                      Map<String, String> pathParameters, byte[] body, InetSocketAddress remote) {

    public Request {
        headers = Map.copyOf(headers);
        pathParameters = Map.copyOf(pathParameters);
    }

    public String pathParameter(String name) {
        String value = pathParameters.get(name);
        if (value == null) {
            throw new IllegalArgumentException("no path parameter " + name);
        }
        return value;
    }

    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * The body as JSON (strict: no comments or trailing garbage), or a 400 with a one-line reason
     * that says where it broke, never the body itself (it may hold anything).
     */
    public JsonElement json() {
        if (body.length == 0) {
            throw HttpFailure.badRequest("empty body: expected a JSON document");
        }
        try {
            JsonReader reader = new JsonReader(new StringReader(bodyText()));
            reader.setStrictness(Strictness.STRICT);
            JsonElement element = JsonParser.parseReader(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw HttpFailure.badRequest("malformed JSON: more after the document");
            }
            return element;
        } catch (JsonParseException | IOException | IllegalStateException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            // Gson appends a link to its troubleshooting page: the position is what a sender needs.
            int see = reason.indexOf("\nSee ");
            reason = (see >= 0 ? reason.substring(0, see) : reason).replaceAll("^[\\w.]+Exception: ", "");
            throw HttpFailure.badRequest("malformed JSON: " + reason.replaceAll("\\s+", " ").strip());
        }
    }
}
