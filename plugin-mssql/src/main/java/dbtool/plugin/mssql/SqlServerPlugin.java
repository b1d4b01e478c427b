package dbtool.plugin.mssql;

import dbtool.plugin.mssql.checks.SqlServerChecks;
import dbtool.spi.Check;
import dbtool.spi.Credentials;
import dbtool.spi.EnginePlugin;
import dbtool.spi.EngineSession;
import dbtool.spi.SessionSettings;
import dbtool.spi.Target;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * SQL Server 2016 to 2022 and Azure SQL Database, on jTDS 1.3.1 (pure Java, no native parts).
 * URL: {@code sqlserver://user:password@host:1433/database}; a named instance as
 * {@code sqlserver://host/database?instance=NAME}, whose port SQL Browser tells (UDP 1434, or
 * {@code &browserPort=N} when it is forwarded elsewhere).
 */
public final class SqlServerPlugin implements EnginePlugin {

    @Override
    public String id() {
        return "sqlserver";
    }

    @Override
    public String displayName() {
        return "SQL Server";
    }

    @Override
    public Set<String> schemes() {
        return Set.of("sqlserver", "mssql");
    }

    @Override
    public int defaultPort() {
        return 1433;
    }

    @Override
    public List<Check> checks() {
        return SqlServerChecks.all();
    }

    @Override
    public EngineSession open(Target target, Credentials credentials, SessionSettings settings) {
        URI url = target.url();
        int port = target.portOr(defaultPort());
        String database = target.database().isEmpty() ? "master" : target.database();
        Properties properties = new Properties();
        // A port in the URL wins over the instance name (no Browser needed); without one, the session
        // asks SQL Browser itself, on 1434 unless browserPort says where it is forwarded to.
        String instance = queryParameter(url, "instance");
        SqlServerSession.NamedInstance named = instance == null || target.port() > 0 ? null
                : new SqlServerSession.NamedInstance(instance, browserPort(queryParameter(url, "browserPort")));
        String[] userInfo = userInfo(url);
        String user = credentials.user().orElse(userInfo[0]);
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (credentials.password().isPresent()) {
            properties.setProperty("password", new String(credentials.password().get()));
        } else if (userInfo[1] != null) {
            properties.setProperty("password", userInfo[1]);
        }
        String domain = queryParameter(url, "domain");
        if (domain != null) {
            // Windows authentication through NTLM, as jTDS does it.
            properties.setProperty("domain", domain);
        }
        properties.setProperty("appName", settings.applicationName());
        properties.setProperty("progName", settings.applicationName());
        properties.setProperty("loginTimeout", Long.toString(Math.max(1, settings.connectTimeout().toSeconds())));
        properties.setProperty("socketTimeout", Long.toString(settings.statementTimeout().toSeconds() + 5));
        // jTDS cannot speak TLS 1.2+; servers that force encryption refuse it (docs/sqlserver.md).
        properties.setProperty("ssl", queryParameter(url, "ssl") == null ? "off" : queryParameter(url, "ssl"));
        return new SqlServerSession(new net.sourceforge.jtds.jdbc.Driver(), database, properties, target.host(), port, named,
                settings.connectTimeout(), settings.statementTimeout(), settings.lockTimeout());
    }

    private static int browserPort(String value) {
        if (value == null) {
            return SqlBrowser.PORT;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port > 0 && port < 65536) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("browserPort in the sqlserver URL must be a UDP port number (1-65535), not '" + value + "'");
    }

    private static String queryParameter(URI url, String name) {
        String raw = url.getRawQuery();
        if (raw == null) {
            return null;
        }
        for (String pair : raw.split("[&;]")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equalsIgnoreCase(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static String[] userInfo(URI url) {
        String raw = url.getRawUserInfo();
        if (raw == null || raw.isEmpty()) {
            return new String[] {null, null};
        }
        int colon = raw.indexOf(':');
        return colon < 0 ? new String[] {URLDecoder.decode(raw, StandardCharsets.UTF_8), null}
                : new String[] {URLDecoder.decode(raw.substring(0, colon), StandardCharsets.UTF_8),
                        URLDecoder.decode(raw.substring(colon + 1), StandardCharsets.UTF_8)};
    }
}
