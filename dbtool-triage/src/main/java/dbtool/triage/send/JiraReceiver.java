package dbtool.triage.send;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dbtool.triage.IncidentBook;
import dbtool.triage.Notice;
import dbtool.triage.Render;
import dbtool.triage.SecretRef;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Jira Cloud REST v3: {@code POST /rest/api/3/issue} with project, summary, issue type and a description
 * in Atlassian Document Format; a comment ({@code /rest/api/3/issue/KEY/comment}) on each notified repeat,
 * on another target joining, and on resolution. Basic authentication with the user's email and an API token.
 */
public record JiraReceiver(String name, String url, String project, String issueType, String user, SecretRef token) implements Receiver {

    public static final String SYSTEM = "jira";

    @Override
    public String type() {
        return "jira";
    }

    @Override
    public boolean wants(Notice notice) {
        return true;
    }

    @Override
    public String deliver(Notice notice, Delivery delivery) throws DeliveryException {
        String secret = SlackReceiver.resolve(token, delivery);
        String authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8));
        List<String> secrets = List.of(secret, authorization);
        String ticketKey = notice.action() == IncidentBook.Action.GROUPED && notice.row() != null && notice.row().groupKey() != null
                ? notice.row().groupKey() : notice.key();
        String system = SYSTEM + ":" + project;
        Optional<IncidentBook.Ticket> ticket = delivery.book().ticket(ticketKey, system);
        String base = url.replaceAll("/+$", "") + "/rest/api/3/issue";
        if (ticket.isEmpty()) {
            if (notice.resolved() || notice.action() == IncidentBook.Action.GROUPED) {
                return "no issue to update";
            }
            JsonObject fields = new JsonObject();
            JsonObject projectRef = new JsonObject();
            projectRef.addProperty("key", project);
            fields.add("project", projectRef);
            fields.addProperty("summary", Render.clip(Render.title(notice), 255));
            JsonObject type = new JsonObject();
            type.addProperty("name", issueType);
            fields.add("issuetype", type);
            fields.add("description", Render.adf(notice));
            JsonObject body = new JsonObject();
            body.add("fields", fields);
            HttpResponse<String> response = delivery.http().send(request(base, authorization, body), secrets);
            JsonObject created = JsonParser.parseString(response.body()).getAsJsonObject();
            String key = created.get("key").getAsString();
            delivery.book().saveTicket(notice.key(), system, new IncidentBook.Ticket(key, url.replaceAll("/+$", "") + "/browse/" + key));
            return "issue " + key + " created";
        }
        String key = ticket.get().ref();
        JsonObject comment = new JsonObject();
        comment.add("body", switch (notice.action()) {
            case RESOLVE -> Render.adfParagraphs("Resolved: " + Render.title(notice));
            case GROUPED -> Render.adfParagraphs("Also on " + notice.target() + ": the same cause (" + notice.rootCode() + "), incident " + notice.key());
            default -> Render.adf(notice);
        });
        delivery.http().send(request(base + "/" + key + "/comment", authorization, comment), secrets);
        return "issue " + key + " commented";
    }

    private static HttpRequest request(String url, String authorization, JsonObject body) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15)).header("Authorization", authorization)
                .header("Accept", "application/json").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
    }
}
