package dbtool.plugin.mongo;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoCredential;
import com.mongodb.MongoException;
import com.mongodb.ReadPreference;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.connection.ClusterDescription;
import com.mongodb.connection.ServerMonitoringMode;
import com.mongodb.spi.dns.DnsClient;
import com.mongodb.spi.dns.DnsException;
import dbtool.plugin.mongo.activity.MongoActivity;
import dbtool.plugin.mongo.activity.MongoPlan;
import dbtool.spi.Activity;
import dbtool.spi.ActiveSession;
import dbtool.spi.ActivityView;
import dbtool.spi.CheckContext;
import dbtool.spi.EngineSession;
import dbtool.spi.LogSource;
import dbtool.spi.QueryPlan;
import dbtool.spi.SessionSettings;
import dbtool.toolkit.Stages;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.bson.Document;

/**
 * The one MongoClient of a troubleshoot. It is created on first use (by the connectivity check,
 * which times it) with dbtool's safety settings on top of the URL's, and a connection failure is
 * remembered so that later checks report it at once instead of waiting for another server
 * selection timeout: one client per target, never a retry storm against a struggling server.
 *
 * <p>Every command gets {@code maxTimeMS} no longer than what is left of the deadline, the
 * comment {@value #COMMENT} (so dbtool can leave its own operations out of what it reports) and
 * read preference primaryPreferred.
 */
public final class MongoSession implements EngineSession, ActivityView, LogSource {

    private final Stages stages = new Stages();

    /** Marks dbtool's own commands in currentOp and the profiler. */
    public static final String COMMENT = "dbtool diagnostics";

    private final MongoUrl url;
    private final String connectionString;
    private final Map<String, String> options;
    private final MongoCredential credential;
    private final SessionSettings settings;
    private final DnsClient dnsClient;
    private final Secrets secrets;

    private MongoClient client;
    private String connectFailure;
    private boolean answered;
    private SSLContext sslContext;
    private final Map<String, Object> snapshots = new HashMap<>();
    private final Map<String, Instant> snapshotTimes = new HashMap<>();

    MongoSession(MongoUrl url, String connectionString, Map<String, String> options, MongoCredential credential,
                 SessionSettings settings, DnsClient dnsClient, Secrets secrets) {
        this.url = url;
        this.connectionString = connectionString;
        this.options = Map.copyOf(options);
        this.credential = credential;
        this.settings = settings;
        this.dnsClient = dnsClient;
        this.secrets = secrets;
    }

    public MongoUrl url() {
        return url;
    }

    /** A dbtool option (from the URL's query or the target's configured options), or null. */
    public String option(String name) {
        return options.get(name.toLowerCase(Locale.ROOT));
    }

    public boolean tls() {
        return option("tls") != null ? Boolean.parseBoolean(option("tls"))
                : option("ssl") != null ? Boolean.parseBoolean(option("ssl")) : url.srv();
    }

    public boolean tlsAllowInvalidHostnames() {
        return Boolean.parseBoolean(option("tlsAllowInvalidHostnames")) || Boolean.parseBoolean(option("tlsInsecure"));
    }

    /** The user the session authenticates as, when known before connecting; empty when none. */
    public String user() {
        if (credential != null && credential.getUserName() != null) {
            return credential.getUserName();
        }
        return url.user() == null ? "" : url.user();
    }

    /** The authentication mechanism asked for, or empty when the server negotiates it (SCRAM). */
    public String mechanism() {
        if (credential != null && credential.getMechanism() != null) {
            return credential.getMechanism();
        }
        return option("authMechanism") == null ? "" : option("authMechanism");
    }

    public Duration connectTimeout() {
        return settings.connectTimeout();
    }

    public DnsClient dnsClient() {
        return dnsClient;
    }

    public Secrets secrets() {
        return secrets;
    }

    /** The TLS context the driver uses: from tlsCAFile and tlsCertificateKeyFile, else the JDK's default. */
    public synchronized SSLContext sslContext() throws IOException, GeneralSecurityException {
        if (sslContext == null) {
            sslContext = TlsFiles.context(option("tlsCAFile"), option("tlsCertificateKeyFile"));
        }
        return sslContext;
    }

    /**
     * The hosts behind a mongodb+srv name, as {@code host:port}, from its SRV records
     * (https://www.mongodb.com/docs/manual/reference/connection-string/#srv-connection-format).
     */
    public List<String> srvHosts() throws DnsException {
        String service = option("srvServiceName") == null ? "mongodb" : option("srvServiceName");
        String name = url.hosts().getFirst();
        List<String> hosts = new ArrayList<>();
        for (String record : dnsClient.getResourceRecordData("_" + service + "._tcp." + name, "SRV")) {
            // "priority weight port target."
            String[] parts = record.trim().split("\\s+");
            if (parts.length == 4) {
                String target = parts[3].endsWith(".") ? parts[3].substring(0, parts[3].length() - 1) : parts[3];
                hosts.add(target + ":" + parts[2]);
            }
        }
        return hosts;
    }

