package dbtool.serve;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dbtool.core.report.JsonReportWriter;
import dbtool.serve.http.HttpFailure;
import dbtool.serve.http.Request;
import dbtool.serve.http.Response;
import dbtool.serve.http.Route;
import dbtool.serve.schedule.Sample;
import dbtool.serve.schedule.ServeState;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code /health}, {@code /ready}, {@code /api/v1/targets} and {@code /api/v1/targets/NAME/report}:
 * what the last samples say, from memory (no request ever reaches a database). Before a target's
 * first run they say what the state store kept of it, marked {@code "restored": true}.
 *
 * @param targets the targets served now, including those not sampled yet
 */
record StatusEndpoints(ServeState state, Supplier<List<String>> targets) {

    List<Route> routes() {
        return List.of(
                Route.get("/health", Route.Access.PUBLIC, this::health),
                Route.get("/ready", Route.Access.PUBLIC, this::ready),
                Route.get("/api/v1/targets", Route.Access.PROTECTED, this::targetList),
                Route.get("/api/v1/targets/{name}/report", Route.Access.PROTECTED, this::report));
    }

    /** 200 while no target is CRITICAL, 503 when one is: a load balancer or uptime probe reads the code alone. */
    private Response health(Request request) {
        JsonArray list = new JsonArray();
        Severity overall = Severity.OK;
        for (String target : targets.get()) {
            Optional<Sample> sample = state.last(target);
            list.add(describe(target, sample));
            if (sample.isPresent()) {
                overall = overall.worst(sample.get().status());
            }
        }
        JsonObject body = new JsonObject();
        body.addProperty("status", overall.name());
        body.add("targets", list);
        return Response.json(overall == Severity.CRITICAL ? 503 : 200, body);
    }

    /**
     * Ready once every served target has been sampled once by this process: before that, /metrics would
     * show gaps (a report restored from the state store is not exported as a metric).
     */
    private Response ready(Request request) {
        List<String> served = targets.get();
        long sampled = served.stream().filter(state::sampledHere).count();
        JsonObject body = new JsonObject();
        body.addProperty("ready", sampled == served.size());
        body.addProperty("targets", served.size());
        body.addProperty("sampled", sampled);
        return Response.json(sampled == served.size() ? 200 : 503, body);
    }

    private Response targetList(Request request) {
        JsonArray list = new JsonArray();
        targets.get().forEach(target -> list.add(describe(target, state.last(target))));
        JsonObject body = new JsonObject();
        body.add("targets", list);
        return Response.json(200, body);
    }

    /** The last report in the report contract, the same JSON as {@code dbtool troubleshoot --format json}. */
    private Response report(Request request) {
        String name = request.pathParameter("name");
        if (!targets.get().contains(name)) {
            throw HttpFailure.notFound("no such target: " + name + " (GET /api/v1/targets lists them)");
        }
        Sample sample = state.last(name).orElseThrow(() -> new HttpFailure(503, name + ": not run yet; retry after the first interval"));
        if (sample.report() == null) {
            throw new HttpFailure(503, name + ": no report: " + sample.error());
        }
        return Response.json(200, JsonReportWriter.toJson(sample.report()));
    }

    private static JsonObject describe(String target, Optional<Sample> sample) {
        JsonObject entry = new JsonObject();
        entry.addProperty("name", target);
        if (sample.isEmpty()) {
            entry.addProperty("status", "PENDING");
            return entry;
        }
        Sample last = sample.get();
        entry.addProperty("engine", last.engine().isEmpty() ? null : last.engine());
        entry.addProperty("status", last.status().name());
        entry.addProperty("lastRun", last.at().toString());
        if (last.restored()) {
            entry.addProperty("restored", true); // from the state store: run before this process started, or by a sibling since
        }
        if (last.report() != null) {
            entry.addProperty("durationMs", last.report().durationMs());
        }
        if (last.error() != null) {
            entry.addProperty("error", last.error());
        }
        Optional<Finding> worst = last.worstFinding();
        if (worst.isPresent()) {
            JsonObject finding = new JsonObject();
            finding.addProperty("code", worst.get().code());
            finding.addProperty("severity", worst.get().severity().name());
            finding.addProperty("title", worst.get().title());
            entry.add("worstFinding", finding);
        }
        return entry;
    }
}
