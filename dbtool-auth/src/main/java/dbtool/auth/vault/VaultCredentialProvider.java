package dbtool.auth.vault;

import com.google.gson.JsonObject;
import dbtool.spi.ConfigurationException;
import dbtool.spi.CredentialProvider;
import dbtool.spi.CredentialRequest;
import dbtool.spi.Credentials;
import dbtool.auth.kerberos.KerberosException;
import java.net.URI;
import io.github.jopenlibs.vault.SslConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The {@code "vault"} auth method:
 * {@code {"method": "vault", "secret": "database/creds/ROLE"}} for dynamic credentials (the lease
 * is revoked when the command ends, so the role disappears), or
 * {@code {"method": "vault", "secret": "kv/data/PATH", "userField": "username", "passwordField": "password"}}
 * for static credentials in KV v2.
 *
 * <p>Vault's own conventions: VAULT_ADDR (or the auth block's "address"), VAULT_TOKEN else
 * ~/.vault-token (as written by {@code dbtool auth login} or {@code vault login}: checked, and renewed
 * when renewable and close to expiry), else a Kerberos login ({@link KerberosLogin}, mount
 * "loginMount", default kerberos) whose token lives for this command only and is revoked
 * (revoke-self) when the command ends, VAULT_NAMESPACE (or "namespace"), VAULT_CACERT. HTTPS is
 * verified unless VAULT_SKIP_VERIFY is set (which earns one warning per process). VAULT_ADDR is checked by
 * {@link VaultAddress}. The lease is revoked when the command ends, and at once when the secret read
 * cannot be used.
 */
public final class VaultCredentialProvider implements CredentialProvider {

    static final String NO_TOKEN = "no Vault token: run 'dbtool auth login' (or 'vault login'), or set VAULT_TOKEN";

    private final Function<String, String> environment;
    private final Path home;
    private final KerberosLogin kerberos;

    public VaultCredentialProvider() {
        this(System::getenv, AuthPaths.of(System::getenv).home(), KerberosLogin.current());
    }

    VaultCredentialProvider(Function<String, String> environment, Path home) {
        this(environment, home, KerberosLogin.current());
    }

    VaultCredentialProvider(Function<String, String> environment, Path home, KerberosLogin kerberos) {
        this.environment = environment;
        this.home = home;
        this.kerberos = kerberos;
    }

    @Override
    public String method() {
        return "vault";
    }

    @Override
    public int order() {
        return 100;
    }

    @Override
    public Optional<Credentials> credentials(CredentialRequest request) throws Exception {
        return credentials(request, VaultClient.DEFAULT_TIMEOUT);
    }

    /** Within the run's deadline: Vault's login and read wait no longer than what is left of it. */
    @Override
    public Optional<Credentials> credentials(CredentialRequest request, Instant deadline) throws Exception {
        Duration left = Duration.between(Instant.now(), deadline);
        return credentials(request, left.compareTo(VaultClient.DEFAULT_TIMEOUT) < 0 ? left : VaultClient.DEFAULT_TIMEOUT);
    }

