package dbtool.plugin.mssql;

import dbtool.spi.SessionSettings;
import dbtool.spi.Target;
import java.util.Properties;
import java.util.function.IntFunction;

/**
 * Builds the URL and properties for each driver from one target: the same safety settings
 * (application name, login and socket timeouts), each in the driver's own words.
 */
public final class JdbcConnections {

    private JdbcConnections() {
    }

    /**
     * @param user     the login, or null
     * @param password the password, or null; goes into the properties only
     */
    public static JdbcConnection describe(Target target, int port, SqlServerOptions options, IntegratedLogin login, String user,
                                          String password, SessionSettings settings) {
        return options.driver() == DriverKind.JTDS ? jtds(target, port, options, login, user, password, settings)
                : mssqlJdbc(target, port, options, login, user, password, settings);
    }

    private static String database(Target target) {
        return target.database().isEmpty() ? "master" : target.database();
    }

    static JdbcConnection jtds(Target target, int port, SqlServerOptions options, IntegratedLogin login, String user, String password,
                               SessionSettings settings) {
        String host = target.host();
        String database = database(target);
        // Always a port, never jTDS's "instance" property: the session asks SQL Browser itself for a named
        // instance's port (its own timed stage), where jTDS would silently fall back to 1433.
        IntFunction<String> url = p -> "jdbc:jtds:sqlserver://" + host + ":" + p + "/" + database;
        Properties properties = new Properties();
        credentials(properties, login, user, password);
        properties.setProperty("appName", settings.applicationName());
        properties.setProperty("progName", settings.applicationName());
        // jTDS counts both timeouts in seconds.
        properties.setProperty("loginTimeout", Long.toString(Math.max(1, settings.connectTimeout().toSeconds())));
        properties.setProperty("socketTimeout", Long.toString(settings.statementTimeout().toSeconds() + 5));
        // nvarchar(max) as String, not Clob: the deadlock check reads system_health's XML as text.
        properties.setProperty("useLOBs", "false");
        // jTDS cannot speak TLS 1.2+; servers that force encryption refuse it (docs/sqlserver.md).
        properties.setProperty("ssl", options.get("ssl").orElse("off"));
        return new JdbcConnection(DriverKind.JTDS, port, url, properties);
    }

    static JdbcConnection mssqlJdbc(Target target, int port, SqlServerOptions options, IntegratedLogin login, String user,
                                    String password, SessionSettings settings) {
        // Always host:port, never instanceName: as for jTDS, the session asks SQL Browser for a named
        // instance's port itself, so both drivers show the same timed stages and the same findings.
        StringBuilder rest = new StringBuilder();
        rest.append(";databaseName=").append(value(database(target)));
        rest.append(";applicationName=").append(value(settings.applicationName()));
        rest.append(";loginTimeout=").append(Math.max(1, settings.connectTimeout().toSeconds()));
        // Microsoft's default since 10.2 is to encrypt and verify the certificate; keep it unless the target says otherwise.
        rest.append(";encrypt=").append(value(options.get("encrypt").orElse("true")));
        rest.append(";trustServerCertificate=").append(value(options.get("trustServerCertificate").orElse("false")));
        options.get("hostNameInCertificate").ifPresent(name -> rest.append(";hostNameInCertificate=").append(value(name)));
        String host = target.host();
        String settingsPart = rest.toString();
        IntFunction<String> url = p -> "jdbc:sqlserver://" + host + ":" + p + settingsPart;
        Properties properties = new Properties();
        credentials(properties, login, user, password);
        // mssql-jdbc counts the socket timeout in milliseconds.
        properties.setProperty("socketTimeout", Long.toString((settings.statementTimeout().toSeconds() + 5) * 1000));
        // No applicationIntent=ReadOnly: behind an AG listener it would route dbtool to a secondary,
        // away from the server being diagnosed. The session is read-only by what it runs.
        return new JdbcConnection(DriverKind.MSSQL_JDBC, port, url, properties);
    }

    private static void credentials(Properties properties, IntegratedLogin login, String user, String password) {
        login.properties().forEach(properties::setProperty);
        if (login.sendUser()) {
            if (user != null) {
                properties.setProperty("user", user);
            }
            if (password != null) {
                properties.setProperty("password", password);
            }
        }
    }

    /** mssql-jdbc's URL quoting: a value holding ; = { or } goes in braces, with } doubled. */
    static String value(String raw) {
        if (raw.chars().anyMatch(c -> c == ';' || c == '=' || c == '{' || c == '}')) {
            return "{" + raw.replace("}", "}}") + "}";
        }
        return raw;
    }
}
