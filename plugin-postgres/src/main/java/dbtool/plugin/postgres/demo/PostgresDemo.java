package dbtool.plugin.postgres.demo;

import dbtool.spi.DemoScenario;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.util.Map;

/**
 * {@code dbtool demo}: a throwaway PostgreSQL with a realistic incident: a blocking chain four
 * sessions deep under an idle-in-transaction head, a long-running report query, and connections
 * near max_connections.
 */
public final class PostgresDemo implements DemoScenario {

    @Override
    public String engine() {
        return "postgresql";
    }

    @Override
    public String description() {
        return "a throwaway PostgreSQL with a blocking chain, a long query and a connection pile-up";
    }

    @Override
    public Running start(PrintStream progress) throws Exception {
        progress.println("demo: starting a throwaway PostgreSQL from this machine's server binaries...");
        LocalCluster cluster;
        try {
            cluster = LocalCluster.start(LocalCluster.Settings.defaults().withMaxConnections(20));
        } catch (IOException e) {
            throw new IOException(e.getMessage(), e);
        }
        Incident incident = new Incident(cluster, "shop");
        try {
            cluster.execute("postgres", "CREATE DATABASE shop");
            cluster.execute("shop", "CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            progress.println("demo: staging an incident on port " + cluster.port()
                    + ": a blocking chain under an idle transaction, a long query, a connection pile-up...");
            incident.blockingChain("accounts", 4);
            incident.longQuery("nightly-report", 3600);
            incident.idleConnections("web-pool", 10);
            // Let the incident age a little, so the long query passes the demo's 1 s threshold.
            Thread.sleep(1500);
        } catch (Exception e) {
            incident.close();
            cluster.close();
            throw e;
        }
        URI url = URI.create(cluster.url("shop"));
        return new Running() {
            private boolean closed;

            @Override
            public URI url() {
                return url;
            }

            @Override
            public Map<String, String> thresholds() {
                return Map.of("long_query_seconds", "1", "lock_wait_critical_seconds", "30");
            }

            @Override
            public synchronized void close() {
                if (!closed) {
                    closed = true;
                    // Stop the server first: waiting sessions then end at once instead of on timeouts.
                    cluster.close();
                    incident.close();
                }
            }
        };
    }
}
