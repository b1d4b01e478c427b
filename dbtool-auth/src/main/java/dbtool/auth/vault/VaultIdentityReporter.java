package dbtool.auth.vault;

import com.google.gson.JsonObject;
import dbtool.spi.IdentityReporter;
import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** {@code dbtool auth status} for Vault: address, namespace, where the token came from, and what Vault says of it. */
public final class VaultIdentityReporter implements IdentityReporter {

    private final Function<String, String> environment;
    private final AuthPaths paths;

    public VaultIdentityReporter() {
        this(System::getenv, AuthPaths.of(System::getenv));
    }

    VaultIdentityReporter(Function<String, String> environment, AuthPaths paths) {
        this.environment = environment;
        this.paths = paths;
    }

    @Override
    public String name() {
        return "vault";
    }

    @Override
    public Map<String, String> describe() throws Exception {
        Map<String, String> facts = new LinkedHashMap<>();
        String address = environment.apply("VAULT_ADDR");
        if (address == null || address.isBlank()) {
            return facts;
        }
        URI uri = VaultAddress.parse(address, "VAULT_ADDR");
        facts.put("address", address.strip() + " (VAULT_ADDR)");
        String namespace = environment.apply("VAULT_NAMESPACE");
        if (namespace != null && !namespace.isBlank()) {
            facts.put("namespace", namespace);
        }
        char[] token;
        String env = environment.apply("VAULT_TOKEN");
        Path file = paths.tokenFile();
        Optional<char[]> cached = env != null && !env.isBlank() ? Optional.empty() : TokenCache.read(file);
        if (env != null && !env.isBlank()) {
            token = env.trim().toCharArray();
            facts.put("token from", "VAULT_TOKEN");
        } else if (cached.isPresent()) {
            token = cached.get();
            facts.put("token from", file.toString());
            if (new TokenCache(paths).writtenByDbtool()) {
                facts.put("written by", "dbtool auth login");
            }
        } else {
            facts.put("token", "none (run 'dbtool auth login', or set VAULT_TOKEN)");
            return facts;
        }
        try {
            VaultClient vault = new VaultClient(uri, token, namespace,
                    VaultTls.create(environment), VaultClient.DEFAULT_TIMEOUT);
            JsonObject data = vault.read("auth/token/lookup-self").getAsJsonObject("data");
            if (data != null) {
                put(facts, "identity", data, "display_name");
                if (data.has("policies") && data.get("policies").isJsonArray()) {
                    facts.put("policies", data.getAsJsonArray("policies").toString().replaceAll("[\\[\\]\"]", "").replace(",", ", "));
                }
                put(facts, "expires", data, "expire_time");
                if (data.has("ttl")) {
                    facts.put("ttl", data.get("ttl").getAsLong() + " s" + (data.has("renewable") && data.get("renewable").getAsBoolean() ? ", renewable" : ""));
                }
            }
        } finally {
            Arrays.fill(token, '\0');
        }
        return facts;
    }

    private static void put(Map<String, String> facts, String name, JsonObject data, String field) {
        if (data.has(field) && !data.get(field).isJsonNull()) {
            facts.put(name, data.get(field).getAsString());
        }
    }
}