    /** @param timeout how long the login and the secret read may each take */
    private Optional<Credentials> credentials(CredentialRequest request, Duration timeout) throws Exception {
        if (!method().equals(request.method())) {
            // Vault needs to know which secret: only targets that name the method use it.
            return Optional.empty();
        }
        Map<String, String> auth = request.auth();
        String field = "targets." + request.target().name() + ".auth";
        String secret = auth.get("secret");
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException(field + ".secret: expected a Vault path such as database/creds/ROLE or kv/data/PATH");
        }
        String address = Optional.ofNullable(auth.get("address")).orElse(environment.apply("VAULT_ADDR"));
        if (address == null || address.isBlank()) {
            throw new ConfigurationException("no Vault address: set VAULT_ADDR or " + field + ".address");
        }
        URI vaultAddress = VaultAddress.parse(address, auth.get("address") != null ? field + ".address" : "VAULT_ADDR");
        String namespace = Optional.ofNullable(auth.get("namespace")).orElse(environment.apply("VAULT_NAMESPACE"));
        SslConfig tls = VaultTls.create(environment);
        // The login and the read wait no longer than the run's deadline, so a Vault that never answers is
        // given up on here too, not only by dbtool's wait for this provider. Revocations keep the default:
        // dbtool waits for them only within its grace, and one that finishes later still drops the role
        // (in the shell, the process lives on).
        Token token = token(vaultAddress, namespace, auth.get("loginMount"), tls, timeout);
        VaultClient vault;
        VaultClient revoking;
        try {
            vault = new VaultClient(vaultAddress, token.value(), namespace, tls, timeout);
            revoking = new VaultClient(vaultAddress, token.value(), namespace, tls, VaultClient.DEFAULT_TIMEOUT);
        } catch (VaultClient.VaultException e) {
            Arrays.fill(token.value(), '\0');
            throw e;
        }
        try {
            if (token.origin() == Token.Origin.CACHED) {
                CachedTokenCheck.renewIfDue(vault, home.resolve(".vault-token"));
            }
            return Optional.of(read(request, vault, revoking, token));
        } catch (Exception | Error e) {
            // No credentials leave here, so nothing will release the login: end it now.
            try {
                end(revoking, token);
            } catch (IllegalStateException revokeFailed) {
                e.addSuppressed(revokeFailed);
            }
            throw e;
        }
    }

    /** The credentials in the secret, with a release that revokes its lease and ends a Kerberos login's token. */
    private Credentials read(CredentialRequest request, VaultClient vault, VaultClient revoking, Token token) throws Exception {
        Map<String, String> auth = request.auth();
        String field = "targets." + request.target().name() + ".auth";
        String secret = auth.get("secret");
        String path = secret.startsWith("/") ? secret.substring(1) : secret;
        JsonObject answer = vault.read(path);
        boolean kv = path.contains("/data/");
        String leaseId = !kv && answer.has("lease_id") && answer.get("lease_id").isJsonPrimitive()
                ? answer.get("lease_id").getAsString() : "";
        try {
            JsonObject data = answer.has("data") && answer.get("data").isJsonObject() ? answer.getAsJsonObject("data") : new JsonObject();
            if (kv) {
                data = data.has("data") && data.get("data").isJsonObject() ? data.getAsJsonObject("data") : new JsonObject();
            }
            String userField = auth.getOrDefault("userField", "username");
            String passwordField = auth.getOrDefault("passwordField", "password");
            if (!isText(data, userField) || !isText(data, passwordField)) {
                throw new ConfigurationException("Vault secret " + path + " has no '" + userField + "' and '" + passwordField
                        + "' text fields; set " + field + ".userField and .passwordField");
            }
            char[] password = data.get(passwordField).getAsString().toCharArray();
            try {
                Credentials credentials = Credentials.password(data.get(userField).getAsString(), password, "vault:" + path);
                if (leaseId.isEmpty() && token.origin() != Token.Origin.KERBEROS_LOGIN) {
                    Arrays.fill(token.value(), '\0');
                    return credentials;
                }
                return credentials.withRelease(() -> release(revoking, token, path, leaseId));
            } finally {
                Arrays.fill(password, '\0');
            }
        } catch (RuntimeException | Error e) {
            // The read created the lease (a database role): nothing will release credentials that never
            // left here, so revoke it now.
            if (!leaseId.isEmpty()) {
                try {
                    revoking.revoke(leaseId);
                } catch (VaultClient.VaultException revokeFailed) {
                    e.addSuppressed(revokeFailed);
                }
            }
            throw e;
        }
    }

    private static boolean isText(JsonObject data, String field) {
        return data.has(field) && data.get(field).isJsonPrimitive();
    }

    /**
     * When the command has finished: the lease is revoked, so the dynamic role disappears, and a
     * token this command logged in for is revoked too, so that logins do not pile up in Vault as
     * orphan tokens until their TTL. A failure is one line; the diagnosis stands.
     */
    private static void release(VaultClient vault, Token token, String path, String leaseId) {
        String problem = null;
        try {
            if (!leaseId.isEmpty()) {
                vault.revoke(leaseId);
            }
        } catch (VaultClient.VaultException e) {
            // The role outlives dbtool only until its lease's TTL; say so rather than fail the diagnosis.
            problem = "could not revoke the Vault lease of " + path + " (the role stays until the lease expires): " + e.getMessage();
        } finally {
            try {
                end(vault, token);
            } catch (IllegalStateException e) {
                problem = problem == null ? e.getMessage() : problem + "; " + e.getMessage();
            }
        }
        if (problem != null) {
            throw new IllegalStateException(problem);
        }
    }

    /** Revokes a token this command logged in for (revoke-self) and wipes the token in any case. */
    private static void end(VaultClient vault, Token token) {
        try {
            if (token.origin() == Token.Origin.KERBEROS_LOGIN) {
                vault.revokeSelf();
            }
        } catch (VaultClient.VaultException e) {
            throw new IllegalStateException("could not revoke the Vault token of this command's Kerberos login (it expires with"
                    + " its TTL): " + e.getMessage());
        } finally {
            Arrays.fill(token.value(), '\0');
        }
    }

    /** A token and where it came from, which decides whether it is checked (cached) or revoked at the end (a login). */
    private record Token(char[] value, Origin origin) {
        enum Origin { ENVIRONMENT, CACHED, KERBEROS_LOGIN }
    }

    /**
     * VAULT_TOKEN, else the token file (~/.vault-token), else a Kerberos login (DESIGN.md section 6:
     * the ticket cache on Linux, SSPI on Windows) whose token lives in memory for this command only.
     */
    private Token token(URI address, String namespace, String mount, SslConfig tls, Duration timeout) throws Exception {
        String fromEnvironment = environment.apply("VAULT_TOKEN");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return new Token(fromEnvironment.trim().toCharArray(), Token.Origin.ENVIRONMENT);
        }
        Optional<char[]> cached = TokenCache.read(home.resolve(".vault-token"));
        if (cached.isPresent()) {
            return new Token(cached.get(), Token.Origin.CACHED);
        }
        try (VaultToken login = kerberos.login(address, namespace, mount, tls, timeout)) {
            return new Token(login.token().clone(), Token.Origin.KERBEROS_LOGIN);
        } catch (KerberosException e) {
            throw new IllegalStateException(NO_TOKEN + "; and no Kerberos login: " + e.getMessage());
        }
    }
}
