package dbtool.plugin.mariadb;

import dbtool.plugin.mariadb.checks.MariaDbChecks;
import dbtool.spi.Check;
import dbtool.spi.Credentials;
import dbtool.spi.EnginePlugin;
import dbtool.spi.EngineSession;
import dbtool.spi.Grant;
import dbtool.spi.SessionSettings;
import dbtool.spi.Target;
import dbtool.spi.TargetConfigurationException;
import dbtool.toolkit.jdbc.JdbcTarget;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import org.mariadb.jdbc.Driver;

/** MariaDB 10.5 to 11 and MySQL 8, on MariaDB Connector/J. */
public final class MariaDbPlugin implements EnginePlugin {

    /** Target options that are dbtool's, not the driver's. */
    static final String HANDSHAKE_PROBE = "handshake_probe";
    /**
     * What a URL or configuration never hands the driver: the properties dbtool sets itself (so they
     * cannot be weakened) and dbtool's own options.
     */
    private static final Set<String> RESERVED = Set.of("user", "password", "connecttimeout", "sockettimeout",
            "connectionattributes", "sessionvariables", "initsql", "allowmultiqueries", "allowlocalinfile", HANDSHAKE_PROBE);

    @Override
    public String id() {
        return "mariadb";
    }

    @Override
    public String displayName() {
        return "MariaDB/MySQL";
    }

    @Override
    public Set<String> schemes() {
        return Set.of("mariadb", "mysql");
    }

    @Override
    public int defaultPort() {
        return 3306;
    }

    @Override
    public List<Check> checks() {
        return MariaDbChecks.all();
    }

    /** MariaDB 10.5+ (MySQL 8: REPLICATION CLIENT instead of SLAVE MONITOR, and SELECT on sys.*). */
    @Override
    public List<Grant> grants() {
        return List.of(
                new Grant("GRANT PROCESS ON *.* TO '{{role}}'@'%'", "every account's sessions in the processlist and InnoDB's "
                        + "transactions and lock waits (without it, only the account's own)"),
                new Grant("GRANT SLAVE MONITOR ON *.* TO '{{role}}'@'%'", "SHOW REPLICA STATUS for the replication check "
                        + "(REPLICATION CLIENT on MySQL 8)"),
                new Grant("GRANT SELECT ON performance_schema.* TO '{{role}}'@'%'", "metadata locks and lock waits "
                        + "(performance_schema holds no table data)"));
    }

    @Override
    public EngineSession open(Target target, Credentials credentials, SessionSettings settings) {
        int port = target.portOr(defaultPort());
        String host = target.host();
        String database = target.database();
        String jdbcUrl = JdbcTarget.url("jdbc:mariadb://", target, defaultPort(), database);

        // Pass-through first (sslMode, serverSslCert, ...), then dbtool's own settings on top.
        Properties properties = JdbcTarget.passThrough(target, RESERVED);
        JdbcTarget.login(properties, credentials, target, "USER", "MYSQL_PWD");
        Duration connect = settings.connectTimeout();
        Duration statement = settings.statementTimeout();
        properties.setProperty("connectTimeout", Long.toString(Math.max(1, connect.toMillis())));
        properties.setProperty("socketTimeout", Long.toString(statement.toMillis() + 5000));
        // Shown in performance_schema.session_connect_attrs, so a DBA can tell dbtool's session apart.
        properties.setProperty("connectionAttributes", "program_name:" + settings.applicationName());
        // A server cannot make dbtool read a local file, and no statement carries a second one.
        properties.setProperty("allowLocalInfile", "false");
        properties.setProperty("allowMultiQueries", "false");
        properties.setProperty("tcpKeepAlive", "true");

        String sslMode = properties.getProperty("sslMode", "");
        boolean tls = !sslMode.isEmpty() && !sslMode.equalsIgnoreCase("disable");
        String probe = target.settings().getOrDefault(HANDSHAKE_PROBE, "on").toLowerCase(Locale.ROOT);
        if (!Set.of("on", "off", "true", "false").contains(probe)) {
            throw new TargetConfigurationException("target " + target.name() + ": option " + HANDSHAKE_PROBE
                    + " must be on or off");
        }
        return new MariaDbSession(new Driver(), jdbcUrl, properties, host, port, database, settings, tls,
                probe.equals("on") || probe.equals("true"));
    }
}
