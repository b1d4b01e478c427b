package dbtool.triage;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dbtool.core.DbtoolException;
import dbtool.core.Environment;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where a receiver's secret (a webhook URL, a routing key, a password, a token) comes from: an
 * environment variable ({@code {"env": "SLACK_WEBHOOK_URL"}}) or a Vault KV v2 secret
 * ({@code {"vault": "secret/dbtool/slack#url"}}: mount, path, field). Never the configuration file in
 * clear: a plain string where a secret belongs is a configuration error. The value is read when it is
 * needed and never printed; messages name the variable or the Vault path, not the value.
 *
 * @param field where it is configured, for messages ({@code triage.receivers.oncall.url})
 */
public record SecretRef(String field, String env, String vault) {

    /** Reads {@code block.name}: an {@code env} or {@code vault} reference, never a literal. */
    public static SecretRef of(Block block, String name) {
        if (!block.has(name)) {
            throw block.fail(name, "missing; name an environment variable ({\"env\": \"NAME\"}) or a Vault secret"
                    + " ({\"vault\": \"secret/path#field\"})");
        }
        JsonElement value = block.json().get(name);
        if (!value.isJsonObject()) {
            // Not even the start of the value goes into the message: it is the secret.
            throw block.fail(name, "holds a secret in clear: name an environment variable ({\"env\": \"NAME\"}) or a Vault secret"
                    + " ({\"vault\": \"secret/path#field\"}) instead");
        }
        Block ref = block.object(name).only("env", "vault");
        String env = ref.string("env", null);
        String vault = ref.string("vault", null);
        if ((env == null) == (vault == null)) {
            throw block.fail(name, "give \"env\" or \"vault\", one of them");
        }
        if (vault != null && !vault.matches("[^/#]+/[^#]+#.+")) {
            throw ref.fail("vault", "expected MOUNT/PATH#FIELD, e.g. secret/dbtool/slack#url");
        }
        return new SecretRef(block.path() + "." + name, env, vault);
    }

    /** Where the value comes from, for messages: never the value. */
    public String source() {
        return env != null ? "the environment variable " + env : "Vault " + vault;
    }

    /** The value; a failure names {@link #source()} only. */
    public Secret resolve(Environment environment) {
        if (env != null) {
            String value = environment.get(env).filter(v -> !v.isBlank()).orElseThrow(() -> DbtoolException.config(
                    field + ": the environment variable " + env + " is not set"));
            return new Secret(value);
        }
        return new Secret(fromVault(environment));
    }

    private String fromVault(Environment environment) {
        String address = environment.get("VAULT_ADDR").orElseThrow(() -> DbtoolException.config(
                field + ": " + vault + " is a Vault secret, but VAULT_ADDR is not set"));
        String token = environment.get("VAULT_TOKEN").orElseGet(() -> cachedToken(environment));
        if (token == null) {
            throw DbtoolException.config(field + ": no Vault token (VAULT_TOKEN, ~/.vault-token): run 'dbtool auth login'");
        }
        int hash = vault.indexOf('#');
        String location = vault.substring(0, hash);
        String key = vault.substring(hash + 1);
        int slash = location.indexOf('/');
        String url = address.replaceAll("/+$", "") + "/v1/" + location.substring(0, slash) + "/data/" + location.substring(slash + 1);
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).header("X-Vault-Token", token);
            environment.get("VAULT_NAMESPACE").ifPresent(ns -> request.header("X-Vault-Namespace", ns));
            HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
            environment.get("VAULT_CACERT").ifPresent(ca -> client.sslContext(Tls.trusting(Path.of(ca))));
            HttpResponse<String> response = client.build().send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw DbtoolException.config(field + ": Vault answered " + response.statusCode() + " for " + vault);
            }
            JsonObject data = JsonParser.parseString(response.body()).getAsJsonObject().getAsJsonObject("data").getAsJsonObject("data");
            JsonElement value = data.get(key);
            if (value == null || !value.isJsonPrimitive()) {
                throw DbtoolException.config(field + ": Vault's " + location + " has no field " + key);
            }
            return value.getAsString();
        } catch (IOException | RuntimeException e) {
            if (e instanceof DbtoolException known) {
                throw known;
            }
            throw DbtoolException.config(field + ": cannot read " + vault + " from Vault: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DbtoolException.config(field + ": interrupted reading " + vault + " from Vault");
        }
    }

    private static String cachedToken(Environment environment) {
        Path file = environment.userHome() == null ? null : environment.userHome().resolve(".vault-token");
        try {
            return file != null && Files.isRegularFile(file) ? Files.readString(file).strip() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** A resolved secret: {@code toString()} never shows it. */
    public static final class Secret {
        private final String value;

        Secret(String value) {
            this.value = value;
        }

        /** The value, for the one place that sends it. */
        public String reveal() {
            return value;
        }

        @Override
        public String toString() {
            return "****";
        }
    }
}
