/**
 * dbtool's SQL Server plugin, on jTDS 1.3.1, or on Microsoft's mssql-jdbc dropped into the plugin's
 * folder. Exports nothing: dbtool reaches it only through its EnginePlugin service.
 */
module dbtool.plugin.mssql {
    requires dbtool.core;
    requires dbtool.toolkit;
    requires java.sql;
    // The scheduler ring buffer and the system_health deadlock reports arrive as XML.
    requires java.xml;
    // jTDS has no module descriptor: it is the automatic module named after its jar, jtds-1.3.1.jar.
    requires jtds;

    // mssql-jdbc is found as a java.sql.Driver provider of this plugin's layer, never required.
    uses java.sql.Driver;

    provides dbtool.spi.EnginePlugin with dbtool.plugin.mssql.SqlServerPlugin;
}
