/**
 * dbtool's PostgreSQL plugin: connectivity, locks, resources and running queries, on pgjdbc.
 * Exports nothing: dbtool reaches it only through its services.
 */
module dbtool.plugin.postgres {
    requires dbtool.core;
    requires java.sql;
    requires org.postgresql.jdbc;

    provides dbtool.spi.EnginePlugin with dbtool.plugin.postgres.PostgresPlugin;
    provides dbtool.spi.DemoScenario with dbtool.plugin.postgres.demo.PostgresDemo;
}
