/**
 * dbtool's Snowflake plugin: connectivity, warehouses, blocked transactions, queued load,
 * spilling, credits and long queries, on Snowflake JDBC. Exports nothing: dbtool reaches it only
 * through its EnginePlugin service.
 *
 * <p>The driver jar declares no module name, so it is the automatic module {@code snowflake.jdbc},
 * named after its file (snowflake-jdbc-VERSION.jar): the bundle must keep that file name.
 */
module dbtool.plugin.snowflake {
    requires dbtool.core;
    requires dbtool.toolkit;
    requires java.sql;
    requires snowflake.jdbc;

    provides dbtool.spi.EnginePlugin with dbtool.plugin.snowflake.SnowflakePlugin;
}
