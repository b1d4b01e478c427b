package dbtool.testkit.vault;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The Vault test server's logins and what tokens issued by them can do for themselves:
 * {@code auth/MOUNT/login[/...]} for each registered {@link LoginEndpoint}, and
 * {@code auth/token/lookup-self}, {@code renew-self}, {@code revoke-self}. Also records the
 * {@code X-Vault-Namespace} header of every request.
 */
final class IssuedTokenRoutes {

    private final VaultTokens tokens = new VaultTokens();
    private final Map<String, LoginEndpoint> logins = new ConcurrentHashMap<>();
    private final List<String> namespaces = new CopyOnWriteArrayList<>();

    VaultTokens tokens() {
        return tokens;
    }

    void addLogin(String mount, LoginEndpoint endpoint) {
        logins.put(mount, endpoint);
    }

    List<String> namespaces() {
        return List.copyOf(namespaces);
    }

    boolean isLive(String token) {
        return tokens.live(token).isPresent();
    }

    /** Answers the request when it is one of these routes; false to let the server go on. */
    boolean handle(HttpExchange exchange, String path) throws IOException {
        String namespace = exchange.getRequestHeaders().getFirst("X-Vault-Namespace");
        if (namespace != null) {
            namespaces.add(namespace);
        }
        String method = exchange.getRequestMethod();
        boolean write = method.equals("POST") || method.equals("PUT");
        if (write && path.startsWith("auth/") && path.contains("/login")) {
            String mount = path.substring("auth/".length(), path.indexOf("/login"));
            LoginEndpoint endpoint = logins.get(mount);
            String after = path.substring(path.indexOf("/login") + "/login".length());
            if (endpoint == null || !(after.isEmpty() || after.startsWith("/"))) {
                return false;
            }
            try {
                JsonObject answer = new JsonObject();
                answer.add("auth", endpoint.login(mount, after.isEmpty() ? "" : after.substring(1), body(exchange),
                        exchange.getRequestHeaders(), tokens));
                VaultTestServer.respond(exchange, 200, answer);
            } catch (VaultError e) {
                VaultTestServer.respond(exchange, e.status(), VaultTestServer.errors(e.getMessage()));
            }
            return true;
        }
        Optional<VaultTokens.Token> token = tokens.live(exchange.getRequestHeaders().getFirst("X-Vault-Token"));
        if (token.isEmpty()) {
            return false;
        }
        if (method.equals("GET") && path.equals("auth/token/lookup-self")) {
            VaultTestServer.respond(exchange, 200, data(lookup(token.get())));
        } else if (write && path.equals("auth/token/renew-self")) {
            if (!tokens.renew(token.get())) {
                VaultTestServer.respond(exchange, 400, VaultTestServer.errors("lease is not renewable"));
            } else {
                JsonObject answer = new JsonObject();
                answer.add("auth", LoginEndpoint.auth(token.get()));
                VaultTestServer.respond(exchange, 200, answer);
            }
        } else if (write && path.equals("auth/token/revoke-self")) {
            tokens.revoke(token.get().id());
            exchange.sendResponseHeaders(204, -1);
        } else {
            return false;
        }
        return true;
    }

    private static JsonObject lookup(VaultTokens.Token token) {
        JsonObject data = new JsonObject();
        data.addProperty("display_name", token.displayName());
        JsonArray policies = new JsonArray();
        token.policies().forEach(policies::add);
        data.add("policies", policies);
        JsonObject meta = new JsonObject();
        token.meta().forEach(meta::addProperty);
        data.add("meta", meta);
        data.addProperty("path", token.path());
        data.addProperty("ttl", token.ttlSeconds());
        data.addProperty("creation_ttl", token.creationTtl().toSeconds());
        data.addProperty("renewable", token.renewable());
        data.addProperty("expire_time", DateTimeFormatter.ISO_INSTANT.format(token.expires().truncatedTo(ChronoUnit.SECONDS)));
        return data;
    }

    private static JsonObject data(JsonObject data) {
        JsonObject answer = new JsonObject();
        answer.add("data", data);
        return answer;
    }

    private static JsonObject body(HttpExchange exchange) throws IOException {
        String text = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return new JsonObject();
        }
        try {
            JsonElement element = JsonParser.parseString(text);
            return element.isJsonObject() ? element.getAsJsonObject() : new JsonObject();
        } catch (RuntimeException e) {
            return new JsonObject();
        }
    }
}
