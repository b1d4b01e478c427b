package dbtool.plugin.mongo;

import com.mongodb.AuthenticationMechanism;
import com.mongodb.MongoCredential;
import com.mongodb.spi.dns.DnsClient;
import dbtool.plugin.mongo.checks.MongoChecks;
import dbtool.plugin.mongo.config.MongoConfiguration;
import dbtool.spi.Check;
import dbtool.spi.Credentials;
import dbtool.spi.EnginePlugin;
import dbtool.spi.EngineSession;
import dbtool.spi.Grant;
import dbtool.spi.ServerConfiguration;
import dbtool.spi.SessionSettings;
import dbtool.spi.Target;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import javax.security.auth.Subject;

/**
 * MongoDB 4.4 to 8.0 (standalone, replica set member, mongos), on the MongoDB Java driver (sync); also
 * {@code dbtool config} through getParameter and setParameter ({@link MongoConfiguration}).
 */
public final class MongoPlugin implements EnginePlugin, ServerConfiguration {

    private final Function<Duration, DnsClient> dnsClients;

    public MongoPlugin() {
        this(BoundedDnsClient::new);
    }

    /** For tests: SRV and TXT answers without a DNS server. */
    MongoPlugin(Function<Duration, DnsClient> dnsClients) {
        this.dnsClients = dnsClients;
    }

    @Override
    public String id() {
        return "mongodb";
    }

    @Override
    public String displayName() {
        return "MongoDB";
    }

    @Override
    public Set<String> schemes() {
        return Set.of("mongodb", "mongodb+srv");
    }

    @Override
    public int defaultPort() {
        return MongoUrl.DEFAULT_PORT;
    }

    @Override
    public List<Check> checks() {
        return MongoChecks.all();
    }

    /** MongoDB 4.4 to 8: two built-in roles on an existing user, in mongosh. */
    @Override
    public List<Grant> grants() {
        return List.of(
                new Grant("db.getSiblingDB(\"admin\").grantRolesToUser(\"{{role}}\", [{role: \"clusterMonitor\", db: \"admin\"}])",
                        "clusterMonitor: serverStatus, currentOp of every user, replSetGetStatus, listDatabases, dbStats, "
                        + "top, and find on system.profile for the profiler check; no collection data"),
                new Grant("db.getSiblingDB(\"admin\").grantRolesToUser(\"{{role}}\", [{role: \"read\", db: \"local\"}])",
                        "read on local: the oplog's first and last entries for the oplog-window check (local holds no application data)"));
    }

    /** Parses the URL and prepares the client settings; connects nothing (the connectivity check does, timed). */
    @Override
    public EngineSession open(Target target, Credentials credentials, SessionSettings settings) {
        return session(target, credentials, settings);
    }

    /**
     * A configuration session on the same client settings as a troubleshoot's: maxTimeMS on every command
     * (the statement timeout), no retried writes, the primary preferred; connects on first use.
     */
    @Override
    public ServerConfiguration.Session openConfiguration(Target target, Credentials credentials, SessionSettings settings, boolean write) {
        return new MongoConfiguration(session(target, credentials, settings), write);
    }

    private MongoSession session(Target target, Credentials credentials, SessionSettings settings) {
        String text = target.url().toString();
        MongoUrl url = MongoUrl.parse(text);
        Secrets secrets = new Secrets().add(url.password()).add(rawPassword(text));
        credentials.password().ifPresent(secrets::add);

        Map<String, String> options = new LinkedHashMap<>(url.options());
        target.settings().forEach((key, value) -> options.put(key.toLowerCase(Locale.ROOT), value));
        String connectionString = withOptions(text, target.settings());
        MongoCredential credential = credential(url, options, credentials);
        return new MongoSession(url, connectionString, options, credential, settings, dnsClients.apply(settings.connectTimeout()), secrets);
    }

    /**
     * The credential from dbtool's credential chain, which wins over the URL's: a Kerberos subject
     * (GSSAPI), else a user and password (SCRAM, or what the URL's authMechanism names). Null
     * leaves the URL's own credential (and mechanism, e.g. MONGODB-X509) to the driver.
     */
    static MongoCredential credential(MongoUrl url, Map<String, String> options, Credentials credentials) {
        String mechanism = options.getOrDefault("authmechanism", "").toUpperCase(Locale.ROOT);
        String user = credentials.user().orElse(url.user());
        if (credentials.kerberosSubject().isPresent() && user != null) {
            Subject subject = credentials.kerberosSubject().get();
            MongoCredential gssapi = MongoCredential.createGSSAPICredential(user)
                    .withMechanismProperty(MongoCredential.JAVA_SUBJECT_KEY, subject);
            String service = mechanismProperty(options.get("authmechanismproperties"), "SERVICE_NAME");
            return service == null ? gssapi : gssapi.withMechanismProperty(MongoCredential.SERVICE_NAME_KEY, service);
        }
        if (credentials.password().isPresent() && user != null) {
            // The credentials are wiped once the session is open: keep a copy.
            char[] password = credentials.password().get().clone();
            String source = options.get("authsource") != null ? options.get("authsource")
                    : mechanism.equals("PLAIN") ? "$external"
                    : url.database().isEmpty() ? "admin" : url.database();
            return switch (mechanism) {
                case "SCRAM-SHA-1" -> MongoCredential.createScramSha1Credential(user, source, password);
                case "SCRAM-SHA-256" -> MongoCredential.createScramSha256Credential(user, source, password);
                case "PLAIN" -> MongoCredential.createPlainCredential(user, source, password);
                default -> MongoCredential.createCredential(user, source, password);
            };
        }
        if (mechanism.equals(AuthenticationMechanism.MONGODB_X509.getMechanismName()) && url.user() == null) {
            // The server takes the user from the client certificate's subject.
            return MongoCredential.createMongoX509Credential();
        }
        return null;
    }

    /** The configured options that the driver reads from a URL, appended to it; dbtool's own ones stay out. */
    private static String withOptions(String url, Map<String, String> settings) {
        StringBuilder text = new StringBuilder(url);
        boolean hasQuery = url.indexOf('?', url.indexOf("://") + 3) >= 0;
        boolean hasPath = url.indexOf('/', url.indexOf("://") + 3) >= 0;
        for (Map.Entry<String, String> option : settings.entrySet()) {
            if (DBTOOL_OPTIONS.contains(option.getKey().toLowerCase(Locale.ROOT))) {
                continue;
            }
            text.append(hasQuery ? '&' : hasPath ? '?' : "/?");
            hasQuery = true;
            hasPath = true;
            text.append(URLEncoder.encode(option.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(option.getValue(), StandardCharsets.UTF_8));
        }
        return text.toString();
    }

    /** Options dbtool reads itself; the Java driver does not know them. */
    private static final Set<String> DBTOOL_OPTIONS = Set.of("tlscafile", "tlscertificatekeyfile");

    private static String mechanismProperty(String properties, String name) {
        if (properties == null) {
            return null;
        }
        for (String pair : properties.split(",")) {
            int colon = pair.indexOf(':');
            if (colon > 0 && pair.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return pair.substring(colon + 1).trim();
            }
        }
        return null;
    }

    /** The password as it is written in the URL (percent-encoded), to scrub it in that form too. */
    private static String rawPassword(String url) {
        int start = url.indexOf("://") + 3;
        int end = url.indexOf('/', start) < 0 ? url.length() : url.indexOf('/', start);
        String authority = url.substring(start, end);
        int at = authority.lastIndexOf('@');
        int colon = at < 0 ? -1 : authority.indexOf(':');
        return colon < 0 || colon > at ? null : authority.substring(colon + 1, at);
    }
}
