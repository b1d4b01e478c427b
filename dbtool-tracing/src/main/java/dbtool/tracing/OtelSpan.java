package dbtool.tracing;

import dbtool.core.run.TraceSpan;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;

/** One OpenTelemetry span behind core's {@link TraceSpan}. */
final class OtelSpan implements TraceSpan {

    private final Tracer tracer;
    private final Span span;

    OtelSpan(Tracer tracer, Span span) {
        this.tracer = tracer;
        this.span = span;
    }

    @Override
    public TraceSpan child(String name) {
        return new OtelSpan(tracer, tracer.spanBuilder(name).setParent(Context.root().with(span)).startSpan());
    }

    @Override
    public TraceSpan set(String key, String value) {
        if (value != null) {
            span.setAttribute(key, value);
        }
        return this;
    }

    @Override
    public TraceSpan set(String key, long value) {
        span.setAttribute(key, value);
        return this;
    }

    @Override
    public void fail(String description) {
        span.setStatus(StatusCode.ERROR, description);
    }

    @Override
    public void end() {
        span.end();
    }
}
