/** dbtool's MongoDB plugin. Exports nothing: dbtool reaches it only through its EnginePlugin service. */
module dbtool.plugin.mongo {
    requires dbtool.core;

    provides dbtool.spi.EnginePlugin with dbtool.plugin.mongo.MongoPlugin;
}
