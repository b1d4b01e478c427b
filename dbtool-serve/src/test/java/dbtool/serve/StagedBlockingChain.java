package dbtool.serve;

import dbtool.plugin.postgres.demo.Incident;
import dbtool.plugin.postgres.demo.LocalCluster;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What an alert is about in these tests: a throwaway PostgreSQL whose database {@code orders} has a
 * blocking chain, and a configuration file naming it as target {@code orders}.
 */
public final class StagedBlockingChain implements AutoCloseable {

    private final LocalCluster cluster;
    private final Incident incident;
    private final int headPid;

    private StagedBlockingChain(LocalCluster cluster, Incident incident, int headPid) {
        this.cluster = cluster;
        this.incident = incident;
        this.headPid = headPid;
    }

    /**
     * Starts the cluster, stages a chain {@code depth} sessions deep, and writes {@code home/config.json}
     * with the target and {@code alertsBlock} (JSON, or null for none).
     */
    public static StagedBlockingChain start(int depth, Path home, String alertsBlock) throws Exception {
        LocalCluster cluster = LocalCluster.start(LocalCluster.Settings.defaults());
        try {
            cluster.execute("postgres", "CREATE DATABASE orders");
            Incident incident = new Incident(cluster, "orders");
            StagedBlockingChain staged = new StagedBlockingChain(cluster, incident, incident.blockingChain("accounts", depth));
            Files.writeString(home.resolve("config.json"), "{\"targets\": {\"orders\": {\"url\": \"" + cluster.url("orders") + "\"}}"
                    + (alertsBlock == null ? "" : ", \"alerts\": " + alertsBlock) + "}");
            return staged;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** The pid at the root of the chain: what a diagnosis must name. */
    public int headPid() {
        return headPid;
    }

    public int port() {
        return cluster.port();
    }

    @Override
    public void close() {
        incident.close();
        cluster.close();
    }
}
