package dbtool.testkit.vault;

import com.google.gson.JsonObject;
import com.sun.net.httpserver.Headers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
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
 * new token from {@link VaultTokens}, which can then look itself up, renew and revoke itself like
 * any other. Errors as Vault answers them: 400 without a token, 403 when it does not verify.
 */
final class KerberosLoginEndpoint implements LoginEndpoint {

    /** Vault's default TTL for these tokens in the test server, as Vault answers it (46 min 4 s). */
    static final Duration TTL = Duration.ofSeconds(2764);

    private final Subject service;
    private final Map<String, List<String>> policies;

    /**
     * @param keytab    the keytab of {@code principal}, e.g. {@code HTTP/localhost@EXAMPLE.COM}
     * @param policies  client principal to Vault policies; unknown principals are refused (403)
     */
    KerberosLoginEndpoint(Path keytab, String principal, Map<String, List<String>> policies) {
        KerberosPrincipal kerberosPrincipal = new KerberosPrincipal(principal);
        this.service = new Subject();
        service.getPrincipals().add(kerberosPrincipal);
        service.getPrivateCredentials().add(KeyTab.getInstance(kerberosPrincipal, keytab.toFile()));
        this.policies = Map.copyOf(policies);
    }

    @Override
    public JsonObject login(String mount, String rest, JsonObject body, Headers headers, VaultTokens tokens) throws VaultError {
        String authorization = headers.getFirst("Authorization");
        if (authorization == null || !authorization.startsWith("Negotiate ")) {
            throw new VaultError(400, "missing or invalid authorization header: Negotiate expected");
        }
        String client;
        try {
            client = accept(Base64.getDecoder().decode(authorization.substring("Negotiate ".length()).trim()));
        } catch (IllegalArgumentException | CompletionException e) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            throw new VaultError(403, "permission denied: SPNEGO token not accepted: " + cause.getMessage());
        }
        List<String> granted = policies.get(client);
        if (granted == null) {
            throw new VaultError(403, "permission denied: no policy mapping for " + client);
        }
        VaultTokens.Token token = tokens.issue(mount + "-" + client, granted, Map.of("username", client),
                "auth/" + mount + "/login", TTL, true);
        return LoginEndpoint.auth(token);
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
}
