package dbtool.plugin.postgres;

import dbtool.plugin.postgres.checks.PostgresChecks;
import dbtool.plugin.postgres.tls.CertificateRecordingFactory;
import dbtool.spi.Check;
import dbtool.spi.Credentials;
import dbtool.spi.EnginePlugin;
import dbtool.spi.EngineSession;
import dbtool.spi.SessionSettings;
import dbtool.spi.Target;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.postgresql.Driver;

/** PostgreSQL 12 to 17, on pgjdbc. */
public final class PostgresPlugin implements EnginePlugin {

    /** Properties dbtool sets itself; a URL or configuration cannot weaken them. */
    private static final Set<String> OWN_PROPERTIES = Set.of("applicationname", "readonly", "readonlymode", "options",
            "connecttimeout", "logintimeout", "sockettimeout", "user", "password");

    @Override
    public String id() {
        return "postgresql";
    }

    @Override
    public String displayName() {
        return "PostgreSQL";
    }

    @Override
    public Set<String> schemes() {
        return Set.of("postgresql", "postgres");
    }

    @Override
    public int defaultPort() {
        return 5432;
    }

    @Override
    public List<Check> checks() {
        return PostgresChecks.all();
    }

    @Override
    public EngineSession open(Target target, Credentials credentials, SessionSettings settings) {
        URI url = target.url();
        int port = target.portOr(defaultPort());
        String host = target.host();
        String database = target.database().isEmpty() ? "postgres" : target.database();
        String hostPart = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        String jdbcUrl = "jdbc:postgresql://" + hostPart + ":" + port + "/" + encode(database);

        Properties properties = new Properties();
        // Pass-through first (sslmode, sslrootcert, gssEncMode...), then dbtool's own settings on top.
        query(url).forEach((key, value) -> {
            if (!OWN_PROPERTIES.contains(key.toLowerCase())) {
                properties.setProperty(key, value);
            }
        });
        target.settings().forEach((key, value) -> {
            if (!OWN_PROPERTIES.contains(key.toLowerCase())) {
                properties.setProperty(key, value);
            }
        });
        String[] userInfo = userInfo(url);
        String user = credentials.user().orElse(userInfo[0] != null ? userInfo[0] : System.getenv("PGUSER"));
        if (user != null && !user.isEmpty()) {
            properties.setProperty("user", user);
        }
        if (credentials.password().isPresent()) {
            properties.setProperty("password", new String(credentials.password().get()));
        } else if (userInfo[1] != null) {
            properties.setProperty("password", userInfo[1]);
        } else if (System.getenv("PGPASSWORD") != null) {
            properties.setProperty("password", System.getenv("PGPASSWORD"));
        }
        // Otherwise pgjdbc reads ~/.pgpass (or PGPASSFILE) itself.
        if (credentials.kerberosSubject().isPresent()) {
            // GSSAPI with the ticket the credential provider loaded: the JDK's own GSS (not SSPI's
            // fallback), no second JAAS login inside the driver, and encryption when the server offers
            // it (pgjdbc's default "allow" would settle for none). A URL may still ask for "require".
            properties.setProperty("gsslib", "gssapi");
            properties.setProperty("jaasLogin", "false");
            properties.putIfAbsent("gssEncMode", "prefer");
        }
        String certificateId = null;
        if (!properties.containsKey("sslfactory")) {
            certificateId = UUID.randomUUID().toString();
            properties.setProperty("sslfactory", CertificateRecordingFactory.class.getName());
            properties.setProperty(CertificateRecordingFactory.ID_PROPERTY, certificateId);
        }
        Duration connect = settings.connectTimeout();
        Duration statement = settings.statementTimeout();
        properties.setProperty("ApplicationName", settings.applicationName());
        properties.setProperty("readOnly", "true");
        properties.setProperty("readOnlyMode", "always");
        properties.setProperty("connectTimeout", Long.toString(Math.max(1, connect.toSeconds())));
        properties.setProperty("loginTimeout", Long.toString(Math.max(1, connect.toSeconds())));
        properties.setProperty("socketTimeout", Long.toString(statement.toSeconds() + 5));
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("assumeMinServerVersion", "12");
        // Server-side limits for the whole session: read-only, no statement longer than the deadline,
        // never queue behind a lock for longer than lock_timeout, never sit idle in a transaction.
        properties.setProperty("options", "-c default_transaction_read_only=on"
                + " -c statement_timeout=" + statement.toMillis()
                + " -c lock_timeout=" + settings.lockTimeout().toMillis()
                + " -c idle_in_transaction_session_timeout=" + Math.max(10_000, statement.toMillis() * 2));
        PostgresSession session = new PostgresSession(new Driver(), jdbcUrl, properties, host, port, database,
                connect, statement, certificateId);
        credentials.kerberosSubject().ifPresent(session::useKerberos);
        return session;
    }

    private static String[] userInfo(URI url) {
        String raw = url.getRawUserInfo();
        if (raw == null || raw.isEmpty()) {
            return new String[] {null, null};
        }
        int colon = raw.indexOf(':');
        if (colon < 0) {
            return new String[] {decode(raw), null};
        }
        return new String[] {decode(raw.substring(0, colon)), decode(raw.substring(colon + 1))};
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
