package dbtool.tracing;

import dbtool.core.Environment;
import dbtool.core.run.Tracing;
import dbtool.core.run.TracingProvider;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.time.Duration;

/**
 * Builds the SDK by hand from the standard variables rather than with the SDK's autoconfigure module,
 * which would add its jar and look up every exporter, propagator and sampler by ServiceLoader for a
 * tool that only sends spans over OTLP/HTTP. What is read: {@link OtlpSettings}.
 */
public final class OtlpTracingProvider implements TracingProvider {

    /** The provider ServiceLoader creates. */
    public OtlpTracingProvider() {
    }

    @Override
    public Tracing open(Environment environment, String toolVersion) {
        OtlpSettings settings = OtlpSettings.from(environment);
        OtlpHttpSpanExporterBuilder exporter = OtlpHttpSpanExporter.builder()
                .setEndpoint(settings.tracesEndpoint().toString())
                .setTimeout(settings.timeout());
        settings.headers().forEach(exporter::addHeader);
        if (settings.gzip()) {
            exporter.setCompression("gzip");
        }
        AttributesBuilder resource = Attributes.builder();
        settings.resourceAttributes().forEach(resource::put);
        resource.put("service.name", settings.serviceName());
        resource.put("service.version", toolVersion);
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(Resource.create(resource.build()))
                .addSpanProcessor(BatchSpanProcessor.builder(exporter.build())
                        // a command's spans leave at its end (flush); serve's within a second or two
                        .setScheduleDelay(Duration.ofSeconds(2))
                        .build())
                .build();
        return new OtelTracing(provider, environment.get("TRACEPARENT").orElse(null), toolVersion);
    }
}
