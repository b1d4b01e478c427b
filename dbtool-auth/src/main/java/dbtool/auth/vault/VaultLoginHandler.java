package dbtool.auth.vault;

import dbtool.auth.kerberos.TicketSource;
import dbtool.spi.ConfigurationException;
import dbtool.spi.LoginHandler;
import dbtool.spi.LoginRequest;
import dbtool.spi.SecretPrompt;
import io.github.jopenlibs.vault.SslConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code dbtool auth login} and {@code logout} for Vault: logs in with a {@link VaultLogin} (Kerberos,
 * LDAP or token; by default the platform's choice, {@link VaultLogins#defaultMethod}), caches
 * the token in ~/.vault-token ({@link TokenCache}), and on logout revokes it (revoke-self) if dbtool
 * logged in for it and removes the file if dbtool wrote it. Vault is found through VAULT_ADDR; VAULT_NAMESPACE and
 * VAULT_CACERT apply.
 */
public final class VaultLoginHandler implements LoginHandler {

    private static final Duration TIMEOUT = VaultClient.DEFAULT_TIMEOUT;
    private final Function<String, String> environment;
    private final AuthPaths paths;
    private final SecretPrompt prompt;
    private final TicketSource tickets;
    private final PrintStream warnings;

    public VaultLoginHandler() {
        this(System::getenv, AuthPaths.of(System::getenv), SecretPrompt.terminal());
    }

    VaultLoginHandler(Function<String, String> environment, AuthPaths paths, SecretPrompt prompt) {
        this(environment, paths, prompt, TicketSource.of(environment));
    }

    VaultLoginHandler(Function<String, String> environment, AuthPaths paths, SecretPrompt prompt, TicketSource tickets) {
        this(environment, paths, prompt, tickets, System.err);
    }

    VaultLoginHandler(Function<String, String> environment, AuthPaths paths, SecretPrompt prompt, TicketSource tickets,
                      PrintStream warnings) {
        this.warnings = warnings;
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

    /**
     * The platform's choice; when that falls back to ldap although a Kerberos cache is configured
     * (KEYRING/KCM, expired, unreadable), the reason is one line on stderr, so the fallback is not silent.
     */
    @Override
    public String defaultMethod() {
        String method = VaultLogins.defaultMethod(tickets);
        if (method.equals("ldap")) {
            tickets.unusableReason().ifPresent(reason -> warnings.println("dbtool: kerberos not usable: " + reason + "; using ldap"));
        }
        return method;
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
        boolean createdByLogin = !request.method().equals("token");
        try {
            cache.write(token.token(), createdByLogin);
        } catch (IOException | RuntimeException e) {
            // A token nobody holds would live on in Vault until its TTL: end it (best effort), unless it
            // was given to us (--method token), which is not ours to end.
            String outcome = "";
            if (createdByLogin) {
                try {
                    new VaultClient(address, token.token(), namespace, tls, TIMEOUT).revokeSelf();
                    outcome = "; the new token was revoked";
                } catch (VaultClient.VaultException revokeFailed) {
                    outcome = "; the new token could not be revoked (it expires with its TTL): " + revokeFailed.getMessage();
                }
            }
            String why = e instanceof FileSystemException fs
                    ? (Files.isDirectory(cache.file()) ? "it is a directory" : fs.getReason() != null ? fs.getReason() : e.getClass().getSimpleName())
                    : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new IllegalStateException("could not save the Vault token in " + cache.file() + ": " + why + outcome);
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
        facts.put("token saved in", cache.file() + (WINDOWS ? " (private to your account)" : " (mode 0600)"));
        return facts;
    }

    /**
     * Revokes the cached token only when dbtool created it by logging in and wrote the file; a token
     * the Vault CLI wrote, or one adopted with {@code --method token} (it may be shared), stays valid.
     * The file is removed only when dbtool wrote it.
     */
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
            switch (cache.ownership()) {
                case OTHER -> {
                    cache.removeIfOwned();
                    facts.put("token", cache.file() + " not written by dbtool: left alone; 'vault token revoke -self' ends it");
                    return facts;
                }
                case ADOPTED -> facts.put("token", "not revoked: it was given to 'dbtool auth login --method token' and may be"
                        + " shared; 'vault token revoke -self' ends it");
                case LOGIN -> {
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
                }
            }
        } finally {
            Arrays.fill(token, '\0');
        }
        if (cache.removeIfOwned()) {
            facts.put("token file", cache.file() + " removed");
        } else {
            facts.put("token file", cache.file() + " kept: written by somebody else during the logout (e.g. 'vault login')");
        }
        return facts;
    }

    private URI address() {
        String address = environment.apply("VAULT_ADDR");
        if (address == null || address.isBlank()) {
            throw new ConfigurationException("no Vault address: set VAULT_ADDR (e.g. https://vault.example.com:8200)");
        }
        return VaultAddress.parse(address, "VAULT_ADDR");
    }

    private static final boolean WINDOWS = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
}
