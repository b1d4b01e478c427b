/**
 * dbtool's own work as OpenTelemetry traces (issue 22, item 6): each troubleshoot, check and
 * notification a span, sent over OTLP/HTTP with the OpenTelemetry SDK and its JDK HttpClient sender,
 * set up from the OpenTelemetry environment variables.
 *
 * <p>Core looks this module up only when an OTLP endpoint is configured. In the bundle it lives with
 * OpenTelemetry's jars (automatic modules that find their parts by ServiceLoader) in {@code tracing/},
 * a layer of its own, and gets core's packages by {@code Module.addExports} when that layer is made
 * (docs/decisions/0012-opentelemetry-in-a-layer.md).
 */
module dbtool.tracing {
    requires dbtool.core;
    requires io.opentelemetry.api;
    requires io.opentelemetry.context;
    requires io.opentelemetry.sdk.common;
    requires io.opentelemetry.sdk.trace;
    requires io.opentelemetry.exporter.otlp;

    provides dbtool.core.run.TracingProvider with dbtool.tracing.OtlpTracingProvider;
}
