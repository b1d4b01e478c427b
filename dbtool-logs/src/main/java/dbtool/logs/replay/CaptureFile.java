package dbtool.logs.replay;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonWriter;
import dbtool.core.DbtoolException;
import dbtool.core.ExitCodes;
import dbtool.core.IoErrors;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * The capture file ({@code .dbr}): gzip'd JSON lines, written and read one event at a time so that a
 * capture larger than memory works. The first line is the header (format name, version, where the log
 * came from), then one line per {@link CaptureEvent}, then an end line with the counts: a file without
 * it was cut short.
 */
final class CaptureFile {

    static final String FORMAT = "dbtool-replay-capture";
    static final int VERSION = 1;

    /**
     * Where the captured workload ran: the replay refuses to run against it unless told so.
     *
     * @param name     the target as named, or the log files
     * @param host     the server's host, or null when the log came from files without --source
     * @param port     its port, 0 when unknown
     * @param database its database, or null
     */
    record Source(String name, String host, int port, String database) {
    }

    /** The header: when and from where. */
    record Header(int version, Instant createdAt, Source source) {
    }

    private CaptureFile() {
    }

    /** Writes events to a new capture file. */
    static final class Out implements AutoCloseable {
        private final Path path;
        private final Writer writer;
        private long sessions;
        private long statements;

        Out(Path path, Source source) throws IOException {
            this.path = path;
            this.writer = new BufferedWriter(new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(path), 1 << 16),
                    StandardCharsets.UTF_8), 1 << 16);
            JsonObject header = new JsonObject();
            header.addProperty("format", FORMAT);
            header.addProperty("version", VERSION);
            header.addProperty("createdAt", Instant.now().toString());
            JsonObject from = new JsonObject();
            from.addProperty("name", source.name());
            from.addProperty("host", source.host());
            from.addProperty("port", source.port());
            from.addProperty("database", source.database());
            header.add("source", from);
            line(header);
        }

        void write(CaptureEvent event) throws IOException {
            JsonWriter json = new JsonWriter(writer);
            json.setHtmlSafe(false);
            json.beginObject();
            json.name("kind").value(event.kind().name().toLowerCase(Locale.ROOT));
            json.name("session").value(event.session());
            json.name("at").value(event.atMicros());
            if (event.user() != null) {
                json.name("user").value(event.user());
            }
            if (event.database() != null) {
                json.name("database").value(event.database());
            }
            if (event.sql() != null) {
                json.name("sql").value(event.sql());
            }
            if (event.params() != null) {
                json.name("params").beginArray();
                for (String param : event.params()) {
                    json.value(param);
                }
                json.endArray();
            }
            if (event.ms() >= 0) {
                json.name("ms").value(event.ms());
            }
            if (event.error() != null) {
                json.name("error").value(event.error());
                json.name("message").value(event.message());
            }
            json.endObject();
            json.flush();
            writer.write('\n');
            sessions += event.kind() == CaptureEvent.Kind.CONNECT ? 1 : 0;
            statements += event.kind() == CaptureEvent.Kind.STATEMENT ? 1 : 0;
        }

        long statements() {
            return statements;
        }

        private void line(JsonObject object) throws IOException {
            writer.write(object.toString());
            writer.write('\n');
        }

        /** Ends the file with its end line (what tells a whole capture from a truncated one) and closes it. */
        void finish() throws IOException {
            JsonObject end = new JsonObject();
            end.addProperty("end", true);
            end.addProperty("sessions", sessions);
            end.addProperty("statements", statements);
            line(end);
            writer.close();
        }

        /** Closes without the end line and removes the file: a capture that failed leaves nothing behind. */
        @Override
        public void close() {
            try {
                writer.close();
                Files.deleteIfExists(path);
            } catch (IOException e) {
                // best effort: the failure that brought us here is the one reported
            }
        }
    }

    /** Reads a capture file event by event; bad or truncated input is one line naming the file (exit 66). */
    static final class In implements AutoCloseable {
        private final String name;
        private final BufferedReader reader;
        private final Header header;
        private boolean ended;

        In(String name) {
            this.name = name;
            try {
                this.reader = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(Path.of(name)), 1 << 16),
                        StandardCharsets.UTF_8), 1 << 16);
            } catch (NoSuchFileException e) {
                throw new DbtoolException(ExitCodes.NO_INPUT, name + ": no such file");
            } catch (ZipException | EOFException e) {
                throw bad("not a dbtool replay capture (expected a gzip'd file written by 'dbtool replay capture')");
            } catch (IOException e) {
                throw new DbtoolException(ExitCodes.NO_INPUT, name + ": cannot be read (" + IoErrors.describe(e) + ")");
            }
            JsonObject first = object(readLine());
            if (first == null || !first.has("format") || !FORMAT.equals(first.get("format").getAsString())) {
                close();
                throw bad("not a dbtool replay capture (no capture header)");
            }
            int version = first.get("version").getAsInt();
            if (version != VERSION) {
                close();
                throw bad("capture format version " + version + "; this dbtool reads version " + VERSION);
            }
            JsonObject from = first.getAsJsonObject("source");
            Source source = new Source(text(from, "name"), text(from, "host"), from.has("port") ? from.get("port").getAsInt() : 0,
                    text(from, "database"));
            this.header = new Header(version, Instant.parse(first.get("createdAt").getAsString()), source);
        }

        Header header() {
            return header;
        }

        /** The next event, or null at the end line; a file that stops before it is truncated. */
        CaptureEvent next() {
            if (ended) {
                return null;
            }
            JsonObject json = object(readLine());
            if (json == null) {
                throw truncated();
            }
            if (json.has("end")) {
                ended = true;
                return null;
            }
            try {
                List<String> params = null;
                if (json.get("params") instanceof JsonArray array) {
                    params = new ArrayList<>(array.size());
                    for (JsonElement value : array) {
                        params.add(value instanceof JsonNull ? null : value.getAsString());
                    }
                }
                return new CaptureEvent(CaptureEvent.Kind.valueOf(json.get("kind").getAsString().toUpperCase(Locale.ROOT)),
                        json.get("session").getAsString(), json.get("at").getAsLong(), text(json, "user"), text(json, "database"),
                        text(json, "sql"), params, json.has("ms") ? json.get("ms").getAsDouble() : -1, text(json, "error"),
                        text(json, "message"));
            } catch (RuntimeException e) {
                throw bad("an event that is not a capture event: " + e.getMessage());
            }
        }

        private String readLine() {
            try {
                return reader.readLine();
            } catch (EOFException e) {
                throw truncated();
            } catch (IOException e) {
                throw new DbtoolException(ExitCodes.NO_INPUT, name + ": cannot be read (" + IoErrors.describe(e) + ")");
            }
        }

        private JsonObject object(String line) {
            if (line == null) {
                return null;
            }
            try {
                JsonElement element = JsonParser.parseString(line);
                return element.isJsonObject() ? element.getAsJsonObject() : null;
            } catch (JsonParseException e) {
                throw truncated();
            }
        }

        private DbtoolException truncated() {
            return bad("truncated (the capture ends before its end record); capture again, or copy the whole file");
        }

        private DbtoolException bad(String why) {
            return new DbtoolException(ExitCodes.NO_INPUT, name + ": " + why);
        }

        private static String text(JsonObject json, String key) {
            JsonElement value = json.get(key);
            return value == null || value.isJsonNull() ? null : value.getAsString();
        }

        @Override
        public void close() {
            try {
                reader.close();
            } catch (IOException e) {
                // nothing was written: nothing to lose
            }
        }
    }
}
