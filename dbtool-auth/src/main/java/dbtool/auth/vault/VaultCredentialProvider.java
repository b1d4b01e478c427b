package dbtool.auth.vault;

import com.google.gson.JsonObject;
import dbtool.spi.CredentialProvider;
import dbtool.spi.CredentialRequest;
import dbtool.spi.Credentials;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * when renewable and close to expiry), VAULT_NAMESPACE (or "namespace"), VAULT_CACERT. HTTPS is
 * always verified (VAULT_SKIP_VERIFY only earns a warning).
 */
public final class VaultCredentialProvider implements CredentialProvider {

    private final Function<String, String> environment;
    private final Path home;

    public VaultCredentialProvider() {
        this(System::getenv, AuthPaths.of(System::getenv).home());
    }

    VaultCredentialProvider(Function<String, String> environment, Path home) {
        this.environment = environment;
        this.home = home;
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
            throw new IllegalArgumentException("no Vault address: set VAULT_ADDR or " + field + ".address");
        }
        char[] token = token();
        VaultClient vault = new VaultClient(URI.create(address.endsWith("/") ? address : address + "/"), token,
                Optional.ofNullable(auth.get("namespace")).orElse(environment.apply("VAULT_NAMESPACE")),
                VaultHttpClients.create(environment), Duration.ofSeconds(10));
        if (environment.apply("VAULT_TOKEN") == null || environment.apply("VAULT_TOKEN").isBlank()) {
            CachedTokenCheck.renewIfDue(vault, home.resolve(".vault-token"));
        }
        String path = secret.startsWith("/") ? secret.substring(1) : secret;
        JsonObject answer = vault.read(path);
        JsonObject data = answer.has("data") && answer.get("data").isJsonObject() ? answer.getAsJsonObject("data") : new JsonObject();
        boolean kv = path.contains("/data/");
        if (kv) {
            data = data.has("data") && data.get("data").isJsonObject() ? data.getAsJsonObject("data") : new JsonObject();
        }
        String userField = auth.getOrDefault("userField", "username");
        String passwordField = auth.getOrDefault("passwordField", "password");
        if (!data.has(userField) || !data.has(passwordField)) {
            throw new IllegalStateException("Vault secret " + path + " has no '" + userField + "' and '" + passwordField
                    + "' fields; set " + field + ".userField and .passwordField");
        }
        char[] password = data.get(passwordField).getAsString().toCharArray();
        try {
            Credentials credentials = Credentials.password(data.get(userField).getAsString(), password, "vault:" + path);
            String leaseId = answer.has("lease_id") ? answer.get("lease_id").getAsString() : "";
            if (kv || leaseId.isEmpty()) {
                return Optional.of(credentials);
            }
            return Optional.of(credentials.withRelease(() -> {
                try {
                    vault.revoke(leaseId);
                } catch (VaultClient.VaultException e) {
                    // The role outlives dbtool only until its lease's TTL; say so rather than fail the diagnosis.
                    throw new IllegalStateException("could not revoke the Vault lease of " + path
                            + " (the role stays until the lease expires): " + e.getMessage());
                } finally {
                    Arrays.fill(token, '\0');
                }
            }));
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /** VAULT_TOKEN, else the Vault CLI's token file. */
    private char[] token() throws IOException {
        String token = environment.apply("VAULT_TOKEN");
        if (token != null && !token.isBlank()) {
            return token.trim().toCharArray();
        }
        Path file = home.resolve(".vault-token");
        if (Files.isReadable(file)) {
            return Files.readString(file).trim().toCharArray();
        }
        throw new IllegalStateException("no Vault token: run 'dbtool auth login' (or 'vault login'), or set VAULT_TOKEN");
    }
}
