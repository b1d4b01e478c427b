package dbtool.testkit.vault;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.SSLContext;

/**
 * The parts of Vault's HTTP API dbtool uses, on a loopback port, doing the real work behind them:
 * a token check, KV v2 reads, database/creds/ROLE that asks a {@link DatabaseBackend} to create a
 * real role, and lease revocation that drops it. Errors look like Vault's: a status code and
 * {@code {"errors": [...]}}. Logins (e.g. {@link LdapLoginEndpoint}) are added with
 * {@link #addLogin}; the tokens they issue work like the fixed one and can look up, renew and
 * revoke themselves ({@link VaultTokens}). Optionally HTTPS (see {@link TestCertificates}).
 */
public final class VaultTestServer implements AutoCloseable {

    /** Creates and drops database roles, e.g. on a throwaway PostgreSQL. */
    public interface DatabaseBackend {
        /** Creates a role that expires by itself; returns its name and password. */
        String[] create(String vaultRole) throws Exception;

        void drop(String user) throws Exception;
    }

    private final HttpServer server;
    private final String token;
    private final DatabaseBackend database;
    private final Map<String, JsonObject> kv = new ConcurrentHashMap<>();
    private final Map<String, String> leases = new ConcurrentHashMap<>();
    private volatile boolean revokedElsewhere;
    private final IssuedTokenRoutes issued = new IssuedTokenRoutes();
    private final boolean https;

    public VaultTestServer(String token, DatabaseBackend database) throws IOException {
        this(token, database, null);
    }

    /** With {@code tls}, an HTTPS server presenting that context's certificate. */
    public VaultTestServer(String token, DatabaseBackend database, SSLContext tls) throws IOException {
        this.token = token;
        this.database = database;
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (tls == null) {
            this.server = HttpServer.create(loopback, 0);
        } else {
            HttpsServer secure = HttpsServer.create(loopback, 0);
            secure.setHttpsConfigurator(new HttpsConfigurator(tls));
            this.server = secure;
        }
        this.https = tls != null;
        server.createContext("/v1/", this::handle);
        server.start();
    }

