package dbtool.tracing;

import dbtool.core.run.TraceSpan;
import dbtool.core.run.Tracing;
import dbtool.spi.TraceContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Core's tracing on the OpenTelemetry SDK. A span without a parent of its own continues the process's
 * {@code TRACEPARENT} (OpenTelemetry's environment-variable carrier), so a runbook or CI job that runs
 * dbtool inside its own trace sees dbtool's spans there.
 */
final class OtelTracing implements Tracing {

    private final SdkTracerProvider provider;
    private final Tracer tracer;
    /** The process's TRACEPARENT, or null: an invalid one is ignored, as a propagator ignores a bad header. */
    private final TraceContext inherited;

    OtelTracing(SdkTracerProvider provider, String traceparent, String toolVersion) {
        this.provider = provider;
        this.tracer = provider.get("dbtool", toolVersion);
        this.inherited = TraceContext.parseTraceparent(traceparent).orElse(null);
    }

    @Override
    public TraceSpan start(String name, TraceContext parent) {
        TraceContext remote = parent == null ? inherited : parent;
        // A caller that asks dbtool for spans wants them, so the remote parent counts as sampled.
        Context context = remote == null ? Context.root() : Context.root().with(Span.wrap(SpanContext.createFromRemoteParent(
                remote.traceId(), remote.spanId(), TraceFlags.getSampled(), TraceState.getDefault())));
        return new OtelSpan(tracer, tracer.spanBuilder(name).setParent(context).setSpanKind(SpanKind.INTERNAL).startSpan());
    }

    @Override
    public boolean flush(Duration within) {
        return provider.forceFlush().join(within.toMillis(), TimeUnit.MILLISECONDS).isSuccess();
    }
}
