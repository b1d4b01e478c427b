/**
 * Real components for dbtool's tests, used in test scope only: running the built bundle as a
 * user would, free loopback ports, temporary folders, and a MongoDB wire-protocol server that
 * answers the diagnostic commands with recorded replies ({@link dbtool.testkit.mongo.FakeMongod}).
 * (Throwaway PostgreSQL clusters live in the PostgreSQL plugin, whose {@code dbtool demo} needs
 * them at run time.)
 */
module dbtool.testkit {
    requires mongo.java.server.core;
    requires io.netty.transport;
    requires transitive org.mongodb.bson;

    exports dbtool.testkit;
    exports dbtool.testkit.mongo;
}
