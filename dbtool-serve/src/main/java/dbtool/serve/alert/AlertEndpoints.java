package dbtool.serve.alert;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dbtool.core.DbtoolException;
import dbtool.core.SafeText;
import dbtool.core.cli.CommandContext;
import dbtool.core.config.Config;
import dbtool.serve.http.HttpFailure;
import dbtool.serve.http.Request;
import dbtool.serve.http.Response;
import dbtool.serve.http.Route;
import dbtool.serve.http.WorkQueue;
import dbtool.serve.store.StateStore;
import dbtool.serve.store.StoreConfig;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@code POST /alerts} (Alertmanager's and Grafana's webhooks) and {@code GET /api/v1/incidents[/ID]}.
 *
 * <p>The webhook answers 202 as soon as the payload is read and its work queued: a resolved alert is
 * recorded at once (and frees its dedup key, so that a new firing is diagnosed); a firing one claims
 * its fingerprint in the state store for the dedup window, and only the claim's winner queues the
 * troubleshoot, so a repeat (Alertmanager resends every repeat_interval, replicas receive the same
 * webhook) is not diagnosed twice. Past the queue's bound the whole payload is answered 429 and its
 * claims are given back, so the sender's retry is diagnosed.
 */
public final class AlertEndpoints implements AutoCloseable {

    /** Troubleshoots at once: each holds at most one connection (to its alert's target). */
    static final int WORKERS = 8;
    /** Alerts waiting for a worker; past this the webhook answers 429 (Alertmanager retries). */
    static final int QUEUE = 256;

    static final String DEDUP_PREFIX = "alert:";
    static final int DEFAULT_LIST = 50;
    static final int MAX_LIST = 1000;

    private final CommandContext context;
    private final Supplier<Config> config;
    private final StateStore store;
    private final WorkQueue queue;
    private final Clock clock;
    private final Consumer<String> log;
    private final List<IncidentListener.Sink> listeners = new ArrayList<>();
    private Config parsedFrom;
    private AlertsConfig alerts;

    /** @param config the configuration in force, as last (re)loaded */
    public AlertEndpoints(CommandContext context, Supplier<Config> config, StateStore store, WorkQueue queue, Clock clock,
                          Consumer<String> log) {
        this.context = context;
        this.config = config;
        this.store = store;
        this.queue = queue;
        this.clock = clock;
        this.log = log;
        alerts(config.get()); // a mistake in the "alerts" block stops the server before it listens (78)
        for (IncidentListener listener : ServiceLoader.load(IncidentListener.class)) {
            listeners.add(listener.open(context, config, store, log)); // triage: a mistake in its block is a 78 too
        }
    }

