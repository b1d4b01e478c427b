package dbtool.core.run;

/**
 * One unit of dbtool's own work (a troubleshoot, a check, a notification) as a span of the trace
 * the tracing module sends over OTLP. Attributes carry names, counts and outcomes only: never a
 * secret, a URL with credentials, or SQL text. Not thread-safe beyond what OpenTelemetry's spans are.
 */
public interface TraceSpan {

    /** A span that records nothing: what every span is while tracing is off. */
    TraceSpan NONE = new TraceSpan() {
        @Override
        public TraceSpan child(String name) {
            return this;
        }

        @Override
        public TraceSpan set(String key, String value) {
            return this;
        }

        @Override
        public TraceSpan set(String key, long value) {
            return this;
        }

        @Override
        public void fail(String description) {
        }

        @Override
        public void end() {
        }
    };

    /** Starts a span below this one. */
    TraceSpan child(String name);

    /** Sets an attribute; a null value is left out. */
    TraceSpan set(String key, String value);

    /** Sets a numeric attribute. */
    TraceSpan set(String key, long value);

    /** Marks the span's work as failed (OpenTelemetry's ERROR status), with a description that holds no secret. */
    void fail(String description);

    /** Ends the span; it is sent with the next batch. */
    void end();
}
