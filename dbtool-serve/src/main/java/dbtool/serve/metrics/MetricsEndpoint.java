package dbtool.serve.metrics;

import dbtool.serve.http.Request;
import dbtool.serve.http.Response;
import dbtool.serve.schedule.Sample;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * {@code GET /metrics}: the Prometheus text format, or OpenMetrics when the scraper asks for it.
 *
 * <p>A scrape costs a lookup, not a rebuild: the families derived from the samples change only when a
 * run ends, so they are built, and written in each format asked for, once per new set of samples and
 * the bytes reused by every scrape until the next run ends. Only the server's own few counters
 * (runs, requests, load) are written at each scrape and appended.
 */
public final class MetricsEndpoint {

    private static final ExpositionFormatWriter OPEN_METRICS = OpenMetricsTextFormatWriter.create();
    private static final ExpositionFormatWriter PROMETHEUS = PrometheusTextFormatWriter.create();
    private static final byte[] OPEN_METRICS_EOF = "# EOF\n".getBytes(StandardCharsets.US_ASCII);

    private final Supplier<? extends Collection<Sample>> samples;
    private final Supplier<ServeMetrics.ServerCounters> server;
    private volatile Written written = new Written(List.of(), List.of());
    private final LongAdder builds = new LongAdder();

    /**
     * @param samples the last sample of each target, as the state has them now
     * @param server  the server's own counters, read at each scrape
     */
    public MetricsEndpoint(Supplier<? extends Collection<Sample>> samples, Supplier<ServeMetrics.ServerCounters> server) {
        this.samples = samples;
        this.server = server;
    }

    public Response handle(Request request) throws IOException {
        String accept = request.header("accept").orElse("");
        ExpositionFormatWriter writer = OPEN_METRICS.accepts(accept) ? OPEN_METRICS : PROMETHEUS;
        EscapingScheme escaping = EscapingScheme.fromAcceptHeader(accept, EscapingScheme.UNDERSCORE_ESCAPING);
        List<Sample> now = List.copyOf(samples.get());
        Written current = written;
        if (!current.isOf(now)) {
            current = new Written(now, ServeMetrics.sampleFamilies(now));
            builds.increment();
            written = current; // a concurrent scrape may build the same: both are right, one is kept
        }
        byte[] sampled = current.bytes(writer, escaping);
        ByteArrayOutputStream body = new ByteArrayOutputStream(sampled.length + 1024);
        body.write(sampled);
        writer.write(body, new MetricSnapshots(ServeMetrics.serverFamilies(now.size(), server.get())), escaping);
        return new Response(200, writer.getContentType(), body.toByteArray());
    }

    /** How many times the sample-derived families were built: once per new set of samples, not per scrape. */
    long builds() {
        return builds.sum();
    }

    /**
     * The sample-derived families of one set of samples, and their exposition per format and escaping,
     * written on first use. OpenMetrics' closing {@code # EOF} is left off: the server's families follow,
     * and their writing closes the body.
     */
    private record Written(List<Sample> samples, List<MetricSnapshot> families, Map<String, byte[]> bytes) {

        Written(List<Sample> samples, List<MetricSnapshot> families) {
            this(samples, families, new ConcurrentHashMap<>());
        }

        /** The same samples, by identity: a sample is replaced, never changed, when a run ends. */
        @SuppressWarnings("ReferenceEquality") // identity is the point: equal reports of two runs are two samples
        boolean isOf(List<Sample> now) {
            if (now.size() != samples.size()) {
                return false;
            }
            for (int i = 0; i < now.size(); i++) {
                if (now.get(i) != samples.get(i)) {
                    return false;
                }
            }
            return true;
        }

        byte[] bytes(ExpositionFormatWriter writer, EscapingScheme escaping) throws IOException {
            String key = writer.getContentType() + ";" + escaping.name();
            byte[] cached = bytes.get(key);
            if (cached == null) {
                ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
                writer.write(out, new MetricSnapshots(families), escaping);
                cached = withoutEof(out.toByteArray());
                bytes.put(key, cached);
            }
            return cached;
        }

        private static byte[] withoutEof(byte[] written) {
            int start = written.length - OPEN_METRICS_EOF.length;
            if (start >= 0 && Arrays.equals(written, start, written.length, OPEN_METRICS_EOF, 0, OPEN_METRICS_EOF.length)) {
                return Arrays.copyOf(written, start);
            }
            return written;
        }
    }
}
