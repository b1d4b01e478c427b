package dbtool.logs.replay;

import com.google.gson.stream.JsonWriter;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code run.json}: what a replay did, written as it happens (one record per statement, streamed, so
 * a long replay never holds its results), then the lock waits sampled and the totals. The report reads
 * it back the same way.
 */
final class RunFile implements AutoCloseable {

    static final String FORMAT = "dbtool-replay-run";
    static final int VERSION = 1;

    /**
     * One statement replayed.
     *
     * @param session     the captured session's key
     * @param template    its template
     * @param originalMs  its captured duration, -1 when unknown
     * @param ms          its replayed duration, -1 when it was skipped
     * @param error       the SQLSTATE the replay got, or null
     * @param message     the replay error's message, or null
     * @param skipped     why it was not run (its parameters were not logged), or null
     * @param lagMs       how late it started against its original offset divided by the speed (the replay's timing error)
     */
    record Statement(String session, String template, double originalMs, double ms, String error, String message, String skipped,
                     double lagMs) {
    }

    private final BufferedWriter writer;
    private final JsonWriter json;

    RunFile(Path path, String capture, String target, double speed, int maxSessions) throws IOException {
        this.writer = Files.newBufferedWriter(path, StandardCharsets.UTF_8);
        this.json = new JsonWriter(writer);
        json.setHtmlSafe(false);
        json.beginObject();
        json.name("format").value(FORMAT);
        json.name("version").value(VERSION);
        json.name("capture").value(capture);
        json.name("target").value(target);
        json.name("speed").value(speed);
        json.name("maxSessions").value(maxSessions);
        json.name("startedAt").value(Instant.now().toString());
        json.name("statements").beginArray();
    }

    synchronized void statement(Statement s) throws IOException {
        json.beginObject();
        json.name("session").value(s.session());
        json.name("template").value(s.template());
        json.name("originalMs").value(s.originalMs());
        json.name("ms").value(s.ms());
        json.name("lagMs").value(Math.round(s.lagMs() * 1000) / 1000.0);
        if (s.error() != null) {
            json.name("error").value(s.error());
            json.name("message").value(s.message());
        }
        if (s.skipped() != null) {
            json.name("skipped").value(s.skipped());
        }
        json.endObject();
    }

    /** Ends the statements and writes the lock waits sampled and the totals. */
    synchronized void finish(List<Map<String, Object>> lockWaits, long lockWaitSamples, Map<String, Object> totals) throws IOException {
        json.endArray();
        json.name("lockWaitSamples").value(lockWaitSamples);
        json.name("lockWaits").beginArray();
        for (Map<String, Object> wait : lockWaits) {
            object(wait);
        }
        json.endArray();
        json.name("totals");
        object(totals);
        json.endObject();
    }

    /** A flat object of numbers and text. */
    private void object(Map<String, Object> fields) throws IOException {
        json.beginObject();
        for (Map.Entry<String, Object> field : fields.entrySet()) {
            json.name(field.getKey());
            if (field.getValue() instanceof Number n) {
                json.value(n);
            } else {
                json.value(String.valueOf(field.getValue()));
            }
        }
        json.endObject();
    }

    @Override
    public void close() throws IOException {
        json.close();
    }
}
