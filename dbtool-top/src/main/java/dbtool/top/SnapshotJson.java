package dbtool.top;

import com.google.gson.stream.JsonWriter;
import dbtool.core.report.TraceLinks;
import dbtool.spi.ActiveSession;
import dbtool.spi.Target;
import dbtool.spi.TraceContext;
import java.io.IOException;
import java.io.StringWriter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code top --once --format json}: one frame for scripts, field by field so that the order and the
 * nulls do not depend on reflection. {@code rates} are per second between the two snapshots the run
 * took; {@code counters} are not repeated (they are totals since the server started).
 */
final class SnapshotJson {

    static final int SCHEMA_VERSION = 1;

    private SnapshotJson() {
    }

    /** The frame as JSON; each traced session gets the configured trace link beside its trace id when there is a template. */
    static String write(Frame frame, Target target, String toolVersion, long intervalMillis, TraceLinks links) {
        StringWriter out = new StringWriter();
        try {
            JsonWriter json = new JsonWriter(out);
            json.setIndent("  ");
            json.setSerializeNulls(true);
            json.beginObject();
            json.name("schemaVersion").value(SCHEMA_VERSION);
            json.name("kind").value("top");
            json.name("tool").beginObject().name("name").value("dbtool").name("version").value(toolVersion).endObject();
            json.name("target").beginObject().name("name").value(target.name()).name("engine").value(target.engine())
                    .name("host").value(target.host()).name("port").value(target.port()).name("database").value(target.database()).endObject();
            json.name("takenAt").value(frame.activity().takenAt().truncatedTo(ChronoUnit.MILLIS).toString());
            json.name("intervalMs").value(intervalMillis);
            json.name("statements").value(frame.activity().statements());
            json.name("refreshMs").value(frame.refreshMillis());
            json.name("load").beginObject();
            for (Map.Entry<String, String> figure : frame.activity().load().entrySet()) {
                json.name(figure.getKey()).value(figure.getValue());
            }
            json.endObject();
            json.name("ratesPerSecond").beginObject();
            for (Map.Entry<String, Double> rate : new TreeMap<>(frame.rates()).entrySet()) {
                json.name(rate.getKey()).value(round(rate.getValue()));
            }
            json.endObject();
            json.name("sessions").beginArray();
            for (ActiveSession s : frame.activity().sessions()) {
                session(json, s, frame, links);
            }
            json.endArray();
            json.endObject();
            json.flush();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out + System.lineSeparator();
    }

    private static void session(JsonWriter json, ActiveSession s, Frame frame, TraceLinks links) throws IOException {
        json.beginObject();
        json.name("id").value(s.id());
        json.name("user").value(s.user());
        json.name("database").value(s.database());
        json.name("application").value(s.application());
        json.name("client").value(s.client());
        json.name("state").value(s.state());
        json.name("runningMs").value(s.running() == null ? null : s.running().toMillis());
        json.name("waitType").value(s.waitType());
        json.name("waitEvent").value(s.waitEvent());
        json.name("blockedBy").beginArray();
        for (String blocker : s.blockedBy()) {
            json.value(blocker);
        }
        json.endArray();
        json.name("depth").value(s.depth());
        Double cpu = frame.cpuRates().get(s.id());
        Double io = frame.ioRates().get(s.id());
        json.name("cpuMsPerSecond").value(cpu == null ? null : round(cpu));
        json.name("ioPerSecond").value(io == null ? null : round(io));
        json.name("query").value(s.query());
        json.name("locks").beginArray();
        for (String lock : s.locks()) {
            json.value(lock);
        }
        json.endArray();
        json.name("details").beginObject();
        for (Map.Entry<String, String> detail : s.details().entrySet()) {
            json.name(detail.getKey()).value(detail.getValue());
        }
        json.endObject();
        json.name("cancel").value(s.cancel());
        json.name("terminate").value(s.terminate());
        TraceContext trace = s.trace().orElse(null);
        json.name(TraceContext.TRACE_ID).value(trace == null ? null : trace.traceId());
        json.name(TraceContext.SPAN_ID).value(trace == null ? null : trace.spanId());
        json.name(TraceContext.SERVICE).value(trace == null ? null : trace.service());
        if (links.configured()) {
            json.name(TraceLinks.URL).value(trace == null ? null : links.link(trace.traceId()));
        }
        json.endObject();
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
