package dbtool.plugin.postgres.demo;

import java.util.Map;

/** {@code dbtool demo --scenario pile-up}: a pool grown close to max_connections (the Book, chapter 3). */
public final class PileUpDemo extends StagedDemo {

    public PileUpDemo() {
        super("pile-up", "a connection pool grown to 16 idle sessions on a server with max_connections = 20 (Book, chapter 3)",
                20, Map.of());
    }

    @Override
    String stage(Incident incident) throws Exception {
        incident.idleConnections("web-pool", 16);
        return "16 idle connections of a web pool";
    }
}
