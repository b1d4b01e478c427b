/**
 * dbtool's MariaDB and MySQL plugin: connectivity, InnoDB and metadata lock waits, long queries,
 * connection headroom, buffer pool and replication, on MariaDB Connector/J. Built only on what
 * core exports to every plugin ({@code dbtool.spi}), as a third-party plugin would be. Exports
 * nothing: dbtool reaches it only through its service.
 */
module dbtool.plugin.mariadb {
    requires dbtool.core;
    requires java.sql;
    requires org.mariadb.jdbc;

    provides dbtool.spi.EnginePlugin with dbtool.plugin.mariadb.MariaDbPlugin;
}
