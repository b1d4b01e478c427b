package dbtool.testkit.vault;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import javax.security.auth.Subject;
import javax.security.auth.kerberos.KerberosPrincipal;
import javax.security.auth.kerberos.KeyTab;
import org.ietf.jgss.GSSContext;
import org.ietf.jgss.GSSCredential;
import org.ietf.jgss.GSSException;
import org.ietf.jgss.GSSManager;
import org.ietf.jgss.Oid;

/**
 * Vault's Kerberos auth method ({@code POST v1/auth/kerberos/login}): accepts the SPNEGO token in
 * {@code Authorization: Negotiate} with a JGSS acceptor and the service's keytab, a new context per
 * request (the acceptor keeps a replay cache), maps the client principal to policies and issues a
 * new token. Errors as Vault answers them: 400 without a token, 403 when it does not verify.
 */
final class KerberosLoginHandler implements HttpHandler {

    private final Subject service;
    private final Map<String, List<String>> policies;
    private final Consumer<String> issue;

    /**
     * @param keytab    the keytab of {@code principal}, e.g. {@code HTTP/localhost@EXAMPLE.COM}
     * @param policies  client principal to Vault policies; unknown principals are refused (403)
     * @param issue     records each issued token so that the server accepts it afterwards
     */
    KerberosLoginHandler(Path keytab, String principal, Map<String, List<String>> policies, Consumer<String> issue) {
        KerberosPrincipal kerberosPrincipal = new KerberosPrincipal(principal);
        this.service = new Subject();
        service.getPrincipals().add(kerberosPrincipal);
        service.getPrivateCredentials().add(KeyTab.getInstance(kerberosPrincipal, keytab.toFile()));
        this.policies = Map.copyOf(policies);
        this.issue = issue;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("POST") && !exchange.getRequestMethod().equals("PUT")) {
                respond(exchange, 405, errors("unsupported operation"));
                return;
            }
            exchange.getRequestBody().readAllBytes();
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization == null || !authorization.startsWith("Negotiate ")) {
                respond(exchange, 400, errors("missing or invalid authorization header: Negotiate expected"));
                return;
            }
            String client;
            try {
                client = accept(Base64.getDecoder().decode(authorization.substring("Negotiate ".length()).trim()));
            } catch (IllegalArgumentException | CompletionException e) {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                respond(exchange, 403, errors("permission denied: SPNEGO token not accepted: " + cause.getMessage()));
                return;
            }
            List<String> granted = policies.get(client);
            if (granted == null) {
                respond(exchange, 403, errors("permission denied: no policy mapping for " + client));
                return;
            }
            String token = "hvs.krb-" + UUID.randomUUID();
            issue.accept(token);
            JsonArray list = new JsonArray();
            granted.forEach(list::add);
            JsonObject auth = new JsonObject();
            auth.addProperty("client_token", token);
            auth.addProperty("accessor", UUID.randomUUID().toString());
            auth.add("policies", list);
            auth.add("token_policies", list);
            JsonObject metadata = new JsonObject();
            metadata.addProperty("username", client);
            auth.add("metadata", metadata);
            auth.addProperty("lease_duration", 2764);
            auth.addProperty("renewable", true);
            JsonObject answer = new JsonObject();
            answer.add("auth", auth);
            respond(exchange, 200, answer);
        }
    }

    /** The client principal of a valid SPNEGO token. */
    private String accept(byte[] token) {
        return Subject.callAs(service, () -> {
            GSSManager manager = GSSManager.getInstance();
            Oid spnego = new Oid("1.3.6.1.5.5.2");
            GSSCredential credential = manager.createCredential(null, GSSCredential.INDEFINITE_LIFETIME, spnego,
                    GSSCredential.ACCEPT_ONLY);
            GSSContext context = manager.createContext(credential);
            try {
                context.acceptSecContext(token, 0, token.length);
                if (!context.isEstablished()) {
                    throw new GSSException(GSSException.DEFECTIVE_TOKEN, 0, "the context needs more than one token");
                }
                return context.getSrcName().toString();
            } finally {
                context.dispose();
            }
        });
    }

    private static JsonObject errors(String message) {
        JsonArray list = new JsonArray();
        list.add(message);
        JsonObject json = new JsonObject();
        json.add("errors", list);
        return json;
    }

    private static void respond(HttpExchange exchange, int status, JsonObject body) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
