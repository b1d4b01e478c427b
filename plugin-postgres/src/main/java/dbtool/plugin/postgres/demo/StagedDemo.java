package dbtool.plugin.postgres.demo;

import dbtool.spi.DemoScenario;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.util.Map;

/**
 * What every PostgreSQL demo scenario does around its incident: a throwaway cluster with a
 * database {@code shop}, the incident staged by the subclass, and everything stopped and deleted
 * when the demo ends. One subclass per scenario, each a service of its own ({@code module-info}).
 */
abstract class StagedDemo implements DemoScenario {

    private final String name;
    private final String description;
    private final int maxConnections;
    private final Map<String, String> thresholds;

    /**
     * @param thresholds threshold overrides: a freshly staged incident is seconds old, so the time
     *                   thresholds that would hide it are scaled down
     */
    StagedDemo(String name, String description, int maxConnections, Map<String, String> thresholds) {
        this.name = name;
        this.description = description;
        this.maxConnections = maxConnections;
        this.thresholds = thresholds;
    }

    /** Stages the incident; returns a phrase for the progress line ("a blocking chain ..."). */
    abstract String stage(Incident incident) throws Exception;

    @Override
    public final String engine() {
        return "postgresql";
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final Running start(PrintStream progress) throws Exception {
        progress.println("demo: starting a throwaway PostgreSQL from this machine's server binaries...");
        LocalCluster cluster;
        try {
            cluster = LocalCluster.start(LocalCluster.Settings.defaults().withMaxConnections(maxConnections));
        } catch (IOException e) {
            throw new IOException(e.getMessage(), e);
        }
        Incident incident = new Incident(cluster, "shop");
        try {
            cluster.execute("postgres", "CREATE DATABASE shop");
            cluster.execute("shop", "CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            progress.println("demo: staging an incident on port " + cluster.port() + ": " + stage(incident) + "...");
            // Let the incident age a little, so that it passes the scaled-down time thresholds.
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
                return thresholds;
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
