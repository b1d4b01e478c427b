package dbtool.plugin.mongo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.bson.BsonBinary;
import org.bson.BsonTimestamp;
import org.bson.Document;
import org.bson.UuidRepresentation;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import org.bson.types.Binary;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;

/**
 * Reading server replies, whose field types vary by version (a count is an int on one server and
 * a long or double on the next) and whose fields come and go between 4.4 and 8.0: every accessor
 * takes a dotted path and tolerates absence.
 */
public final class Docs {

    private static final JsonWriterSettings SHELL = JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build();
    private static final Pattern SECRET_KEY = Pattern.compile("(?i).*(pwd|password|passwd|secret|token|key ?material).*");

    private Docs() {
    }

    /** The value at a dotted path, or null. */
    public static Object get(Document document, String path) {
        Object value = document;
        for (String part : path.split("\\.")) {
            if (!(value instanceof Map<?, ?> map)) {
                return null;
            }
            value = map.get(part);
        }
        return value;
    }

    public static boolean has(Document document, String path) {
        return get(document, path) != null;
    }

    /** A number at the path, whatever its BSON type. */
    public static Optional<Double> number(Document document, String path) {
        return switch (get(document, path)) {
            // Decimal128 is a Number too.
            case Number number -> Optional.of(number.doubleValue());
            case null, default -> Optional.empty();
        };
    }

    public static long longValue(Document document, String path) {
        return number(document, path).map(Double::longValue).orElse(0L);
    }

    public static double doubleValue(Document document, String path) {
        return number(document, path).orElse(0.0);
    }

    public static String text(Document document, String path) {
        Object value = get(document, path);
        return value == null ? "" : value instanceof Document d ? d.toJson(SHELL) : value.toString();
    }

    public static boolean bool(Document document, String path) {
        Object value = get(document, path);
        return Boolean.TRUE.equals(value) || value instanceof Number n && n.intValue() != 0;
    }

    /** The sub-document at the path, or an empty one. */
    public static Document doc(Document document, String path) {
        return get(document, path) instanceof Document sub ? sub : new Document();
    }

    /** The documents of the array at the path (other elements skipped), or an empty list. */
    public static List<Document> docs(Document document, String path) {
        List<Document> result = new ArrayList<>();
        if (get(document, path) instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Document d) {
                    result.add(d);
                }
            }
        }
        return result;
    }

    /** A date (BSON date, or timestamp seconds), or empty. */
    public static Optional<Instant> instant(Document document, String path) {
        return switch (get(document, path)) {
            case Date date -> Optional.of(date.toInstant());
            case BsonTimestamp ts -> Optional.of(Instant.ofEpochSecond(ts.getTime()));
            case Document d when d.get("ts") instanceof BsonTimestamp ts -> Optional.of(Instant.ofEpochSecond(ts.getTime()));
            case null, default -> Optional.empty();
        };
    }

    /** A value as JSON-friendly JDK types, for evidence (dates as ISO text, ids as hex or UUID text). */
    public static Object plain(Object value) {
        return switch (value) {
            case null -> null;
            case Document d -> {
                Map<String, Object> map = new LinkedHashMap<>();
                d.forEach((k, v) -> map.put(k, SECRET_KEY.matcher(k).matches() ? "****" : plain(v)));
                yield map;
            }
            case List<?> list -> list.stream().map(Docs::plain).toList();
            case Date date -> date.toInstant().toString();
            case ObjectId id -> id.toHexString();
            case BsonTimestamp ts -> Instant.ofEpochSecond(ts.getTime()).toString();
            case Decimal128 decimal -> decimal.doubleValue();
            case Binary binary when binary.getType() == 4 -> uuid(binary);
            case Binary binary -> "binary(" + binary.length() + " bytes)";
            case Number number -> number;
            case Boolean bool -> bool;
            case String text -> text;
            default -> value.toString();
        };
    }

    /** Arguments drivers add to every command; they say nothing about what it does. */
    private static final Set<String> GENERIC = Set.of("lsid", "$db", "$clusterTime", "$readPreference", "txnNumber",
            "autocommit", "startTransaction", "$audit", "apiVersion", "apiStrict", "$client", "$configTime", "$topologyTime", "mayBypassWriteBlocking");

    /** A command or query as the shell shows it, secrets masked, driver arguments left out, cut to {@code max} characters. */
    public static String shell(Document command, int max) {
        Document masked = mask(command);
        GENERIC.forEach(masked::remove);
        String json = masked.toJson(SHELL).replaceAll("\\s+", " ");
        return json.length() > max ? json.substring(0, max - 1) + "…" : json;
    }

    /** The logical session id of a currentOp entry ({@code lsid.id}), as UUID text, or empty. */
    public static String sessionId(Document op) {
        Object id = get(op, "lsid.id");
        if (id instanceof Binary binary && binary.getType() == 4) {
            return uuid(binary);
        }
        if (id instanceof UUID uuid) {
            return uuid.toString();
        }
        return "";
    }

    private static String uuid(Binary binary) {
        return new BsonBinary(binary.getType(), binary.getData()).asUuid(UuidRepresentation.STANDARD).toString();
    }

    private static Document mask(Document document) {
        Document masked = new Document();
        for (Map.Entry<String, Object> entry : document.entrySet()) {
            Object value = entry.getValue();
            if (SECRET_KEY.matcher(entry.getKey()).matches()) {
                masked.put(entry.getKey(), "****");
            } else if (value instanceof Document sub) {
                masked.put(entry.getKey(), mask(sub));
            } else {
                masked.put(entry.getKey(), value);
            }
        }
        return masked;
    }
}
