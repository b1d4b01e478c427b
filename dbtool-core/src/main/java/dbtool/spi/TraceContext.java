package dbtool.spi;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The application's trace context on a database session: which request of which service a
 * blocked query, a long query or an idle transaction belongs to. Applications put it in several
 * places, and every engine plugin reads them through this one parser:
 * <ul>
 * <li>a <a href="https://google.github.io/sqlcommenter/spec/">sqlcommenter</a> comment in the
 * statement text, {@code /*traceparent='00-...',application='checkout',route='/pay'*&#47;}, keys
 * and values percent-encoded ({@link #fromSqlComment});</li>
 * <li>a W3C {@code traceparent} in a client name (PostgreSQL {@code application_name}, SQL Server
 * {@code program_name} or {@code context_info}), the rest of the name being the service
 * ({@code checkout 00-...-01}; {@link #fromName});</li>
 * <li>a JSON object with a {@code traceparent} field (a Snowflake query tag, a MongoDB
 * {@code comment}), the service in {@code service.name}, {@code service} or {@code application}
 * ({@link #fromJson}).</li>
 * </ul>
 * {@link #find} tries all of them on each text it is given. A traceparent counts only when it is
 * valid by the <a href="https://www.w3.org/TR/trace-context/#traceparent-header">W3C rules</a>:
 * lower-case hex, version {@code 00} exactly 55 characters (a later version may append fields),
 * version {@code ff} refused, neither id all zeros.
 *
 * @param traceId the 32 hex digits of the trace
 * @param spanId  the 16 hex digits of the span (the W3C parent-id: the client's span that sent the statement)
 * @param service the service that sent it, or null when the context does not say
 */
public record TraceContext(String traceId, String spanId, String service) {

    /** Evidence field names: a session node carries these when its trace context is known. */
    public static final String TRACE_ID = "traceId";
    /** See {@link #TRACE_ID}. */
    public static final String SPAN_ID = "spanId";
    /** See {@link #TRACE_ID}. */
    public static final String SERVICE = "service";

    private static final Pattern TRACEPARENT = Pattern.compile(
            "(?<![0-9a-zA-Z])([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})((?:-[0-9a-zA-Z._-]*)?)(?![0-9a-zA-Z])");
    /** A comment holding key='value' pairs; the last one wins, as sqlcommenter appends its comment. */
    private static final Pattern COMMENT = Pattern.compile("/\\*(.*?)\\*/", Pattern.DOTALL);
    private static final Pattern PAIR = Pattern.compile("\\s*([^=,\\s]+)\\s*=\\s*'((?:[^'\\\\]|\\\\.)*)'\\s*(?:,|$)");
    private static final Pattern JSON_FIELD = Pattern.compile("\"([^\"\\\\]+)\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final String ZERO_TRACE = "0".repeat(32);
    private static final String ZERO_SPAN = "0".repeat(16);
    private static final int MAX_SERVICE = 100;

    /**
     * Checks the ids, so that a context that exists is a valid one.
     *
     * @throws IllegalArgumentException when an id is not lower-case hex of its length, or all zeros
     */
    public TraceContext {
        if (traceId == null || !traceId.matches("[0-9a-f]{32}") || traceId.equals(ZERO_TRACE)) {
            throw new IllegalArgumentException("trace id: expected 32 lower-case hex digits, not all zero");
        }
        if (spanId == null || !spanId.matches("[0-9a-f]{16}") || spanId.equals(ZERO_SPAN)) {
            throw new IllegalArgumentException("span id: expected 16 lower-case hex digits, not all zero");
        }
        service = service == null || service.isBlank() ? null : clip(service.strip());
    }

    /**
     * A W3C traceparent header value, strictly: {@code 00-<32 hex>-<16 hex>-<2 hex>}.
     *
     * @param value the header's value (surrounding white space allowed)
     * @return the context, or empty when the value is not a valid traceparent
     */
    public static Optional<TraceContext> parseTraceparent(String value) {
        if (value == null) {
            return Optional.empty();
        }
        Matcher m = TRACEPARENT.matcher(value.strip());
        return m.matches() ? valid(m, null) : Optional.empty();
    }

    /**
     * The last sqlcommenter comment in a statement that carries a valid {@code traceparent}; the
     * service is its {@code application} (or {@code service.name}, {@code service}) value.
     *
     * @param query a statement's text
     * @return the context, or empty when no comment carries one
     */
    public static Optional<TraceContext> fromSqlComment(String query) {
        if (query == null || !query.contains("/*")) {
            return Optional.empty();
        }
        Optional<TraceContext> found = Optional.empty();
        Matcher comment = COMMENT.matcher(query);
        while (comment.find()) {
            Map<String, String> pairs = pairs(comment.group(1));
            Optional<TraceContext> parsed = pairs == null ? Optional.empty() : parseTraceparent(pairs.get("traceparent"))
                    .map(t -> new TraceContext(t.traceId(), t.spanId(), serviceOf(pairs)));
            if (parsed.isPresent()) {
                found = parsed;
            }
        }
        return found;
    }

    /**
     * A traceparent inside a client's name, as in {@code checkout 00-...-01} or
     * {@code checkout/traceparent=00-...-01}: what is left of the name, trimmed of separators, is the service.
     *
     * @param name the name the client gave itself
     * @return the context, or empty when the name holds no valid traceparent
     */
    public static Optional<TraceContext> fromName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        Matcher m = TRACEPARENT.matcher(name);
        while (m.find()) {
            String rest = (name.substring(0, m.start()) + " " + name.substring(m.end()))
                    .replaceAll("(?i)traceparent\\s*[=:]", " ")
                    .replaceAll("^[\\s/:;,|@=-]+|[\\s/:;,|@=-]+$", "");
            Optional<TraceContext> parsed = valid(m, rest);
            if (parsed.isPresent()) {
                return parsed;
            }
        }
        return Optional.empty();
    }

    /**
     * A JSON object's {@code traceparent} string field (a Snowflake query tag, a MongoDB comment
     * document as the server shows it); the service from {@code service.name}, {@code service} or
     * {@code application}. Read by pattern, not by a JSON parser: the SPI carries no library.
     *
     * @param json the object's text
     * @return the context, or empty when there is no valid traceparent field
     */
    public static Optional<TraceContext> fromJson(String json) {
        if (json == null || !json.contains("traceparent")) {
            return Optional.empty();
        }
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher m = JSON_FIELD.matcher(json);
        while (m.find()) {
            fields.putIfAbsent(m.group(1).toLowerCase(Locale.ROOT), m.group(2).replace("\\\"", "\"").replace("\\\\", "\\"));
        }
        return parseTraceparent(fields.get("traceparent")).map(t -> new TraceContext(t.traceId(), t.spanId(), serviceOf(fields)));
    }

    /**
     * The first trace context any of these texts carries, each tried as a sqlcommenter comment, a
     * JSON object and a name in that order: what a plugin calls with a session's statement text,
     * client name and tags.
     *
     * @param texts a session's texts; nulls are skipped
     * @return the context, or empty when none carries a valid one
     */
    public static Optional<TraceContext> find(String... texts) {
        for (String text : texts) {
            if (text == null || text.length() < 55) {
                continue;
            }
            Optional<TraceContext> found = fromSqlComment(text);
            if (found.isEmpty()) {
                found = fromJson(text);
            }
            if (found.isEmpty() && !text.contains("/*")) {
                found = fromName(text);
            }
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /**
     * Adds {@value #TRACE_ID}, {@value #SPAN_ID} and (when known) {@value #SERVICE} to an evidence
     * node, the field names every engine uses.
     *
     * @param node a session's evidence
     */
    public void addTo(Map<String, Object> node) {
        node.put(TRACE_ID, traceId);
        node.put(SPAN_ID, spanId);
        if (service != null) {
            node.put(SERVICE, service);
        }
    }

    /**
     * {@link #find} on a session's texts, added to its evidence node when found.
     *
     * @param node  a session's evidence
     * @param texts the session's statement text, client name, tags
     */
    public static void addFound(Map<String, Object> node, String... texts) {
        find(texts).ifPresent(context -> context.addTo(node));
    }

    private static Optional<TraceContext> valid(Matcher m, String service) {
        String version = m.group(1);
        String more = m.group(5);
        if (version.equals("ff") || version.equals("00") && !more.isEmpty()) {
            return Optional.empty();
        }
        String traceId = m.group(2);
        String spanId = m.group(3);
        if (traceId.equals(ZERO_TRACE) || spanId.equals(ZERO_SPAN)) {
            return Optional.empty();
        }
        return Optional.of(new TraceContext(traceId, spanId, service));
    }

    /** sqlcommenter's {@code key='value'} pairs, decoded; null when the comment is not of that shape. */
    private static Map<String, String> pairs(String comment) {
        Map<String, String> pairs = new LinkedHashMap<>();
        Matcher m = PAIR.matcher(comment);
        int at = 0;
        while (at < comment.length() && m.find(at) && m.start() == at) {
            String key = percentDecoded(m.group(1));
            String value = percentDecoded(m.group(2).replaceAll("\\\\(.)", "$1"));
            if (key == null || value == null) {
                return null;
            }
            pairs.putIfAbsent(key.toLowerCase(Locale.ROOT), value);
            at = m.end();
        }
        return at == comment.length() || comment.substring(at).isBlank() ? pairs : null;
    }

    private static String serviceOf(Map<String, String> fields) {
        for (String key : new String[] {"service.name", "service", "application"}) {
            String value = fields.get(key);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }

    /** RFC 3986 percent-decoding (a {@code +} stays a plus); null when an escape is malformed or not UTF-8. */
    private static String percentDecoded(String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int literal = 0;
        for (int i = text.indexOf('%'); i >= 0; i = text.indexOf('%', literal)) {
            bytes.writeBytes(text.substring(literal, i).getBytes(StandardCharsets.UTF_8));
            if (i + 2 >= text.length()) {
                return null;
            }
            int high = Character.digit(text.charAt(i + 1), 16);
            int low = Character.digit(text.charAt(i + 2), 16);
            if (high < 0 || low < 0) {
                return null;
            }
            bytes.write(high * 16 + low);
            literal = i + 3;
        }
        bytes.writeBytes(text.substring(literal).getBytes(StandardCharsets.UTF_8));
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static String clip(String service) {
        return service.length() > MAX_SERVICE ? service.substring(0, MAX_SERVICE - 1) + "…" : service;
    }
}
