package dbtool.plugin.mongo.checks;

import com.mongodb.spi.dns.DnsException;
import dbtool.plugin.mongo.Docs;
import dbtool.plugin.mongo.MongoCommandFailure;
import dbtool.plugin.mongo.MongoErrors;
import dbtool.plugin.mongo.MongoSession;
import dbtool.plugin.mongo.MongoUrl;
import dbtool.spi.Category;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.spi.Threshold;
import dbtool.toolkit.Format;
import dbtool.toolkit.Stages;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.bson.Document;

/**
 * Each stage of reaching the server, timed: DNS (SRV and TXT for mongodb+srv, then addresses),
 * TCP to every seed, TLS, then the driver's handshake and authentication; then what answered:
 * topology from {@code hello}, version from {@code buildInfo}, uptime from {@code serverStatus}.
 */
final class ConnectionCheck extends MongoCheck {

    static final Threshold RECENT_RESTART = Threshold.number("recent_restart_seconds", 600, "s",
            "MONGO_RECENT_RESTART (INFO) when the server has been up less than this");

    static final Threshold TLS_EXPIRY_WARNING = Threshold.number("tls_expiry_warning_days", 14, "days",
            "MONGO_TLS_CERT_EXPIRING when the server's certificate expires within this many days");

    @Override
    public List<Threshold> thresholds() {
        return List.of(RECENT_RESTART, TLS_EXPIRY_WARNING);
    }

    /** The driver's handshake (hello) and authentication. */
    private static final Stages.Stage LOGIN = new Stages.Stage("login", "logged in", "the server did not answer the handshake",
            "mongod is hung, overloaded, or out of connections");

    ConnectionCheck() {
        super("connection", Category.CONNECTIVITY,
                "DNS (SRV/TXT for mongodb+srv), TCP, TLS and authentication, each timed; hello topology, version, uptime");
    }

    @Override
    public Set<String> findingCodes() {
        Set<String> codes = new TreeSet<>(Set.of("MONGO_CONNECTED", "MONGO_NOT_ENCRYPTED",
                "MONGO_NO_PRIMARY_REACHABLE", "MONGO_RECENT_RESTART", "MONGO_TLS_CERT_EXPIRING", "MONGO_VERSION_OLD",
                "MONGO_VERSION_UNTESTED"));
        Arrays.stream(MongoErrors.Cause.values()).map(MongoErrors.Cause::code).forEach(codes::add);
        return codes;
    }

    @Override
    protected CheckResult check(MongoSession session, CheckContext context) {
        Stages stages = session.stages();
        CheckResult.Builder result = CheckResult.builder();
        MongoUrl url = session.url();
        List<String> hosts = url.hosts();

        if (url.srv()) {
            long start = stages.begin(Stages.DNS);
            String name = hosts.getFirst();
            try {
                hosts = session.srvHosts();
                List<String> txt = session.srvOptions();
                if (hosts.isEmpty()) {
                    throw new DnsException("_mongodb._tcp." + name + " has no SRV records", null);
                }
                stages.add("dns-srv", start, hosts.size() + " hosts" + (txt.isEmpty() ? "" : ", options " + String.join(" ", txt)));
            } catch (DnsException e) {
                String reason = session.secrets().describe(e);
                stages.add("dns-srv", start, "failed: " + reason);
                session.markUnreachable("SRV lookup for " + name + " failed: " + reason);
                return result.add(failure(MongoErrors.Cause.SRV_LOOKUP, "mongodb+srv name " + name + ": " + MongoErrors.Cause.SRV_LOOKUP.meaning(),
                        reason, stages, session).recommendation("Check the name, and that this host's resolver answers SRV queries: "
                        + "dig SRV _mongodb._tcp." + name + " (a VPN or split-horizon DNS may hide it); or use a mongodb:// URL with the hosts.")
                        .build()).build();
            }
        }

        NetworkProbe probe = new NetworkProbe(session, context);
        List<NetworkProbe.Reached> reached = probe.reach(hosts, stages);
        result.metric("seeds", hosts.size()).metric("seeds_reachable", reached.size());
        if (reached.isEmpty()) {
            MongoErrors.Cause cause = probe.worstCause();
            session.markUnreachable(probe.summary());
            return result.add(failure(cause, "Cannot reach " + String.join(", ", hosts) + ": " + cause.meaning(), probe.summary(), stages, session)
                    .recommendation(cause == MongoErrors.Cause.UNKNOWN_HOST
                            ? "Check the host names in the URL and the resolver (/etc/resolv.conf, VPN, search domains)."
                            : cause == MongoErrors.Cause.TIMEOUT
                            ? "Check firewalls and security groups between this host and the server, and whether the server host is up."
                            : "Check that mongod runs (systemctl status mongod), listens on this address (net.bindIp) and port (net.port).")
                    .build()).build();
        }

        if (session.tls()) {
            String failure = probe.tls(reached.getFirst(), stages);
            if (failure != null) {
                session.markUnreachable("TLS handshake with " + reached.getFirst().host() + " failed: " + failure);
                return result.add(failure(MongoErrors.Cause.TLS, "TLS handshake with " + reached.getFirst().host() + " failed", failure, stages, session)
                        .recommendation(tlsAdvice(failure)).build()).build();
            }
        }

        long start = stages.begin(LOGIN);
        Document hello;
        Document buildInfo;
        Document serverStatus;
        try {
            hello = session.hello(context);
            stages.add("login", start, session.user().isEmpty() ? "connected (no authentication)"
                    : "authenticated as " + session.user() + (session.mechanism().isEmpty() ? "" : " (" + session.mechanism() + ")"));
            buildInfo = session.buildInfo(context);
            serverStatus = session.serverStatus(context);
        } catch (MongoCommandFailure e) {
            MongoErrors.Cause cause = e.connectCause() == null ? MongoErrors.Cause.OTHER : e.connectCause();
            if (e.code() == MongoErrors.AUTHENTICATION_FAILED) {
                cause = MongoErrors.Cause.AUTH;
            }
            stages.add(cause.stage(), start, "failed: " + e.getMessage());
            return result.add(failure(cause, "Cannot log in to " + String.join(", ", hosts) + ": " + cause.meaning(), e.getMessage(), stages, session)
                    .recommendation(loginAdvice(cause, session)).build()).build();
        }
        boolean loopback = reached.stream().allMatch(NetworkProbe.Reached::loopback);
        boolean replicaSetUrl = url.hosts().size() > 1 || url.srv() || session.option("replicaSet") != null;
        result.metric("connect_ms", stages.totalMillis());
        return describe(hello, buildInfo, serverStatus, stages.list(), session.tls(), loopback, replicaSetUrl, probe.tlsDetails(), result, context);
    }

