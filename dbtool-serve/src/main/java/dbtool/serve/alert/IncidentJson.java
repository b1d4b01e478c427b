package dbtool.serve.alert;

import com.google.gson.stream.JsonWriter;
import dbtool.core.report.JsonReportWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Incidents as JSON: one for {@code GET /api/v1/incidents/ID} and the state store, a list for
 * {@code dbtool alert --format json}. The report inside is the report contract, unchanged.
 */
public final class IncidentJson {

    private IncidentJson() {
    }

    public static String toJson(Incident incident) {
        StringWriter out = new StringWriter();
        try {
            JsonWriter json = writer(out);
            write(json, incident);
            json.flush();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    /** The document {@code dbtool alert --format json} prints: the worst status and every incident. */
    public static String toJson(List<Incident> incidents, String worstStatus) {
        StringWriter out = new StringWriter();
        try {
            JsonWriter json = writer(out);
            json.beginObject();
            json.name("schemaVersion").value(1);
            json.name("kind").value("alerts");
            json.name("status").value(worstStatus);
            json.name("incidents").beginArray();
            for (Incident incident : incidents) {
                write(json, incident);
            }
            json.endArray();
            json.endObject();
            json.flush();
            out.write(System.lineSeparator());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    private static JsonWriter writer(StringWriter out) {
        JsonWriter json = new JsonWriter(out);
        json.setIndent("  ");
        json.setSerializeNulls(true);
        json.setHtmlSafe(false);
        return json;
    }

    private static void write(JsonWriter json, Incident incident) throws IOException {
        json.beginObject();
        json.name("id").value(incident.id());
        json.name("receivedAt").value(time(incident.receivedAt()));
        json.name("state").value(incident.state().name().toLowerCase(Locale.ROOT));
        json.name("status").value(incident.status().name());
        json.name("alert").beginObject();
        json.name("name").value(incident.alertName());
        json.name("status").value(incident.alertStatus());
        json.name("fingerprint").value(incident.fingerprint());
        json.name("startsAt").value(time(incident.startsAt()));
        json.name("endsAt").value(time(incident.endsAt()));
        json.name("labels").beginObject();
        for (Map.Entry<String, String> label : new TreeMap<>(incident.labels()).entrySet()) {
            json.name(label.getKey()).value(label.getValue());
        }
        json.endObject();
        json.name("annotations").beginObject();
        for (Map.Entry<String, String> annotation : new TreeMap<>(incident.annotations()).entrySet()) {
            json.name(annotation.getKey()).value(annotation.getValue());
        }
        json.endObject();
        json.endObject();
        json.name("target").value(incident.target());
        json.name("routedBy").value(incident.routedBy());
        json.name("checks").beginArray();
        for (String check : incident.checks()) {
            json.value(check);
        }
        json.endArray();
        json.name("error").value(incident.error());
        json.name("diagnosisMs").value(incident.diagnosisMs());
        json.name("report");
        if (incident.report() == null) {
            json.nullValue();
        } else {
            json.jsonValue(JsonReportWriter.toJson(incident.report()).strip());
        }
        json.endObject();
    }

    private static String time(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MILLIS).toString();
    }
}
