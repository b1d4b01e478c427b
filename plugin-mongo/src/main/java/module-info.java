/**
 * dbtool's MongoDB plugin: connectivity, locks, resources, replication and running operations, on
 * the MongoDB Java driver (sync). Exports nothing: dbtool reaches it only through its service.
 *
 * <p>The driver's jars carry only an Automatic-Module-Name, so in the plugin's layer they are
 * automatic modules: they read every module, including the JDK's jdk.naming.dns (mongodb+srv) and
 * java.security.jgss (GSSAPI), which the launcher resolves in the boot layer.
 */
module dbtool.plugin.mongo {
    requires dbtool.core;
    requires dbtool.toolkit;
    requires java.naming;
    requires org.mongodb.driver.sync.client;
    requires org.mongodb.driver.core;
    requires org.mongodb.bson;

    provides dbtool.spi.EnginePlugin with dbtool.plugin.mongo.MongoPlugin;
}