    /** The options a mongodb+srv name adds through its TXT record (authSource, replicaSet, loadBalanced). */
    public List<String> srvOptions() throws DnsException {
        return dnsClient.getResourceRecordData(url.hosts().getFirst(), "TXT");
    }

    /**
     * The client, created on first call; throws the remembered failure on later calls. Its server
     * selection timeout leaves a quarter of the time left, so that a failure to connect is
     * classified and reported before the run's deadline rather than cut off by it.
     */
    public synchronized MongoClient client(CheckContext context) throws MongoCommandFailure {
        // A failure found before (or by) the driver stands: the client would only wait for it again.
        if (connectFailure != null) {
            throw new MongoCommandFailure("not connected: " + connectFailure, -1, MongoErrors.Cause.OTHER);
        }
        if (client != null) {
            return client;
        }
        try {
            ConnectionString parsed = new ConnectionString(connectionString, dnsClient);
            long remaining = context == null ? Long.MAX_VALUE : context.remaining().toMillis() * 3 / 4;
            long connectMillis = Math.max(100, Math.min(settings.connectTimeout().toMillis(), remaining));
            long readMillis = settings.statementTimeout().toMillis() + 5_000;
            MongoClientSettings.Builder builder = MongoClientSettings.builder()
                    .applyConnectionString(parsed)
                    // dbtool's own settings come after the URL's, so that a URL cannot weaken them.
                    .applicationName(settings.applicationName())
                    .readPreference(ReadPreference.primaryPreferred())
                    // A retry doubles the load on a struggling server and the time to an answer.
                    .retryReads(false)
                    .retryWrites(false)
                    .dnsClient(dnsClient)
                    .applyToClusterSettings(c -> c.serverSelectionTimeout(connectMillis, TimeUnit.MILLISECONDS))
                    // Polling monitors: the streaming protocol adds a second monitoring connection per
                    // server, which a run of a few seconds has no use for.
                    .applyToServerSettings(s -> s.serverMonitoringMode(ServerMonitoringMode.POLL))
                    .applyToSocketSettings(s -> s.connectTimeout((int) connectMillis, TimeUnit.MILLISECONDS)
                            .readTimeout((int) readMillis, TimeUnit.MILLISECONDS))
                    // One connection for the checks (the driver adds its monitoring connections per server).
                    .applyToConnectionPoolSettings(p -> p.maxSize(1).minSize(0).maxWaitTime(connectMillis, TimeUnit.MILLISECONDS));
            if (tls()) {
                SSLContext ssl = sslContext();
                boolean invalidHostNames = tlsAllowInvalidHostnames();
                builder.applyToSslSettings(s -> s.enabled(true).context(ssl).invalidHostNameAllowed(invalidHostNames));
            }
            if (credential != null) {
                builder.credential(credential);
            }
            client = MongoClients.create(builder.build());
            return client;
        } catch (IllegalArgumentException | MongoException | IOException | GeneralSecurityException e) {
            connectFailure = secrets.describe(e);
            throw new MongoCommandFailure(connectFailure, -1, e instanceof IllegalArgumentException ? MongoErrors.Cause.BAD_URL
                    : e instanceof MongoException ? MongoErrors.classify(e, null) : MongoErrors.Cause.TLS);
        }
    }

    /**
     * Records that the server cannot be reached (found by the connectivity check before the driver
     * tried): later checks fail at once instead of waiting for a server selection timeout.
     */
    public synchronized void markUnreachable(String reason) {
        if (!answered && connectFailure == null) {
            connectFailure = secrets.scrub(reason);
        }
    }

    /** The driver's view of the cluster, for classifying a failed first command; null before a client exists. */
    public synchronized ClusterDescription clusterDescription() {
        return client == null ? null : client.getClusterDescription();
    }

    /** Runs a command that takes no database or collection lock (serverStatus, currentOp, hello...). */
    public Document run(String database, Document command, CheckContext context) throws MongoCommandFailure {
        return run(database, command, context, false);
    }

    /**
     * Runs a read-only command. Commands that take a database or collection lock (dbStats,
     * collStats, find) get a shorter maxTimeMS, derived from the session's lock timeout, so that
     * dbtool never queues for long behind the locks it is diagnosing: lock waits count against
     * maxTimeMS on the server.
     */
    public Document run(String database, Document command, CheckContext context, boolean takesLocks) throws MongoCommandFailure {
        String name = command.keySet().iterator().next();
        MongoClient mongo;
        try {
            mongo = client(context);
        } catch (MongoCommandFailure e) {
            throw new MongoCommandFailure(name + " failed: " + e.getMessage(), e.code(), e.connectCause());
        }
        long budget = settings.statementTimeout().toMillis();
        if (context != null) {
            budget = Math.min(budget, context.remaining().toMillis());
        }
        if (takesLocks) {
            budget = Math.min(budget, lockBudget().toMillis());
        }
        if (budget <= 0) {
            throw new MongoCommandFailure(name + " not sent: the deadline has passed", -1);
        }
        Document full = new Document(command).append("maxTimeMS", budget).append("comment", COMMENT);
        try {
            Document reply = mongo.getDatabase(database).runCommand(full, ReadPreference.primaryPreferred());
            answered();
            return reply;
        } catch (MongoCommandException e) {
            answered();
            throw MongoCommandFailure.of(name, e, secrets);
        } catch (MongoException e) {
            // Not the server's answer: no route, TLS, authentication, selection timeout.
            Throwable explaining = MongoErrors.explaining(e, clusterDescription());
            MongoCommandFailure failure = MongoCommandFailure.of(name, explaining, secrets, MongoErrors.classify(e, clusterDescription()));
            rememberConnectFailure(secrets.scrub(MongoErrors.oneLine(explaining)));
            throw failure;
        }
    }