    /** Opens the state store named by the configuration (78 when it cannot be) and the work queue. */
    public static AlertEndpoints open(CommandContext context, Supplier<Config> config, Clock clock, Consumer<String> log) {
        StateStore store = StoreConfig.of(config.get(), context.environment()).open(context.environment(), context.plugins(), clock);
        try {
            AlertEndpoints endpoints = new AlertEndpoints(context, config, store, new WorkQueue("dbtool-alert", WORKERS, QUEUE), clock, log);
            log.accept("state store: " + store.description() + "; alerts: POST /alerts, incidents: /api/v1/incidents");
            return endpoints;
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** The SIGTERM drain: diagnoses in progress finish (up to {@code seconds}) and are stored; then the store closes. */
    public void drain(long seconds) throws InterruptedException {
        try {
            if (!queue.drain(seconds)) {
                log.accept("alert diagnoses still running after " + seconds + " s were interrupted");
            }
        } finally {
            close();
        }
    }

    @Override
    public void close() {
        queue.close();
        listeners.forEach(IncidentListener.Sink::close);
        store.close();
    }

    /** The state store the incidents are kept in; serve keeps the last reports there too. */
    public StateStore store() {
        return store;
    }

    public List<Route> routes() {
        return List.of(Route.post("/alerts", Route.Access.PROTECTED, this::receive),
                Route.get("/api/v1/incidents", Route.Access.PROTECTED, this::list),
                Route.get("/api/v1/incidents/{id}", Route.Access.PROTECTED, this::one));
    }

    Response receive(Request request) {
        Instant received = clock.instant();
        AlertPayload payload;
        try {
            payload = PayloadParser.parse(request.bodyText());
        } catch (PayloadException e) {
            throw HttpFailure.badRequest(e.getMessage());
        }
        Config current = config.get();
        AlertsConfig settings = alerts(current);
        AlertIntake intake = new AlertIntake(new AlertRouter(current, settings, false),
                new AlertDiagnoser(context, current, settings.timeout())::diagnose, clock);
        int queued = 0;
        int repeats = 0;
        int resolved = 0;
        List<String> claimed = new ArrayList<>();
        try {
            for (Alert alert : payload.alerts()) {
                String key = DEDUP_PREFIX + AlertIntake.fingerprint(alert);
                if (!alert.firing()) {
                    store.release(key);
                    save(intake.handle(alert, received));
                    resolved++;
                } else if (store.claim(key, settings.dedupWindow())) {
                    claimed.add(key);
                    queue.submit(() -> diagnose(intake, alert, received));
                    claimed.remove(key);
                    queued++;
                } else {
                    repeats++;
                }
            }
        } catch (HttpFailure | DbtoolException e) {
            claimed.forEach(store::release); // refused work: the sender's retry must not be taken for a repeat
            if (e instanceof DbtoolException failure) {
                log.accept(failure.getMessage());
                throw new HttpFailure(503, "the state store is unavailable; retry later");
            }
            throw e;
        }
        JsonObject body = new JsonObject();
        body.addProperty("received", payload.alerts().size());
        body.addProperty("queued", queued);
        body.addProperty("deduplicated", repeats);
        body.addProperty("resolved", resolved);
        body.addProperty("incidents", "/api/v1/incidents");
        return Response.json(202, body);
    }

    private void diagnose(AlertIntake intake, Alert alert, Instant received) {
        try {
            Incident incident = intake.handle(alert, received);
            save(incident);
            log.accept("alert " + SafeText.oneLine(incident.alertName()) + " (" + SafeText.oneLine(incident.fingerprint()) + "): "
                    + incident.state().name().toLowerCase(Locale.ROOT) + " " + incident.status()
                    + (incident.target() == null ? "" : " on " + SafeText.oneLine(incident.target()))
                    + ", incident " + incident.id() + " stored " + (clock.millis() - received.toEpochMilli()) + " ms after arrival");
        } catch (DbtoolException e) {
            log.accept("alert " + SafeText.oneLine(alert.name()) + ": not stored: " + e.getMessage());
        }
    }

    private void save(Incident incident) {
        store.saveIncident(incident.id(), incident.receivedAt(), incident.alertName(), incident.alertStatus(), incident.fingerprint(),
                incident.target(), incident.state().name().toLowerCase(Locale.ROOT), incident.status().name(),
                IncidentJson.toJson(incident));
        listeners.forEach(listener -> listener.accept(incident));
    }

    Response list(Request request) {
        int limit = limit(request.query());
        JsonArray incidents = new JsonArray();
        for (StateStore.IncidentRow row : store.incidents(limit)) {
            JsonObject item = new JsonObject();
            item.addProperty("id", row.id());
            item.addProperty("receivedAt", row.receivedAt().toString());
            item.addProperty("alert", row.alertName());
            item.addProperty("alertStatus", row.alertStatus());
            item.addProperty("target", row.target());
            item.addProperty("state", row.state());
            item.addProperty("status", row.status());
            item.addProperty("href", "/api/v1/incidents/" + row.id());
            incidents.add(item);
        }
        JsonObject body = new JsonObject();
        body.add("incidents", incidents);
        return Response.json(200, body);
    }

    Response one(Request request) {
        String id = request.pathParameter("id");
        return store.incident(id).map(json -> Response.json(200, json))
                .orElseThrow(() -> HttpFailure.notFound("no incident " + SafeText.oneLine(id.length() > 60 ? id.substring(0, 60) + "..." : id)));
    }

    /** {@code ?limit=N}: how many of the newest incidents to list. */
    static int limit(String query) {
        if (query == null || query.isEmpty()) {
            return DEFAULT_LIST;
        }
        for (String part : query.split("&")) {
            if (part.startsWith("limit=")) {
                try {
                    int limit = Integer.parseInt(part.substring(6));
                    if (limit >= 1 && limit <= MAX_LIST) {
                        return limit;
                    }
                } catch (NumberFormatException e) {
                    // below
                }
                throw HttpFailure.badRequest("limit: expected a whole number from 1 to " + MAX_LIST);
            }
        }
        return DEFAULT_LIST;
    }

    /** The "alerts" block of this configuration, parsed once per (re)load; a broken one on reload keeps the last good one. */
    private synchronized AlertsConfig alerts(Config current) {
        if (current != parsedFrom) {
            try {
                alerts = AlertsConfig.of(current);
            } catch (DbtoolException e) {
                if (alerts == null) {
                    throw e;
                }
                log.accept("alerts: the reloaded configuration's \"alerts\" block is wrong, the previous rules stay: " + e.getMessage());
            }
            parsedFrom = current;
        }
        return alerts;
    }
}
