package dbtool.triage.send;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dbtool.triage.Notice;
import dbtool.triage.Render;
import dbtool.triage.SecretRef;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;

/**
 * PagerDuty Events API v2: {@code trigger} with the incident key as {@code dedup_key} (a repeat triggers
 * again under the same key, which PagerDuty folds into the open incident), {@code resolve} once.
 *
 * @param url the Events API endpoint ({@code https://events.pagerduty.com/v2/enqueue}; another region's, or a test server)
 */
public record PagerDutyReceiver(String name, SecretRef routingKey, String url) implements Receiver {

    public static final String EVENTS_API = "https://events.pagerduty.com/v2/enqueue";

    @Override
    public String type() {
        return "pagerduty";
    }

    @Override
    public String deliver(Notice notice, Delivery delivery) throws DeliveryException {
        String key = SlackReceiver.resolve(routingKey, delivery);
        JsonObject event = event(notice, key);
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(event.toString())).build();
        delivery.http().send(request, List.of(key));
        return event.get("event_action").getAsString() + " sent (dedup_key " + notice.key() + ")";
    }

    static JsonObject event(Notice notice, String routingKey) {
        JsonObject event = new JsonObject();
        event.addProperty("routing_key", routingKey);
        event.addProperty("event_action", notice.resolved() ? "resolve" : "trigger");
        event.addProperty("dedup_key", notice.key());
        if (notice.resolved()) {
            return event; // resolve needs routing_key, event_action and dedup_key only
        }
        JsonObject payload = new JsonObject();
        payload.addProperty("summary", Render.summary(notice));
        payload.addProperty("source", notice.target());
        payload.addProperty("severity", notice.priority().pagerDuty());
        payload.addProperty("component", notice.engine() == null ? "database" : notice.engine());
        payload.addProperty("group", notice.target());
        payload.addProperty("class", notice.rootCode());
        JsonObject details = new JsonObject();
        details.addProperty("priority", notice.priority().name());
        if (notice.classification() != null) {
            JsonArray reasons = new JsonArray();
            notice.classification().reasons().forEach(reasons::add);
            details.add("reasons", reasons);
        }
        if (!notice.headBlockers().isEmpty()) {
            JsonArray heads = new JsonArray();
            notice.headBlockers().forEach(heads::add);
            details.add("head_blockers", heads);
        }
        if (!notice.statements().isEmpty()) {
            details.addProperty("statement", notice.statements().getFirst());
        }
        payload.add("custom_details", details);
        event.add("payload", payload);
        JsonArray links = new JsonArray();
        for (Render.Trace trace : Render.traces(notice)) {
            if (trace.url() != null) {
                JsonObject link = new JsonObject();
                link.addProperty("href", trace.url());
                link.addProperty("text", "trace " + trace.traceId() + (trace.service() == null ? "" : " (" + trace.service() + ")"));
                links.add(link);
            }
        }
        if (!links.isEmpty()) {
            event.add("links", links); // Events v2: links shown with the incident
        }
        event.addProperty("client", "dbtool");
        return event;
    }
}
