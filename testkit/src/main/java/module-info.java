/**
 * Real components for dbtool's tests, used in test scope only: running the built bundle as a
 * user would, free loopback ports, temporary folders, a MongoDB wire-protocol server that
 * answers the diagnostic commands with recorded replies ({@link dbtool.testkit.mongo.FakeMongod}),
 * and a Snowflake REST responder that the real Snowflake JDBC driver logs in to and queries over
 * plain HTTP on loopback, a TDS responder that the real jTDS driver logs in to and sends SQL
 * batches to ({@link dbtool.testkit.tds.TdsResponder}), an Active Directory-style LDAP directory
 * ({@link dbtool.testkit.ldap.AdDirectory}), a Vault API server with Kerberos and LDAP logins, and
 * Apache Kerby's KDC
 * ({@link dbtool.testkit.kdc.TestKdc}: Kerby's jars split packages between them, so they stay
 * unnamed on the class path and this module reads them through
 * {@code --add-reads dbtool.testkit=ALL-UNNAMED} at compile time), and running a plugin's checks
 * through core's runner as {@code dbtool troubleshoot} does ({@link dbtool.testkit.PluginRun},
 * {@link dbtool.testkit.Reports}; core's run and report packages are exported to testkit at compile
 * time only), throwaway MariaDB servers with staged incidents ({@link dbtool.testkit.mariadb.LocalMariaDb},
 * {@link dbtool.testkit.mariadb.MariaDbIncident}), a throwaway Prometheus server and promtool
 * ({@link dbtool.testkit.prometheus.LocalPrometheus}), a real Prometheus Alertmanager delivering webhooks
 * ({@link dbtool.testkit.alertmanager.LocalAlertmanager}), the notification services triage talks to, checking each
 * request against the service's documented fields and limits and answering as it does, 429 and 5xx included
 * (Slack, PagerDuty, GitHub, Jira: {@link dbtool.testkit.notify}), Grafana's dashboard import API
 * ({@link dbtool.testkit.grafana.GrafanaTestServer}), an OpenTelemetry collector's OTLP/HTTP traces endpoint
 * that decodes the spans it is sent ({@link dbtool.testkit.otlp.OtlpReceiver}). (Throwaway PostgreSQL clusters live in the PostgreSQL plugin, whose
 * {@code dbtool demo} needs them at run time.)
 */
module dbtool.testkit {
    requires transitive dbtool.core;
    requires mongo.java.server.core;
    requires io.netty.transport;
    requires transitive org.mongodb.bson;
    // Transitive: the Vault test server's login endpoints (LoginEndpoint, LdapLoginEndpoint) take and
    // return Gson's JsonObject and the JDK HTTP server's Headers, so a test that writes one needs both.
    requires transitive com.google.gson;
    requires transitive jdk.httpserver;
    requires java.security.jgss;
    requires transitive unboundid.ldapsdk;
    requires transitive java.sql;
    requires java.net.http;

    exports dbtool.testkit;
    exports dbtool.testkit.ldap;
    exports dbtool.testkit.mongo;
    exports dbtool.testkit.snowflake;
    exports dbtool.testkit.tds;
    exports dbtool.testkit.vault;
    exports dbtool.testkit.kdc;
    exports dbtool.testkit.mariadb;
    exports dbtool.testkit.prometheus;
    exports dbtool.testkit.alertmanager;
    exports dbtool.testkit.grafana;
    exports dbtool.testkit.notify;
    exports dbtool.testkit.otlp;
}
