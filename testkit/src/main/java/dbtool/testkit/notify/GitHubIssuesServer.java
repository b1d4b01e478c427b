package dbtool.testkit.notify;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GitHub's REST API for issues, the parts dbtool uses, as documented: {@code POST /repos/{owner}/{repo}/issues}
 * (a {@code title}; a {@code body} at most 65,536 characters) answers 201 with {@code number} and
 * {@code html_url}; {@code POST .../issues/{n}/comments} (a {@code body}) 201; {@code PATCH .../issues/{n}}
 * ({@code state} open or closed) 200. Requires {@code Authorization: Bearer TOKEN} (401 "Bad credentials")
 * and a {@code User-Agent} (403); 422 "Validation Failed" for a missing field; 404 for another repository.
 */
public final class GitHubIssuesServer extends ServiceDouble {

    private static final Pattern ISSUES = Pattern.compile("/repos/([^/]+/[^/]+)/issues(?:/(\\d+)(/comments)?)?");
    private final String repository;
    private final String token;
    private final Map<Integer, String> states = new LinkedHashMap<>();
    private final Map<Integer, Integer> comments = new LinkedHashMap<>();

    public GitHubIssuesServer(String repository, String token) throws IOException {
        this.repository = repository;
        this.token = token;
    }

    /** Issue number to state (open, closed). */
    public synchronized Map<Integer, String> issues() {
        return Map.copyOf(states);
    }

    public synchronized int comments(int issue) {
        return comments.getOrDefault(issue, 0);
    }

    @Override
    protected synchronized Answer handle(String method, String path, Map<String, String> headers, String body) {
        if (!("Bearer " + token).equals(headers.get("authorization")) && !("token " + token).equals(headers.get("authorization"))) {
            return Answer.json(401, "{\"message\": \"Bad credentials\", \"documentation_url\": \"https://docs.github.com/rest\"}");
        }
        if (headers.get("user-agent") == null) {
            return Answer.json(403, "{\"message\": \"Request forbidden by administrative rules. Please make sure your request has a User-Agent header\"}");
        }
        Matcher m = ISSUES.matcher(path);
        if (!m.matches() || !m.group(1).equals(repository)) {
            return Answer.json(404, "{\"message\": \"Not Found\"}");
        }
        JsonElement parsed = parse(body);
        if (parsed == null || !parsed.isJsonObject()) {
            return Answer.json(400, "{\"message\": \"Problems parsing JSON\"}");
        }
        JsonObject json = parsed.getAsJsonObject();
        if (m.group(2) == null) {
            if (!method.equals("POST")) {
                return Answer.json(404, "{\"message\": \"Not Found\"}");
            }
            if (!json.has("title") || json.get("title").getAsString().isBlank()) {
                return invalid("title", "missing_field");
            }
            if (json.has("body") && json.get("body").getAsString().length() > 65_536) {
                return invalid("body", "too_long");
            }
            int number = states.size() + 1;
            states.put(number, "open");
            return Answer.json(201, "{\"number\": " + number + ", \"state\": \"open\", \"html_url\": \"https://github.com/" + repository
                    + "/issues/" + number + "\"}");
        }
        int number = Integer.parseInt(m.group(2));
        if (!states.containsKey(number)) {
            return Answer.json(404, "{\"message\": \"Not Found\"}");
        }
        if (m.group(3) != null) {
            if (!method.equals("POST") || !json.has("body") || json.get("body").getAsString().isBlank()) {
                return invalid("body", "missing_field");
            }
            comments.merge(number, 1, Integer::sum);
            return Answer.json(201, "{\"id\": " + (1000 + requests().size()) + "}");
        }
        if (!method.equals("PATCH")) {
            return Answer.json(404, "{\"message\": \"Not Found\"}");
        }
        if (json.has("state")) {
            String state = json.get("state").getAsString();
            if (!state.equals("open") && !state.equals("closed")) {
                return invalid("state", "invalid");
            }
            states.put(number, state);
        }
        return Answer.json(200, "{\"number\": " + number + ", \"state\": \"" + states.get(number) + "\"}");
    }

    private static Answer invalid(String field, String code) {
        return Answer.json(422, "{\"message\": \"Validation Failed\", \"errors\": [{\"resource\": \"Issue\", \"field\": \"" + field
                + "\", \"code\": \"" + code + "\"}]}");
    }
}
