package dbtool.logs.rules;

import dbtool.logs.read.LogEntry;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** MongoDB's causes, by the structured log's message ("msg", itself a template) and id (4.4 to 8.0). */
final class MongoRules implements LogRules {

    private final Cause auth = new Cause("MONGO_LOG_AUTH_FAILURES", Severity.WARNING);
    private final Cause connections = new Cause("MONGO_LOG_TOO_MANY_CONNECTIONS", Severity.CRITICAL);
    private final Cause slow = new Cause("MONGO_LOG_SLOW_QUERIES", Severity.WARNING);
    private final Cause storage = new Cause("MONGO_LOG_STORAGE_ERRORS", Severity.CRITICAL);
    private final Cause fatal = new Cause("MONGO_LOG_FATAL", Severity.CRITICAL);
    private long maxMillis;

    @Override
    public boolean benign(LogEntry e) {
        String m = e.message();
        return m.equals("Connection accepted") || m.equals("Connection ended") || m.equals("client metadata")
                || m.startsWith("Successfully authenticated") || m.equals("Authentication succeeded")
                || m.equals("Received first command on ingress connection since session start or auth handshake")
                || (m.equals("WiredTiger message") && e.fields().toString().contains("checkpoint"));
    }

    @Override
    public void accept(LogEntry e) {
        String m = e.message();
        String id = e.code() == null ? "" : e.code();
        if (m.startsWith("Authentication failed") || id.equals("20249") || id.equals("5286307")) {
            auth.seen(e);
            auth.count("byUser", e.field("user") != null ? e.field("user") : e.field("principalName"));
            String remote = e.field("remote") != null ? e.field("remote") : e.field("client");
            auth.count("byHost", remote == null ? null : remote.replaceFirst(":\\d+$", ""));
        } else if (id.equals("22942") || m.startsWith("Connection refused because there are too many open connections")) {
            connections.seen(e);
        } else if (id.equals("51803") || m.equals("Slow query")) {
            slow.seen(e);
            slow.count("byNamespace", e.field("ns"));
            try {
                maxMillis = Math.max(maxMillis, Long.parseLong(e.field("durationMillis")));
            } catch (NumberFormatException | NullPointerException ignored) {
                // a slow query without its duration still counts
            }
        } else if (m.startsWith("WiredTiger error") || m.contains("No space left on device") || m.startsWith("Out of memory")) {
            storage.seen(e);
        } else if ("F".equals(e.severity()) || m.startsWith("Fatal assertion")) {
            fatal.seen(e);
        }
    }

    @Override
    public List<Finding> findings() {
        List<Finding> findings = new ArrayList<>();
        if (auth.count() > 0) {
            findings.add(auth.finding("Failed authentications: " + auth.count(), "Clients failed SCRAM, x.509 or Kerberos authentication.",
                    "Match 'byUser' and 'byHost' to their applications and fix their credentials; block guessing hosts.", null));
        }
        if (connections.count() > 0) {
            findings.add(connections.finding("Connections refused: too many open connections (" + connections.count() + ")",
                    "mongod reached net.maxIncomingConnections or its file descriptor limit.",
                    "Lower the drivers' maxPoolSize across application instances, or raise the limit with the ulimit to match.", null));
        }
        if (slow.count() > 0) {
            findings.add(slow.finding("Slow queries: " + slow.count() + " (longest " + maxMillis + " ms)",
                    "Operations slower than slowms were logged.", "Explain the slowest in 'byNamespace' and add the index they lack.", Map.of("maxDurationMillis", maxMillis)));
        }
        if (storage.count() > 0) {
            findings.add(storage.finding("Storage errors: " + storage.count(), "WiredTiger reported errors, the disk is full, or memory ran out.",
                    "Check the data volume's free space and health before restarting mongod.", null));
        }
        if (fatal.count() > 0) {
            findings.add(fatal.finding("Fatal errors: " + fatal.count(), "mongod hit a fatal assertion or error and stopped.",
                    "Read the lines before the first example; check the storage and the version's known issues.", null));
        }
        findings.sort(Comparator.comparingInt((Finding f) -> -f.severity().rank()));
        return findings;
    }
}
