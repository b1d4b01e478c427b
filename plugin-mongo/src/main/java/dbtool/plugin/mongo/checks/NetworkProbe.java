package dbtool.plugin.mongo.checks;

import dbtool.plugin.mongo.MongoErrors;
import dbtool.plugin.mongo.MongoSession;
import dbtool.plugin.mongo.MongoUrl;
import dbtool.spi.CheckContext;
import dbtool.toolkit.Stages;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * The network stages before the driver: name resolution and a TCP connection to each seed (in
 * parallel, so one dead member costs one timeout, not one each), then a TLS handshake with the
 * same context and host name checks the driver uses. Failing here is faster and says more than a
 * server selection timeout.
 */
final class NetworkProbe {

    /** A seed that accepted a TCP connection. */
    record Reached(String host, InetAddress address, int port) {
        boolean loopback() {
            return address.isLoopbackAddress();
        }
    }

    private static final int MAX_SEEDS = 7;

    private final MongoSession session;
    private final CheckContext context;
    private final List<String> failures = new ArrayList<>();
    private final Map<String, Object> tlsDetails = new LinkedHashMap<>();
    private MongoErrors.Cause worst = MongoErrors.Cause.UNREACHABLE;

    NetworkProbe(MongoSession session, CheckContext context) {
        this.session = session;
        this.context = context;
    }

    List<Reached> reach(List<String> hosts, Stages stages) {
        List<String> seeds = hosts.stream().limit(MAX_SEEDS).toList();
        long start = stages.begin(Stages.DNS);
        List<InetSocketAddress> resolved = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String seed : seeds) {
            String host = MongoUrl.hostOf(seed);
            try {
                resolved.add(new InetSocketAddress(InetAddress.getByName(host), MongoUrl.portOf(seed)));
                names.add(seed);
            } catch (UnknownHostException e) {
                failures.add(seed + ": host name does not resolve");
            } catch (IllegalArgumentException e) {
                failures.add(seed + ": " + e.getMessage());
            }
        }
        stages.add("dns", start, resolved.isEmpty() ? "failed: " + String.join("; ", failures)
                : resolved.stream().map(a -> a.getAddress().getHostAddress()).toList() + (failures.isEmpty() ? "" : "; " + String.join("; ", failures)));
        if (resolved.isEmpty()) {
            worst = MongoErrors.Cause.UNKNOWN_HOST;
            return List.of();
        }

        start = stages.begin(Stages.TCP);
        int timeout = timeoutMillis();
        List<Reached> reached = new ArrayList<>();
        List<String> results = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> attempts = new ArrayList<>();
            for (InetSocketAddress address : resolved) {
                attempts.add(executor.submit(() -> connect(address, timeout)));
            }
            for (int i = 0; i < attempts.size(); i++) {
                String seed = names.get(i);
                String error;
                try {
                    error = attempts.get(i).get();
                } catch (Exception e) {
                    error = "failed: " + e.getMessage();
                }
                if (error == null) {
                    reached.add(new Reached(MongoUrl.hostOf(seed), resolved.get(i).getAddress(), resolved.get(i).getPort()));
                    results.add(seed + " connected");
                } else {
                    failures.add(seed + ": " + error);
                    results.add(seed + " " + error);
                    if (error.contains("timed out")) {
                        worst = MongoErrors.Cause.TIMEOUT;
                    }
                }
            }
        }
        stages.add("tcp", start, String.join("; ", results));
        return reached;
    }

    private static String connect(InetSocketAddress address, int timeout) {
        try (Socket socket = new Socket()) {
            socket.connect(address, timeout);
            return null;
        } catch (SocketTimeoutException e) {
            return "timed out after " + timeout + " ms";
        } catch (IOException e) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
    }

    /** Handshakes with one seed; returns null when it worked, else the reason. */
    String tls(Reached seed, Stages stages) {
        long start = stages.begin(Stages.TLS);
        int timeout = timeoutMillis();
        try (Socket raw = new Socket()) {
            raw.connect(new InetSocketAddress(seed.address(), seed.port()), timeout);
            raw.setSoTimeout(timeout);
            SSLSocket socket = (SSLSocket) session.sslContext().getSocketFactory().createSocket(raw, seed.host(), seed.port(), true);
            SSLParameters parameters = socket.getSSLParameters();
            if (!session.tlsAllowInvalidHostnames()) {
                // The driver checks the host name the same way.
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
            }
            if (!Character.isDigit(seed.host().charAt(0)) && !seed.host().contains(":")) {
                parameters.setServerNames(List.of(new SNIHostName(seed.host())));
            }
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            SSLSession ssl = socket.getSession();
            tlsDetails.put("protocol", ssl.getProtocol() + " " + ssl.getCipherSuite());
            Certificate[] chain = ssl.getPeerCertificates();
            if (chain.length > 0 && chain[0] instanceof X509Certificate certificate) {
                tlsDetails.put("subject", certificate.getSubjectX500Principal().getName());
                tlsDetails.put("notAfter", certificate.getNotAfter().toInstant().toString());
                tlsDetails.put("certificateDaysLeft", Duration.between(Instant.now(), certificate.getNotAfter().toInstant()).toDays());
            }
            stages.add("tls", start, String.valueOf(tlsDetails.get("protocol")));
            return null;
        } catch (IOException | GeneralSecurityException e) {
            String reason = session.secrets().describe(e);
            stages.add("tls", start, "failed: " + reason);
            return reason;
        }
    }

    Map<String, Object> tlsDetails() {
        return tlsDetails;
    }

    MongoErrors.Cause worstCause() {
        return worst;
    }

    String summary() {
        return String.join("; ", failures);
    }

    private int timeoutMillis() {
        return (int) Math.max(100, Math.min(session.connectTimeout().toMillis(), context.remaining().toMillis()));
    }
}