    /** What answered: one INFO finding with the stages and the server, plus anything worth a look. */
    static CheckResult describe(Document hello, Document buildInfo, Document serverStatus, List<Map<String, Object>> stages,
                                boolean tls, boolean loopback, boolean replicaSetUrl, Map<String, Object> tlsDetails,
                                CheckResult.Builder result, CheckContext context) {
        String version = Docs.text(buildInfo, "version");
        List<Integer> versionArray = Docs.get(buildInfo, "versionArray") instanceof List<?> list
                ? list.stream().map(v -> v instanceof Number n ? n.intValue() : 0).toList() : List.of();
        int major = versionArray.isEmpty() ? 0 : versionArray.get(0);
        int minor = versionArray.size() < 2 ? 0 : versionArray.get(1);
        String topology = topology(hello);
        long uptime = Docs.longValue(serverStatus, "uptime");
        long connectMs = stages.stream().mapToLong(s -> (Long) s.get("ms")).sum();
        result.metric("uptime_seconds", uptime).metric("max_wire_version", Docs.longValue(hello, "maxWireVersion"));
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("stages", stages);
        evidence.put("version", version);
        evidence.put("topology", topology);
        evidence.put("host", Docs.has(hello, "me") ? Docs.text(hello, "me") : Docs.text(serverStatus, "host"));
        if (Docs.has(hello, "setName")) {
            evidence.put("replicaSet", Docs.text(hello, "setName"));
            evidence.put("primary", Docs.text(hello, "primary"));
            evidence.put("members", Docs.plain(Docs.get(hello, "hosts")));
        }
        evidence.put("uptimeSeconds", uptime);
        evidence.put("storageEngine", Docs.text(serverStatus, "storageEngine.name"));
        evidence.put("tls", tls ? tlsDetails.getOrDefault("protocol", "on") : "not encrypted");
        evidence.put("connections", Docs.plain(Docs.doc(serverStatus, "connections")));
        result.add(Finding.of("MONGO_CONNECTED", Severity.INFO, "MongoDB " + version + ", " + topology + ", up " + Format.duration(uptime)
                + ", connected in " + connectMs + " ms").evidence(evidence).build());

        if (major > 0 && (major < 4 || major == 4 && minor < 4)) {
            result.add(Finding.of("MONGO_VERSION_OLD", Severity.WARNING, "MongoDB " + version + " is past its end of life")
                    .detail("dbtool's checks are written for MongoDB 4.4 to 8.0; on older servers some fields are missing and "
                            + "some checks may report less.")
                    .recommendation("Plan the upgrade: https://www.mongodb.com/docs/manual/release-notes/")
                    .playbook(playbook("MONGO_VERSION_OLD")).build());
        } else if (major > 8) {
            result.add(Finding.of("MONGO_VERSION_UNTESTED", Severity.INFO, "MongoDB " + version + " is newer than the versions dbtool "
                    + "was checked against (4.4 to 8.0)").playbook(playbook("MONGO_VERSION_UNTESTED")).build());
        }
        if (Docs.has(hello, "setName") && !writablePrimary(hello) && replicaSetUrl) {
            result.add(Finding.of("MONGO_NO_PRIMARY_REACHABLE", Severity.WARNING, "No primary was reachable: diagnosing "
                            + topology + " " + Docs.text(hello, "me") + " instead")
                    .detail("dbtool reads with primaryPreferred: it fell back to a secondary. Findings about locks and operations "
                            + "are this member's, not the primary's. See the replication check.")
                    .evidence("primary", Docs.text(hello, "primary"))
                    .playbook(playbook("MONGO_NO_PRIMARY_REACHABLE")).build());
        }
        if (uptime > 0 && uptime < RECENT_RESTART.value(context)) {
            result.add(Finding.of("MONGO_RECENT_RESTART", Severity.INFO, "The server started " + Format.duration(uptime) + " ago")
                    .detail("A restart empties the WiredTiger cache (expect slow reads while it warms) and ends every connection; "
                            + "check the server log for the reason if it was not planned.")
                    .playbook(playbook("MONGO_RECENT_RESTART")).build());
        }
        if (!tls && !loopback) {
            result.add(Finding.of("MONGO_NOT_ENCRYPTED", Severity.INFO, "The connection is not encrypted")
                    .recommendation("Use tls=true in the URL (and net.tls.mode: requireTLS on the servers) for connections that leave the host.")
                    .playbook(playbook("MONGO_NOT_ENCRYPTED")).build());
        }
        Object daysLeft = tlsDetails.get("certificateDaysLeft");
        if (daysLeft instanceof Long days && days < TLS_EXPIRY_WARNING.value(context)) {
            result.add(Finding.of("MONGO_TLS_CERT_EXPIRING", days < 2 ? Severity.CRITICAL : Severity.WARNING,
                            "The server's TLS certificate expires in " + days + (days == 1 ? " day" : " days"))
                    .detail("Clients that verify certificates stop connecting when it expires.")
                    .evidence("certificate", tlsDetails)
                    .recommendation("Renew it and rotate it in without a restart: db.adminCommand({rotateCertificates: 1}) (5.0+).")
                    .playbook(playbook("MONGO_TLS_CERT_EXPIRING")).build());
        }
        return result.build();
    }

