package dbtool.auth.vault;

import com.google.gson.JsonObject;
import dbtool.auth.EnvironmentVariableName;
import dbtool.spi.LoginRequest;
import dbtool.spi.SecretPrompt;
import dbtool.spi.UsageException;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Function;

/**
 * {@code --method token}: an existing token, from the variable {@code --password-env} names, else
 * VAULT_TOKEN, else a masked prompt. Vault is asked about it (lookup-self) before it is cached, so
 * a mistyped token is caught now rather than at the next incident.
 */
final class TokenLogin implements VaultLogin {

    private final Function<String, String> environment;
    private final SecretPrompt prompt;
    private final TokenClientFactory clients;

    /** A client that presents the given token, like the login's anonymous one otherwise. */
    @FunctionalInterface
    interface TokenClientFactory {
        VaultClient withToken(char[] token) throws Exception;
    }

    TokenLogin(Function<String, String> environment, SecretPrompt prompt, TokenClientFactory clients) {
        this.environment = environment;
        this.prompt = prompt;
        this.clients = clients;
    }

    @Override
    public String method() {
        return "token";
    }

    @Override
    public VaultToken login(VaultClient vault, LoginRequest request) throws Exception {
        char[] token = token(request);
        try {
            JsonObject data;
            try {
                data = clients.withToken(token).lookupSelf();
            } catch (VaultClient.VaultException e) {
                // Only a 403 is about the token; anything else (Vault unreachable, failing) says nothing of it.
                throw new IllegalStateException((e.status() == 403 ? "Vault does not accept this token: "
                        : "could not check the token with Vault: ") + e.getMessage());
            }
            long ttl = data.has("ttl") ? data.get("ttl").getAsLong() : 0;
            boolean renewable = data.has("renewable") && data.get("renewable").getAsBoolean();
            String name = data.has("display_name") ? data.get("display_name").getAsString() : "token";
            return new VaultToken(token.clone(), Duration.ofSeconds(ttl), renewable, VaultToken.strings(data.get("policies")),
                    name + " (token)");
        } finally {
            Arrays.fill(token, '\0');
        }
    }

    private char[] token(LoginRequest request) throws InterruptedException {
        if (request.passwordEnv() != null) {
            if (!EnvironmentVariableName.isValid(request.passwordEnv())) {
                throw new UsageException(EnvironmentVariableName.notANameMessage("--password-env"));
            }
            String value = environment.apply(request.passwordEnv());
            if (value == null || value.isBlank()) {
                throw new UsageException("--password-env names a variable that is not set");
            }
            return value.trim().toCharArray();
        }
        String fromEnvironment = environment.apply("VAULT_TOKEN");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment.trim().toCharArray();
        }
        char[] typed = request.interactive() ? prompt.read("Vault token: ").orElse(null) : null;
        if (typed == null || typed.length == 0) {
            throw new UsageException("no Vault token: set VAULT_TOKEN, name a variable with --password-env VAR, "
                    + "or run on a terminal to type it");
        }
        return typed;
    }
}
