package dbtool.core.run;

import dbtool.spi.TraceContext;
import java.time.Duration;

/**
 * dbtool's own work as traces (issue 22, item 6): spans sent over OTLP when an endpoint is configured
 * the OpenTelemetry way ({@code OTEL_EXPORTER_OTLP_ENDPOINT} or {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}),
 * by the {@code dbtool.tracing} module. Off otherwise, and then no class of OpenTelemetry or of that
 * module is loaded: {@link #process()} only reads two environment variables
 * (docs/decisions/0012-opentelemetry-in-a-layer.md).
 */
public interface Tracing {

    /** Tracing off: every span is {@link TraceSpan#NONE}. */
    Tracing OFF = new Tracing() {
        @Override
        public TraceSpan start(String name, TraceContext parent) {
            return TraceSpan.NONE;
        }

        @Override
        public boolean flush(Duration within) {
            return true;
        }
    };

    /**
     * Starts a span that begins dbtool's part of a trace.
     *
     * @param parent the remote parent (an alert's traceparent), or null: then the process's
     *               {@code TRACEPARENT} environment variable, if any, else a new trace
     */
    TraceSpan start(String name, TraceContext parent);

    /**
     * Sends the spans not sent yet, waiting at most {@code within}: a collector that is down or slow
     * never holds a diagnosis back.
     *
     * @return whether every span was delivered in time
     */
    boolean flush(Duration within);

    /** The tracing of this process, set up on first use from its environment; {@link #OFF} unless configured. */
    static Tracing process() {
        return TracingLoader.PROCESS.get();
    }
}
