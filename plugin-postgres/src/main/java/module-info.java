/**
 * dbtool's PostgreSQL plugin: connectivity, locks, resources and running queries, on pgjdbc.
 * Exports nothing: dbtool reaches it only through its services.
 */
module dbtool.plugin.postgres {
    requires dbtool.core;
    requires dbtool.toolkit;
    requires java.sql;
    requires org.postgresql.jdbc;

    // pgjdbc instantiates its TLS socket factory by class name.
    exports dbtool.plugin.postgres.tls to org.postgresql.jdbc;

    provides dbtool.spi.EnginePlugin with dbtool.plugin.postgres.PostgresPlugin;
    // dbtool demo --list shows them in this order; the first, "incident", runs without --scenario
    provides dbtool.spi.DemoScenario with dbtool.plugin.postgres.demo.PostgresDemo, dbtool.plugin.postgres.demo.LockQueueDemo,
            dbtool.plugin.postgres.demo.PileUpDemo, dbtool.plugin.postgres.demo.LongQueryDemo;
}
