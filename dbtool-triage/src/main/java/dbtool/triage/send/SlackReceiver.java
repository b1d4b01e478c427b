package dbtool.triage.send;

import dbtool.triage.Notice;
import dbtool.triage.Render;
import dbtool.triage.SecretRef;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;

/** A Slack incoming webhook: Block Kit, at most about 4,000 characters; the URL is the secret. */
public record SlackReceiver(String name, SecretRef url) implements Receiver {

    @Override
    public String type() {
        return "slack";
    }

    @Override
    public String deliver(Notice notice, Delivery delivery) throws DeliveryException {
        String secret = resolve(url, delivery);
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(secret)).timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Render.slack(notice).toString())).build();
        } catch (IllegalArgumentException e) {
            throw new DeliveryException("the webhook URL from " + url.source() + " is not a URL");
        }
        delivery.http().send(request, List.of(secret));
        return "message sent";
    }

    static String resolve(SecretRef ref, Delivery delivery) throws DeliveryException {
        try {
            return ref.resolve(delivery.environment()).reveal();
        } catch (RuntimeException e) {
            throw new DeliveryException(e.getMessage());
        }
    }
}
