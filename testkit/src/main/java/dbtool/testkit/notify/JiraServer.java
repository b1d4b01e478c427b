package dbtool.testkit.notify;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Jira Cloud's REST API v3, the parts dbtool uses, as documented: {@code POST /rest/api/3/issue} with
 * {@code fields.project.key}, {@code fields.summary} (at most 255 characters), {@code fields.issuetype}
 * and a {@code description} in Atlassian Document Format (an object {@code type: doc, version: 1} with
 * {@code content}; a plain string is refused as v3 refuses it) answers 201 with {@code id}, {@code key},
 * {@code self}; {@code POST /rest/api/3/issue/{key}/comment} with an ADF {@code body} 201. Basic
 * authentication with email and API token (401 otherwise); 400 with {@code errors} by field.
 */
public final class JiraServer extends ServiceDouble {

    private static final Pattern COMMENT = Pattern.compile("/rest/api/3/issue/([A-Z][A-Z0-9]*-\\d+)/comment");
    private final String project;
    private final String authorization;
    private final Map<String, Integer> comments = new LinkedHashMap<>();

    public JiraServer(String project, String user, String apiToken) throws IOException {
        this.project = project;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + apiToken).getBytes(StandardCharsets.UTF_8));
    }

    /** Issue key to number of comments. */
    public synchronized Map<String, Integer> issues() {
        return Map.copyOf(comments);
    }

    @Override
    protected synchronized Answer handle(String method, String path, Map<String, String> headers, String body) {
        if (!authorization.equals(headers.get("authorization"))) {
            return Answer.json(401, "{\"errorMessages\": [\"You are not authenticated. Authentication required to perform this operation.\"]}");
        }
        JsonElement parsed = parse(body);
        if (!method.equals("POST") || parsed == null || !parsed.isJsonObject()) {
            return Answer.json(400, "{\"errorMessages\": [\"Unexpected request\"]}");
        }
        JsonObject json = parsed.getAsJsonObject();
        if (path.equals("/rest/api/3/issue")) {
            JsonObject fields = json.has("fields") ? json.getAsJsonObject("fields") : new JsonObject();
            if (!fields.has("project") || !fields.getAsJsonObject("project").has("key")) {
                return invalid("project", "Specify a valid project ID or key");
            }
            if (!fields.getAsJsonObject("project").get("key").getAsString().equals(project)) {
                return invalid("project", "valid project is required");
            }
            if (!fields.has("summary") || fields.get("summary").getAsString().isBlank()) {
                return invalid("summary", "You must specify a summary of the issue.");
            }
            if (fields.get("summary").getAsString().length() > 255) {
                return invalid("summary", "Summary must be less than 255 characters.");
            }
            if (!fields.has("issuetype") || !fields.get("issuetype").isJsonObject()) {
                return invalid("issuetype", "Specify an issue type");
            }
            if (fields.has("description") && !adf(fields.get("description"))) {
                return invalid("description", "Operation value must be an Atlassian Document (see the Atlassian Document Format)");
            }
            String key = project + "-" + (comments.size() + 1);
            comments.put(key, 0);
            return Answer.json(201, "{\"id\": \"" + (10000 + comments.size()) + "\", \"key\": \"" + key + "\", \"self\": \"" + base()
                    + "/rest/api/3/issue/" + key + "\"}");
        }
        Matcher m = COMMENT.matcher(path);
        if (m.matches()) {
            if (!comments.containsKey(m.group(1))) {
                return Answer.json(404, "{\"errorMessages\": [\"Issue does not exist or you do not have permission to see it.\"]}");
            }
            if (!json.has("body") || !adf(json.get("body"))) {
                return invalid("comment", "Comment body can not be empty! It must be an Atlassian Document.");
            }
            comments.merge(m.group(1), 1, Integer::sum);
            return Answer.json(201, "{\"id\": \"" + (20000 + requests().size()) + "\"}");
        }
        return Answer.json(404, "{\"errorMessages\": [\"No such resource\"]}");
    }

    /** An ADF document: {@code {"type": "doc", "version": 1, "content": [...]}} whose nodes all have a type. */
    static boolean adf(JsonElement element) {
        if (!element.isJsonObject()) {
            return false;
        }
        JsonObject doc = element.getAsJsonObject();
        return doc.has("type") && doc.get("type").getAsString().equals("doc") && doc.has("version") && doc.get("version").getAsInt() == 1
                && doc.has("content") && doc.get("content").isJsonArray() && typed(doc.get("content"));
    }

    private static boolean typed(JsonElement content) {
        for (JsonElement node : content.getAsJsonArray()) {
            if (!node.isJsonObject() || !node.getAsJsonObject().has("type")) {
                return false;
            }
            JsonObject object = node.getAsJsonObject();
            if (object.get("type").getAsString().equals("text") && (!object.has("text") || object.get("text").getAsString().isEmpty())) {
                return false; // ADF refuses empty text nodes
            }
            if (object.has("content") && !typed(object.get("content"))) {
                return false;
            }
        }
        return true;
    }

    private static Answer invalid(String field, String message) {
        JsonObject errors = new JsonObject();
        errors.addProperty(field, message);
        JsonObject answer = new JsonObject();
        answer.add("errorMessages", new JsonArray());
        answer.add("errors", errors);
        return Answer.json(400, answer.toString());
    }
}
