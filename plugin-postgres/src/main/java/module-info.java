/**
 * dbtool's PostgreSQL plugin: connectivity, locks, resources and running queries, on pgjdbc.
 * Exports nothing to plugins: dbtool reaches it through its services. {@code dbtool change} starts
 * its throwaway clone clusters with the demo's {@code LocalCluster}, by reflection from the boot
 * layer ("module": dbtool.change is built after this plugin, so javac cannot see it here).
 */
@SuppressWarnings("module")
module dbtool.plugin.postgres {
    requires dbtool.core;
    requires dbtool.toolkit;
    requires java.sql;
    requires org.postgresql.jdbc;

    // pgjdbc instantiates its TLS socket factory by class name.
    exports dbtool.plugin.postgres.tls to org.postgresql.jdbc;
    exports dbtool.plugin.postgres.demo to dbtool.change;

    provides dbtool.spi.EnginePlugin with dbtool.plugin.postgres.PostgresPlugin;
    // dbtool demo --list shows them in this order; the first, "incident", runs without --scenario
    provides dbtool.spi.DemoScenario with dbtool.plugin.postgres.demo.PostgresDemo, dbtool.plugin.postgres.demo.LockQueueDemo,
            dbtool.plugin.postgres.demo.PileUpDemo, dbtool.plugin.postgres.demo.LongQueryDemo;
}
