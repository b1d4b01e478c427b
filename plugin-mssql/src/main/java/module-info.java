/**
 * dbtool's SQL Server plugin, on jTDS 1.3.1. Exports nothing: dbtool reaches it only through its
 * EnginePlugin service.
 */
module dbtool.plugin.mssql {
    requires dbtool.core;
    requires java.sql;
    // jTDS has no module descriptor: it is the automatic module named after its jar, jtds-1.3.1.jar.
    requires jtds;

    provides dbtool.spi.EnginePlugin with dbtool.plugin.mssql.SqlServerPlugin;
}