    public String address() {
        return (https ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Mounts a login at {@code auth/MOUNT/login}. */
    public void addLogin(String mount, LoginEndpoint endpoint) {
        issued.addLogin(mount, endpoint);
    }

    /** The tokens issued by logins. */
    public VaultTokens tokens() {
        return issued.tokens();
    }

    /** The X-Vault-Namespace header of every request so far, in order. */
    public List<String> namespaces() {
        return issued.namespaces();
    }

    /** The address by host name, for SPNEGO: the service principal is HTTP/localhost, not HTTP/127.0.0.1. */
    public String addressByName() {
        return (https ? "https" : "http") + "://localhost:" + server.getAddress().getPort();
    }

    /**
     * Enables Vault's Kerberos login at {@code v1/auth/kerberos/login}: SPNEGO tokens verified with
     * the service's keytab ({@link KerberosLoginEndpoint}); each login issues a token in {@link #tokens()}.
     */
    public void enableKerberosLogin(Path keytab, String servicePrincipal, Map<String, List<String>> policies) {
        addLogin("kerberos", new KerberosLoginEndpoint(keytab, servicePrincipal, policies));
    }

    /** Stores a KV v2 secret at MOUNT/data/PATH. */
    public void putKv(String mount, String path, Map<String, String> values) {
        JsonObject data = new JsonObject();
        values.forEach(data::addProperty);
        kv.put(mount + "/data/" + path, data);
    }

    /**
     * While on, each dynamic credential's lease is revoked elsewhere right after it is issued
     * (an operator's {@code vault lease revoke -prefix}), so dbtool's own revocation finds no
     * lease; the role itself is left to its VALID UNTIL, as the caller's backend set it.
     */
    public void revokeLeasesElsewhere(boolean on) {
        revokedElsewhere = on;
    }

    /**
     * Freezes the requests whose path (after {@code /v1/}) starts with the prefix, "" for all: they are
     * accepted and never answered, as by a Vault host stopped with SIGSTOP or a hung load balancer, until
     * {@link #thaw()}. The server answers one request at a time, so a frozen request holds those after it.
     */
    public void freeze(String pathPrefix) {
        frozen = new CountDownLatch(1);
        frozenPrefix = pathPrefix;
    }

    /** Answers the frozen requests, and all later ones. */
    public void thaw() {
        CountDownLatch latch = frozen;
        frozen = null;
        if (latch != null) {
            latch.countDown();
        }
    }

    private volatile CountDownLatch frozen;
    private volatile String frozenPrefix = "";

    private void waitWhileFrozen(String path) {
        CountDownLatch latch = frozen;
        if (latch == null || !path.startsWith(frozenPrefix)) {
            return;
        }
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Leases not revoked yet. */
    public Map<String, String> leases() {
        return Map.copyOf(leases);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring("/v1/".length());
            waitWhileFrozen(path);
            if (issued.handle(exchange, path)) {
                return;
            }
            String presented = exchange.getRequestHeaders().getFirst("X-Vault-Token");
            if (!token.equals(presented) && !issued.isLive(presented)) {
                respond(exchange, 403, errors("permission denied"));
                return;
            }
            String method = exchange.getRequestMethod();
            if (method.equals("GET") && path.startsWith("database/creds/")) {
                String[] role = database.create(path.substring("database/creds/".length()));
                String lease = path + "/" + UUID.randomUUID();
                if (!revokedElsewhere) {
                    leases.put(lease, role[0]);
                }
                JsonObject data = new JsonObject();
                data.addProperty("username", role[0]);
                data.addProperty("password", role[1]);
                JsonObject answer = new JsonObject();
                answer.addProperty("lease_id", lease);
                answer.addProperty("lease_duration", 3600);
                answer.addProperty("renewable", true);
                answer.add("data", data);
                respond(exchange, 200, answer);
            } else if (method.equals("GET") && path.equals("auth/token/lookup-self")) {
                JsonObject data = new JsonObject();
                data.addProperty("display_name", "ldap-alice");
                JsonArray policies = new JsonArray();
                policies.add("default");
                policies.add("dba-readonly");
                data.add("policies", policies);
                data.addProperty("ttl", 2764);
                data.addProperty("renewable", true);
                data.addProperty("expire_time", "2026-11-23T08:00:00Z");
                JsonObject answer = new JsonObject();
                answer.add("data", data);
                respond(exchange, 200, answer);
            } else if (method.equals("GET") && kv.containsKey(path)) {
                JsonObject inner = new JsonObject();
                inner.add("data", kv.get(path));
                JsonObject answer = new JsonObject();
                answer.add("data", inner);
                respond(exchange, 200, answer);
            } else if ((method.equals("PUT") || method.equals("POST")) && path.equals("sys/leases/revoke")) {
                // Vault takes POST and PUT alike for writes; the Vault Java driver POSTs.
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                String lease = JsonParser.parseString(body).getAsJsonObject().get("lease_id").getAsString();
                String user = leases.remove(lease);
                if (user == null) {
                    respond(exchange, 400, errors("lease not found"));
                    return;
                }
                database.drop(user);
                exchange.sendResponseHeaders(204, -1);
            } else {
                respond(exchange, 404, errors());
            }
        } catch (Exception e) {
            respond(exchange, 500, errors("internal error: " + e.getMessage()));
        }
    }

    static JsonObject errors(String... messages) {
        JsonArray list = new JsonArray();
        for (String message : messages) {
            list.add(message);
        }
        JsonObject json = new JsonObject();
        json.add("errors", list);
        return json;
    }

    static void respond(HttpExchange exchange, int status, JsonObject body) throws IOException {
        byte[] bytes = (status / 100 == 2 ? envelope(body) : body).toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /**
     * A successful answer the way Vault writes it: every top-level field of its response envelope is
     * present, null or empty when unused (clients such as the Vault Java driver read them unchecked).
     */
    static JsonObject envelope(JsonObject body) {
        JsonObject answer = new JsonObject();
        answer.addProperty("request_id", UUID.randomUUID().toString());
        answer.addProperty("lease_id", "");
        answer.addProperty("renewable", false);
        answer.addProperty("lease_duration", 0);
        answer.add("data", JsonNull.INSTANCE);
        answer.add("wrap_info", JsonNull.INSTANCE);
        answer.add("warnings", JsonNull.INSTANCE);
        answer.add("auth", JsonNull.INSTANCE);
        body.entrySet().forEach(field -> answer.add(field.getKey(), field.getValue()));
        return answer;
    }

    @Override
    public void close() {
        thaw();
        server.stop(0);
    }
}