    /** "standalone", "mongos", or the member's state in its replica set. */
    static String topology(Document hello) {
        if ("isdbgrid".equals(hello.get("msg"))) {
            return "mongos";
        }
        if (!Docs.has(hello, "setName")) {
            return "standalone";
        }
        String set = Docs.text(hello, "setName");
        String state = writablePrimary(hello) ? "PRIMARY" : Docs.bool(hello, "secondary") ? "SECONDARY"
                : Docs.bool(hello, "arbiterOnly") ? "ARBITER" : "member (not primary or secondary)";
        return state + " of replica set " + set + (Docs.bool(hello, "hidden") ? " (hidden)" : "");
    }

    /** isWritablePrimary from 4.4.2 ({@code hello}), ismaster before ({@code isMaster}). */
    private static boolean writablePrimary(Document hello) {
        return Docs.bool(hello, "isWritablePrimary") || Docs.bool(hello, "ismaster");
    }

    private static Finding.Builder failure(MongoErrors.Cause cause, String title, String detail, Stages stages, MongoSession session) {
        return Finding.of(cause.code(), Severity.CRITICAL, title)
                .detail(detail)
                .evidence("stages", stages.list())
                .evidence("user", session.user())
                .playbook(playbook(cause.code()));
    }

    private static String loginAdvice(MongoErrors.Cause cause, MongoSession session) {
        String user = session.user().isEmpty() ? "the user" : "user " + session.user();
        return switch (cause) {
            case AUTH -> "Check the password of " + user + " and its authSource (the database where it was created; admin by default)"
                    + " in the credential source. A DBA can check it with: db.getSiblingDB('admin').getUser('" + session.user() + "')";
            case INCOMPATIBLE -> "The MongoDB Java driver 5.x talks to MongoDB 4.2 and later; diagnose this server with its own shell.";
            case NO_SUITABLE_SERVER -> "Check the replicaSet name in the URL against rs.conf()._id, and the members' states (rs.status()).";
            case TLS -> tlsAdvice("");
            case BAD_URL -> "Fix the URL: see https://www.mongodb.com/docs/manual/reference/connection-string/";
            case TIMEOUT, UNREACHABLE -> "The server accepted TCP but the driver could not finish connecting: check the server log.";
            default -> "Check the server log for the matching error.";
        };
    }

    private static String tlsAdvice(String failure) {
        String lower = failure.toLowerCase(Locale.ROOT);
        if (lower.contains("pkix") || lower.contains("certification path")) {
            return "The server's certificate is not trusted: give the CA with tlsCAFile=/path/ca.pem in the URL or target options "
                    + "(or -Djavax.net.ssl.trustStore in DBTOOL_JAVA_OPTS).";
        }
        if (lower.contains("subject alternative") || lower.contains("no name matching") || lower.contains("hostname")) {
            return "The certificate does not name the host in the URL: connect by a name the certificate lists, "
                    + "or (for a test only) tlsAllowInvalidHostnames=true.";
        }
        if (lower.contains("certificate_required") || lower.contains("bad_certificate")) {
            return "The server wants a client certificate: give it with tlsCertificateKeyFile=/path/client.pem.";
        }
        return "Check tls in the URL against the server's net.tls.mode, and the certificates (tlsCAFile, tlsCertificateKeyFile).";
    }
}
