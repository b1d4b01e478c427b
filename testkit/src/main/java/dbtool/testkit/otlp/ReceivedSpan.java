package dbtool.testkit.otlp;

import java.util.HexFormat;
import java.util.Map;

/**
 * A span as an OTLP receiver got it.
 *
 * @param traceId       32 lower-case hex digits
 * @param spanId        16 lower-case hex digits
 * @param parentSpanId  16 hex digits, or empty for a root span
 * @param name          the span's name
 * @param attributes    string, boolean, long and double values by key
 * @param statusCode    0 unset, 1 ok, 2 error (OTLP's {@code Status.code})
 * @param statusMessage the status's description, or empty
 * @param startNanos    start, in nanoseconds since the epoch
 * @param endNanos      end, in nanoseconds since the epoch
 * @param resource      the attributes of the resource that sent it ({@code service.name}...)
 */
public record ReceivedSpan(String traceId, String spanId, String parentSpanId, String name, Map<String, Object> attributes,
                           int statusCode, String statusMessage, long startNanos, long endNanos, Map<String, Object> resource) {

    /** OTLP's {@code STATUS_CODE_ERROR}. */
    public static final int ERROR = 2;

    public ReceivedSpan {
        attributes = Map.copyOf(attributes);
        resource = Map.copyOf(resource);
    }

    /** An attribute's value, or null. */
    public Object attribute(String key) {
        return attributes.get(key);
    }

    static String hex(byte[] id) {
        return HexFormat.of().formatHex(id);
    }
}
