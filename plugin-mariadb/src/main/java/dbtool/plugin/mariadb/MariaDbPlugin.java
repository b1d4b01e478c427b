package dbtool.plugin.mariadb;

import dbtool.plugin.mariadb.checks.MariaDbChecks;
import dbtool.spi.Check;
import dbtool.spi.Credentials;
import dbtool.spi.EnginePlugin;
import dbtool.spi.EngineSession;
import dbtool.spi.SessionSettings;
import dbtool.spi.Target;
import dbtool.spi.TargetConfigurationException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.mariadb.jdbc.Driver;

/** MariaDB 10.5 to 11 and MySQL 8, on MariaDB Connector/J. */
public final class MariaDbPlugin implements EnginePlugin {

    /** Driver properties dbtool sets itself; a URL or configuration cannot weaken them. */
    private static final Set<String> OWN_PROPERTIES = Set.of("user", "password", "connecttimeout", "sockettimeout",
            "connectionattributes", "sessionvariables", "initsql", "allowmultiqueries", "allowlocalinfile");
    /** Target options that are dbtool's, not the driver's. */
    static final String HANDSHAKE_PROBE = "handshake_probe";

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

    @Override
    public EngineSession open(Target target, Credentials credentials, SessionSettings settings) {
        URI url = target.url();
        int port = target.portOr(defaultPort());
        String host = target.host();
        String database = target.database();
        String hostPart = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        String jdbcUrl = "jdbc:mariadb://" + hostPart + ":" + port + "/" + encode(database);

        Properties properties = new Properties();
        // Pass-through first (sslMode, serverSslCert, ...), then dbtool's own settings on top.
        Map<String, String> passThrough = new LinkedHashMap<>(query(url));
        target.settings().forEach((key, value) -> {
            if (!key.equals(HANDSHAKE_PROBE)) {
                passThrough.put(key, value);
            }
        });
        passThrough.forEach((key, value) -> {
            if (!OWN_PROPERTIES.contains(key.toLowerCase(Locale.ROOT))) {
                properties.setProperty(key, value);
            }
        });
        // The URL's user and password as core reads them: percent-decoded, a '+' stays a '+'.
        String user = credentials.user().orElse(target.urlUser().orElse(System.getenv("USER")));
        if (user != null && !user.isEmpty()) {
            properties.setProperty("user", user);
        }
        if (credentials.password().isPresent()) {
            properties.setProperty("password", new String(credentials.password().get()));
        } else if (target.urlPassword().isPresent()) {
            properties.setProperty("password", target.urlPassword().get());
        } else if (System.getenv("MYSQL_PWD") != null) {
            properties.setProperty("password", System.getenv("MYSQL_PWD"));
        }
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

    private static Map<String, String> query(URI url) {
        Map<String, String> values = new LinkedHashMap<>();
        String raw = url.getRawQuery();
        if (raw == null) {
            return values;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                values.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
            }
        }
        return values;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
