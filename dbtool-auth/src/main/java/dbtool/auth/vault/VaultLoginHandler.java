package dbtool.auth.vault;

import dbtool.auth.kerberos.TicketSource;
import dbtool.spi.ConfigurationException;
import dbtool.spi.LoginHandler;
import dbtool.spi.LoginRequest;
import java.net.URI;
import io.github.jopenlibs.vault.SslConfig;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code dbtool auth login} and {@code logout} for Vault: logs in with a {@link VaultLogin} (Kerberos,
 * LDAP or token; by default the platform's choice, {@link VaultLogins#defaultMethod}), caches
 * the token in ~/.vault-token ({@link TokenCache}), and on logout revokes it (revoke-self) and
 * removes the file if dbtool wrote it. Vault is found through VAULT_ADDR; VAULT_NAMESPACE and
 * VAULT_CACERT apply.
 */
public final class VaultLoginHandler implements LoginHandler {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final Function<String, String> environment;
    private final AuthPaths paths;
    private final SecretPrompt prompt;
    private final TicketSource tickets;

    public VaultLoginHandler() {
        this(System::getenv, AuthPaths.of(System::getenv), SecretPrompt.console());
    }

    VaultLoginHandler(Function<String, String> environment, AuthPaths paths, SecretPrompt prompt) {
        this(environment, paths, prompt, TicketSource.of(environment));
    }

    VaultLoginHandler(Function<String, String> environment, AuthPaths paths, SecretPrompt prompt, TicketSource tickets) {
        this.environment = environment;
        this.paths = paths;
        this.prompt = prompt;
        this.tickets = tickets;
    }

    @Override
    public String name() {
        return "vault";
    }

    @Override
    public List<String> methods() {
        return VaultLogins.methods();
    }

    @Override
    public String defaultMethod() {
        return VaultLogins.defaultMethod(tickets);
    }

    @Override
    public Map<String, String> login(LoginRequest request) throws Exception {
        URI address = address();
        SslConfig tls = VaultTls.create(environment);
        String namespace = environment.apply("VAULT_NAMESPACE");
        VaultClient anonymous = new VaultClient(address, new char[0], namespace, tls, TIMEOUT);
        VaultLogin login = VaultLogins.forMethod(request.method(), environment, prompt,
                token -> new VaultClient(address, token, namespace, tls, TIMEOUT), tickets);
        VaultToken token = login.login(anonymous, request);
        TokenCache cache = new TokenCache(paths);
        try {
            cache.write(token.token());
        } finally {
            token.close();
        }
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("address", address.toString());
        if (namespace != null && !namespace.isBlank()) {
            facts.put("namespace", namespace);
        }
        facts.put("identity", token.identity());
        facts.put("policies", String.join(", ", token.policies()));
        if (token.ttl().isZero()) {
            facts.put("expires", "never");
        } else {
            facts.put("expires", Instant.now().plus(token.ttl()).truncatedTo(ChronoUnit.SECONDS) + " (TTL " + token.ttl().toSeconds()
                    + " s" + (token.renewable() ? ", renewable: dbtool renews it when close to expiry" : ", not renewable") + ")");
        }
        facts.put("token saved in", cache.file() + " (mode 0600)");
        return facts;
    }

    @Override
    public Map<String, String> logout() throws Exception {
        TokenCache cache = new TokenCache(paths);
        Map<String, String> facts = new LinkedHashMap<>();
        Optional<char[]> cached = cache.read();
        if (cached.isEmpty()) {
            cache.removeIfOwned();
            facts.put("token", "none cached (no " + cache.file() + "); nothing to do");
            return facts;
        }
        char[] token = cached.get();
        try {
            VaultClient vault = new VaultClient(address(), token, environment.apply("VAULT_NAMESPACE"),
                    VaultTls.create(environment), TIMEOUT);
            try {
                vault.revokeSelf();
                facts.put("token", "revoked");
            } catch (VaultClient.VaultException e) {
                if (e.status() != 403) {
                    // Vault unreachable or failing: keep the file, so the logout can be run again.
                    throw new IllegalStateException("could not revoke the cached token (" + cache.file() + " kept): " + e.getMessage());
                }
                facts.put("token", "already invalid or expired (Vault answered 403)");
            }
        } finally {
            java.util.Arrays.fill(token, '\0');
        }
        if (cache.removeIfOwned()) {
            facts.put("token file", cache.file() + " removed");
        } else {
            facts.put("token file", cache.file() + " kept: dbtool did not write it (e.g. 'vault login' did)");
        }
        return facts;
    }

    private URI address() {
        String address = environment.apply("VAULT_ADDR");
        if (address == null || address.isBlank()) {
            throw new ConfigurationException("no Vault address: set VAULT_ADDR (e.g. https://vault.example.com:8200)");
        }
        try {
            URI uri = URI.create(address.endsWith("/") ? address : address + "/");
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException();
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("VAULT_ADDR: expected a URL such as https://vault.example.com:8200, got '" + address + "'");
        }
    }
}
