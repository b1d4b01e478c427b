/** dbtool's SQL Server plugin. Exports nothing: dbtool reaches it only through its EnginePlugin service. */
module dbtool.plugin.mssql {
    requires dbtool.core;

    provides dbtool.spi.EnginePlugin with dbtool.plugin.mssql.SqlServerPlugin;
}