    /** How long a lock-taking command may wait: a few lock timeouts, at least a second. */
    public Duration lockBudget() {
        Duration budget = settings.lockTimeout().multipliedBy(4);
        return budget.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : budget;
    }

    /** {@code serverStatus}, taken once per troubleshoot so that every check sees the same moment. */
    public Document serverStatus(CheckContext context) throws MongoCommandFailure {
        return snapshot("serverStatus", () -> run("admin", new Document("serverStatus", 1), context));
    }

    /** When {@link #serverStatus} was taken, or null before. */
    public synchronized Instant serverStatusTakenAt() {
        return snapshotTimes.get("serverStatus");
    }

    /** {@code hello} (MongoDB 4.4.2 and later), else the legacy {@code isMaster}; taken once. */
    public Document hello(CheckContext context) throws MongoCommandFailure {
        return snapshot("hello", () -> {
            try {
                return run("admin", new Document("hello", 1), context);
            } catch (MongoCommandFailure e) {
                if (e.code() != MongoErrors.COMMAND_NOT_FOUND) {
                    throw e;
                }
                return run("admin", new Document("isMaster", 1), context);
            }
        });
    }

    /** {@code buildInfo}: the server version; taken once. */
    public Document buildInfo(CheckContext context) throws MongoCommandFailure {
        return snapshot("buildInfo", () -> run("admin", new Document("buildInfo", 1), context));
    }

    /**
     * The server's operations, taken once per troubleshoot: those running and the idle sessions
     * that hold a transaction open. Idle connections are left out on the server (a busy server has
     * thousands), and so are dbtool's own commands.
     */
    public Document currentOp(CheckContext context) throws MongoCommandFailure {
        return snapshot("currentOp", () -> run("admin", CurrentOp.command(), context));
    }

    /** {@code replSetGetStatus}, taken once; a standalone's refusal (error 76) is rethrown each time. */
    public Document replSetGetStatus(CheckContext context) throws MongoCommandFailure {
        return snapshot("replSetGetStatus", () -> run("admin", new Document("replSetGetStatus", 1), context));
    }

    private interface Fetch {
        Document get() throws MongoCommandFailure;
    }

    private Document snapshot(String key, Fetch fetch) throws MongoCommandFailure {
        synchronized (this) {
            Object cached = snapshots.get(key);
            if (cached instanceof Document document) {
                return document;
            }
            if (cached instanceof MongoCommandFailure failure) {
                throw failure;
            }
        }
        try {
            Document document = fetch.get();
            synchronized (this) {
                snapshots.put(key, document);
                snapshotTimes.put(key, Instant.now());
            }
            return document;
        } catch (MongoCommandFailure failure) {
            // Only the server's refusals are final; a missed deadline may go better for the next check.
            if (failure.code() > 0 && failure.code() != MongoErrors.MAX_TIME_MS_EXPIRED) {
                synchronized (this) {
                    snapshots.put(key, failure);
                }
            }
            throw failure;
        }
    }

    private synchronized void answered() {
        answered = true;
    }

    private synchronized void rememberConnectFailure(String reason) {
        if (!answered && connectFailure == null) {
            connectFailure = reason;
        }
    }

    /** Where the connection is while the connectivity check waits for a stage. */
    @Override
    public Optional<String> activity() {
        return stages.progress();
    }

    /** The connection's stages, for the connectivity check's evidence and for {@link #activity()}. */
    public Stages stages() {
        return stages;
    }

    /**
     * The sync driver cannot interrupt a command in flight; closing the client ends its socket.
     * The server stops the command itself at its maxTimeMS.
     */
    @Override
    public void cancel() {
        close();
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
            client = null;
            if (connectFailure == null) {
                connectFailure = "the session was closed";
            }
        }
    }

    /** The server's last 1024 log entries through getLog (the user needs clusterMonitor's getLog action). */
    @Override
    public ServerLog readLog(long maxBytes, CheckContext context) throws Exception {
        return MongoServerLog.read(this, maxBytes, context);
    }

    @Override
    public Activity activity(CheckContext context) throws MongoCommandFailure {
        return MongoActivity.read(this, context);
    }

    @Override
    public QueryPlan plan(ActiveSession session, CheckContext context) throws MongoCommandFailure {
        return MongoPlan.read(this, session, context);
    }
}
