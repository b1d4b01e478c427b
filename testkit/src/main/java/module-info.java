/**
 * Real components for dbtool's tests, used in test scope only: running the built bundle as a
 * user would, free loopback ports, temporary folders, a MongoDB wire-protocol server that
 * answers the diagnostic commands with recorded replies ({@link dbtool.testkit.mongo.FakeMongod}),
 * and a Snowflake REST responder that the real Snowflake JDBC driver logs in to and queries over
 * plain HTTP on loopback, an Active Directory-style LDAP directory and a Vault API server with
 * LDAP login. (Throwaway PostgreSQL clusters live in the PostgreSQL plugin, whose
 * {@code dbtool demo} needs them at run time.)
 */
module dbtool.testkit {
    requires mongo.java.server.core;
    requires io.netty.transport;
    requires transitive org.mongodb.bson;
    requires com.google.gson;
    requires jdk.httpserver;
    requires unboundid.ldapsdk;

    exports dbtool.testkit;
    exports dbtool.testkit.ldap;
    exports dbtool.testkit.mongo;
    exports dbtool.testkit.snowflake;
    exports dbtool.testkit.vault;
}
