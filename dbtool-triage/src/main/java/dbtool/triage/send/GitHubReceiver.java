package dbtool.triage.send;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dbtool.triage.IncidentBook;
import dbtool.triage.Notice;
import dbtool.triage.Render;
import dbtool.triage.SecretRef;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * GitHub Issues (REST): one issue per incident key, remembered in the state store; a comment on each
 * notified repeat and on another target joining the incident; on resolution a comment, and the issue
 * closed when {@code closeOnResolve}.
 *
 * @param api the REST API root ({@code https://api.github.com}, GitHub Enterprise's {@code https://HOST/api/v3}, or a test server)
 */
public record GitHubReceiver(String name, String repository, SecretRef token, String api, List<String> labels, boolean closeOnResolve)
        implements Receiver {

    public static final String SYSTEM = "github";

    @Override
    public String type() {
        return "github";
    }

    @Override
    public boolean wants(Notice notice) {
        return true; // a grouped incident is a comment on the leader's issue
    }

    @Override
    public String deliver(Notice notice, Delivery delivery) throws DeliveryException {
        String secret = SlackReceiver.resolve(token, delivery);
        String ticketKey = notice.action() == IncidentBook.Action.GROUPED && notice.row() != null && notice.row().groupKey() != null
                ? notice.row().groupKey() : notice.key();
        Optional<IncidentBook.Ticket> ticket = delivery.book().ticket(ticketKey, SYSTEM + ":" + repository);
        String issues = api.replaceAll("/+$", "") + "/repos/" + repository + "/issues";
        if (ticket.isEmpty()) {
            if (notice.resolved() || notice.action() == IncidentBook.Action.GROUPED) {
                return "no issue to update";
            }
            JsonObject body = new JsonObject();
            body.addProperty("title", Render.clip(Render.title(notice), 250));
            body.addProperty("body", Render.markdown(notice, Render.GITHUB_BODY));
            JsonArray labelArray = new JsonArray();
            labels.forEach(labelArray::add);
            body.add("labels", labelArray);
            HttpResponse<String> response = delivery.http().send(request(issues, secret, "POST", body), List.of(secret));
            JsonObject created = JsonParser.parseString(response.body()).getAsJsonObject();
            String number = created.get("number").getAsString();
            delivery.book().saveTicket(notice.key(), SYSTEM + ":" + repository,
                    new IncidentBook.Ticket(number, created.has("html_url") ? created.get("html_url").getAsString() : null));
            return "issue #" + number + " created";
        }
        String number = ticket.get().ref();
        JsonObject comment = new JsonObject();
        comment.addProperty("body", switch (notice.action()) {
            case RESOLVE -> "Resolved: " + Render.title(notice);
            case GROUPED -> "Also on `" + notice.target() + "`: the same cause (" + notice.rootCode() + "), incident `" + notice.key() + "`.";
            default -> "Seen again (" + (notice.row() == null ? "" : notice.row().occurrences() + " occurrences") + "):\n\n"
                    + Render.markdown(notice, Render.GITHUB_BODY);
        });
        delivery.http().send(request(issues + "/" + number + "/comments", secret, "POST", comment), List.of(secret));
        if (notice.resolved() && closeOnResolve) {
            JsonObject close = new JsonObject();
            close.addProperty("state", "closed");
            close.addProperty("state_reason", "completed");
            delivery.http().send(request(issues + "/" + number, secret, "PATCH", close), List.of(secret));
            return "issue #" + number + " commented and closed";
        }
        return "issue #" + number + " commented";
    }

    private static HttpRequest request(String url, String token, String method, JsonObject body) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15))
                .header("Accept", "application/vnd.github+json").header("X-GitHub-Api-Version", "2022-11-28")
                .header("User-Agent", "dbtool").header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body.toString())).build();
    }
}
