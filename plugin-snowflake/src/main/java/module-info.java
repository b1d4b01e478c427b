/** dbtool's Snowflake plugin. Exports nothing: dbtool reaches it only through its EnginePlugin service. */
module dbtool.plugin.snowflake {
    requires dbtool.core;

    provides dbtool.spi.EnginePlugin with dbtool.plugin.snowflake.SnowflakePlugin;
}
