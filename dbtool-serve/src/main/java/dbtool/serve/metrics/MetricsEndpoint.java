package dbtool.serve.metrics;

import dbtool.serve.http.Request;
import dbtool.serve.http.Response;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.function.Supplier;

/** {@code GET /metrics}: the Prometheus text format, or OpenMetrics when the scraper asks for it. */
public final class MetricsEndpoint {

    private static final ExpositionFormatWriter OPEN_METRICS = OpenMetricsTextFormatWriter.create();
    private static final ExpositionFormatWriter PROMETHEUS = PrometheusTextFormatWriter.create();

    private final Supplier<MetricSnapshots> snapshots;

    public MetricsEndpoint(Supplier<MetricSnapshots> snapshots) {
        this.snapshots = snapshots;
    }

    public Response handle(Request request) throws IOException {
        String accept = request.header("accept").orElse("");
        ExpositionFormatWriter writer = OPEN_METRICS.accepts(accept) ? OPEN_METRICS : PROMETHEUS;
        ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
        writer.write(body, snapshots.get(), EscapingScheme.fromAcceptHeader(accept, EscapingScheme.UNDERSCORE_ESCAPING));
        return new Response(200, writer.getContentType(), body.toByteArray());
    }
}
